//! Colour is decided once per run, for every stream: `check --no-color` keeps its errors
//! plain too, even where the environment forces colour.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::tree;

/// mocheck in `dir` with `args`, colour forced by `CLICOLOR_FORCE`, not on a terminal.
fn forced_colour(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mocheck"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("mocheck runs")
}

fn coloured(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|pair| pair == b"\x1b[")
}

#[test]
fn check_no_color_writes_its_errors_without_colour() {
    let dir = tree(&[("mocheck.toml", b"[check]\nfail_on = \"sometimes\"\n")]);
    let forced = forced_colour(dir.path(), &["check", "."]);
    assert_eq!(forced.status.code(), Some(2));
    assert!(
        coloured(&forced.stderr),
        "CLICOLOR_FORCE colours the error: {}",
        String::from_utf8_lossy(&forced.stderr)
    );

    let plain = forced_colour(dir.path(), &["check", ".", "--no-color"]);
    assert_eq!(plain.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(stderr.contains("`sometimes` is not a level"), "{stderr}");
    assert!(
        !coloured(&plain.stderr),
        "no colour with --no-color: {stderr}"
    );
}

#[test]
fn color_never_writes_errors_without_colour() {
    let dir = tree(&[("mocheck.toml", b"[check]\nfail_on = \"sometimes\"\n")]);
    let plain = forced_colour(dir.path(), &["--color", "never", "rules"]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(!coloured(&plain.stderr));
}
