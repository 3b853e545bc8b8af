//! Multi-document files built from the fuzzer's bytes out of pieces (good records, broken
//! documents, `---` and `...` markers, comments, directives, three kinds of line ending):
//! every good record must be read, each broken document be one problem inside it, and the
//! whole path to every output format hold. The building and the checks live in
//! tests/integration/multi_document.rs, which `cargo test` runs on a fixed set of inputs.

#![no_main]

#[path = "../../tests/integration/fuzz_regressions.rs"]
mod fuzz_regressions;

#[path = "../../tests/integration/multi_document.rs"]
mod multi_document;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    multi_document::run(data);
});
