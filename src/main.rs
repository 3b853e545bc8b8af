//! The `mocheck` binary: parse the arguments, run, exit with the status the library gives.

use clap::Parser;

fn main() {
    let cli = mocheck::cli::Cli::parse();
    let status = mocheck::app::run(cli);
    std::process::exit(status as i32);
}
