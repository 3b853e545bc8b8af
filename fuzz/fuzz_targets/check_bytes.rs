//! Any bytes as one record file on standard input -> load -> check with the built-in ruleset
//! (alone, and with the example office's roster and reference pattern) -> every output
//! format. The path itself lives in tests/integration/fuzz_regressions.rs, which CI runs on
//! every input saved in tests/fuzz_regressions/, so the fuzzer and the tests cannot drift.

#![no_main]

#[path = "../../tests/integration/fuzz_regressions.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    pipeline::run(data);
});
