//! The README as a newcomer reads it: every command of its tour runs as written on the shipped
//! examples, and it points at nothing outside the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::repo;

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The lines of the first `sh` code block under the heading `## A tour`.
fn tour(readme: &str) -> Vec<String> {
    commands_under(readme, "A tour")
}

/// The lines of the first `sh` code block under the heading `## {heading}`.
fn commands_under(readme: &str, heading: &str) -> Vec<String> {
    let section = readme
        .split_once(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("a section `## {heading}`"))
        .1;
    let section = section.split("\n## ").next().unwrap();
    let block = section
        .split_once("```sh\n")
        .expect("a ```sh block in the tour")
        .1
        .split_once("```")
        .expect("the block ends")
        .0;
    block
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs a README line with `sh` in `dir`, this build's `mocheck` first on PATH.
fn shell(command: &str, dir: &Path) -> std::process::Output {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_mocheck"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", &path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn every_command_of_the_tour_runs_on_the_shipped_examples() {
    let commands = tour(&readme());
    assert!(commands.len() >= 10, "the tour has {commands:?}");
    for command in &commands {
        assert!(
            command.starts_with("mocheck "),
            "a tour line that is not a mocheck command: {command}"
        );
        // A pipe would hide mocheck's exit status behind the last command's.
        assert!(!command.contains('|'), "{command}");
        // Each in a fresh copy, as from this folder: `init` and the outputs change nothing else.
        let dir = tempfile::tempdir().unwrap();
        for folder in ["examples", "rules"] {
            copy_tree(&repo().join(folder), &dir.path().join(folder));
        }
        let output = shell(command, dir.path());
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{command}` exited with {code:?}:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // Output on standard output, or a file beside the two folders copied.
        let made_a_file = std::fs::read_dir(dir.path()).unwrap().count() > 2;
        assert!(
            !output.stdout.is_empty() || made_a_file,
            "`{command}` gave nothing"
        );
    }
}

#[test]
fn the_baseline_commands_run_in_order_on_the_shipped_examples() {
    let commands = commands_under(&readme(), "Adopting on an old archive: a baseline");
    assert_eq!(commands.len(), 4, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    for folder in ["examples", "rules"] {
        copy_tree(&repo().join(folder), &dir.path().join(folder));
    }
    let records = std::fs::read(
        dir.path()
            .join("examples/decisions/2024/EPCC-2024-044.yaml"),
    );
    let mut outputs = Vec::new();
    for command in &commands {
        let output = shell(command, dir.path());
        // After the baseline every command succeeds: the examples' findings are history.
        assert_eq!(
            output.status.code(),
            Some(0),
            "`{command}`:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        outputs.push(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    assert!(outputs[1].contains(" baselined."), "{}", outputs[1]);
    assert!(
        outputs[2].contains("Accepted as history by the baseline"),
        "{}",
        outputs[2]
    );
    assert_eq!(
        std::fs::read(
            dir.path()
                .join("examples/decisions/2024/EPCC-2024-044.yaml")
        )
        .ok(),
        records.ok(),
        "a record was written to"
    );
}

#[test]
fn the_readme_points_at_nothing_outside_the_repository() {
    let readme = readme();
    assert!(
        !readme.contains("../shared"),
        "a reference outside the repository"
    );
    // Every link to a file is to a file of the repository.
    for (_, rest) in readme
        .match_indices("](")
        .map(|(at, _)| readme.split_at(at + 2))
    {
        let target = rest.split(')').next().unwrap();
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        assert!(repo().join(target).exists(), "a link to `{target}`");
    }
    assert!(
        readme.contains("cargo install --path ."),
        "how to put mocheck on PATH"
    );
}
