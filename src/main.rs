//! The `mocheck` binary: parse the arguments, run, exit with the status the library gives.

use clap::Parser;

fn main() {
    let cli = mocheck::cli::Cli::parse();
    let status = mocheck::app::run(cli);
    std::process::exit(status as i32);
}

// Checking allocates many small values per record from both cores; mimalloc measured faster
// and leaner than the system allocator here (see the benchmarks in README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
