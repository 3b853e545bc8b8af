//! Adopting mocheck on a decisions repository: the shipped pre-commit hooks, run by the real
//! `pre-commit` in a repository `mocheck init` made, and the files `mocheck init` writes.
//! Tests that need a real client skip with a message when it is missing, except under `CI`,
//! where `.ci/run` installs it and a missing client is a failure.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_yaml_ng::{Mapping, Value};

use crate::support::{mocheck_in, repo, stderr, stdout};

/// Whether a client a test needs is `found`; if not, a skip on a developer's machine and a
/// failure in CI.
pub fn client(found: bool, what: &str, install: &str) -> bool {
    if found {
        return true;
    }
    let in_ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    assert!(
        !in_ci,
        "{what} is needed and CI is set, but it is not installed (`{install}` in .ci/run)"
    );
    // Written to the handle, not with eprintln!, so that the test harness does not hide it.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {what} is not installed (`{install}`); CI runs this test"
    );
    false
}

/// Whether `program ARGS` runs and succeeds.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

fn pre_commit_available() -> bool {
    client(
        runs("pre-commit", &["--version"]),
        "pre-commit",
        "pip install pre-commit",
    )
}

fn hooks() -> Vec<Value> {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let Value::Sequence(hooks) = serde_yaml_ng::from_str(&text).unwrap() else {
        panic!(".pre-commit-hooks.yaml is not a list of hooks")
    };
    hooks
}

fn hook(id: &str) -> Value {
    hooks()
        .into_iter()
        .find(|hook| hook["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no hook `{id}` in .pre-commit-hooks.yaml"))
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not text in {value:?}"))
}

#[test]
fn the_shipped_hooks_are_the_ones_the_readme_documents() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let ids: Vec<String> = hooks()
        .iter()
        .map(|hook| text(hook, "id").to_string())
        .collect();
    assert_eq!(ids, ["mocheck", "mocheck-system"]);
    for (id, language) in [("mocheck", "rust"), ("mocheck-system", "system")] {
        let hook = hook(id);
        assert_eq!(text(&hook, "language"), language, "{id}");
        assert_eq!(text(&hook, "entry"), "mocheck check", "{id}");
        // mocheck reads the configured paths itself, in one run that sees every record.
        assert_eq!(hook["pass_filenames"].as_bool(), Some(false), "{id}");
        assert_eq!(hook["require_serial"].as_bool(), Some(true), "{id}");
        let files = text(&hook, "files");
        assert_eq!(files, r"\.(ya?ml|toml)$", "{id}");
        assert!(
            readme.contains(&format!("| `{id}` | `{language}` |")),
            "the README's table of hooks lacks `{id}`"
        );
        assert!(readme.contains(&format!("`files: {files}`")), "{id}");
    }
    assert!(readme.contains("`pass_filenames: false` and `require_serial: true`"));
    assert!(readme.contains("- id: mocheck-system"));

    if pre_commit_available() {
        let output = Command::new("pre-commit")
            .args(["validate-manifest", ".pre-commit-hooks.yaml"])
            .current_dir(repo())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", describe(&output));
    }
}

/// A git repository set up by `mocheck init`, with the shipped `mocheck-system` hook as a
/// local hook, installed as the repository's pre-commit hook.
struct Decisions {
    dir: tempfile::TempDir,
    path: String,
}

impl Decisions {
    fn new() -> Decisions {
        let dir = tempfile::tempdir().unwrap();
        let binary = PathBuf::from(env!("CARGO_BIN_EXE_mocheck"));
        let path = std::env::join_paths(
            std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            )),
        )
        .unwrap()
        .into_string()
        .unwrap();
        let decisions = Decisions { dir, path };
        decisions.run("git", &["init", "--quiet"]).success();
        let init = mocheck_in(decisions.dir.path(), &["init"]);
        assert!(init.status.success(), "{}", describe(&init));

        // The shipped hook as it is, but from this repository rather than a clone of mocheck's.
        let mut local = hook("mocheck-system");
        if let Value::Mapping(fields) = &mut local {
            fields.remove("description");
        }
        let mut local_repo = Mapping::new();
        local_repo.insert("repo".into(), "local".into());
        local_repo.insert("hooks".into(), Value::Sequence(vec![local]));
        let mut config = Mapping::new();
        config.insert(
            "repos".into(),
            Value::Sequence(vec![Value::Mapping(local_repo)]),
        );
        let config = serde_yaml_ng::to_string(&config).unwrap();
        std::fs::write(decisions.dir.path().join(".pre-commit-config.yaml"), config).unwrap();
        decisions
            .run(
                "pre-commit",
                &["validate-config", ".pre-commit-config.yaml"],
            )
            .success();
        decisions.run("pre-commit", &["install"]).success();
        decisions
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn run(&self, program: &str, args: &[&str]) -> Ran {
        let home = self.dir.path().join(".home");
        let output = Command::new(program)
            .args(args)
            .current_dir(self.dir.path())
            .env("PATH", &self.path)
            .env("PRE_COMMIT_HOME", home.join("pre-commit"))
            .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .env("NO_COLOR", "1")
            .env_remove("PRE_COMMIT_COLOR")
            .output()
            .unwrap_or_else(|error| panic!("`{program}` did not run: {error}"));
        Ran(format!("{program} {}", args.join(" ")), output)
    }

    /// `git add -A` and `git commit`, which runs the hook.
    fn commit(&self, message: &str) -> Ran {
        self.run("git", &["add", "-A"]).success();
        self.run("git", &["commit", "--quiet", "-m", message])
    }
}

struct Ran(String, Output);

impl Ran {
    fn success(&self) -> String {
        assert!(
            self.1.status.success(),
            "`{}` failed:\n{}",
            self.0,
            describe(&self.1)
        );
        describe(&self.1)
    }

    fn failure(&self) -> String {
        assert!(
            !self.1.status.success(),
            "`{}` passed:\n{}",
            self.0,
            describe(&self.1)
        );
        describe(&self.1)
    }
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn example_record(path: &Path) -> String {
    std::fs::read_to_string(path.join("decisions/EXAMPLE-0001.yaml")).unwrap()
}

#[test]
fn pre_commit_passes_good_records_and_stops_broken_ones() {
    if !pre_commit_available() {
        return;
    }
    let decisions = Decisions::new();

    // The fresh repository: its own YAML (.pre-commit-config.yaml, the workflow) is not a record.
    let first = decisions.commit("mocheck init").success();
    assert!(first.contains("mocheck (decision records)"), "{first}");
    assert!(first.contains("Passed"), "{first}");
    assert!(!first.contains("MO090"), "{first}");

    let example = example_record(decisions.dir.path());
    decisions.write(
        "decisions/2026/GOOD-0002.yaml",
        &example.replace("reference: EXAMPLE-0001", "reference: GOOD-0002"),
    );
    let good = decisions.commit("a good record").success();
    assert!(good.contains("Passed"), "{good}");

    decisions.write(
        "decisions/2026/BAD-0003.yaml",
        &example
            .replace("reference: EXAMPLE-0001", "reference: BAD-0003")
            .replace("decided_on: 2026-01-15", "decided_on: 15/01/2026"),
    );
    let broken = decisions.commit("a broken record").failure();
    assert!(broken.contains("Failed"), "{broken}");
    assert!(
        broken.contains("MO090") && broken.contains("decisions/2026/BAD-0003.yaml"),
        "{broken}"
    );
    decisions.run("git", &["reset", "--quiet"]).success();
    std::fs::remove_file(decisions.dir.path().join("decisions/2026/BAD-0003.yaml")).unwrap();

    // A reference that duplicates one in a file this commit does not touch is still found:
    // the run sees every record, not a batch of the files staged.
    decisions.write("decisions/2026/COPY-0004.yaml", &example);
    let duplicate = decisions.commit("a duplicate reference").failure();
    assert!(
        duplicate.contains("MO092") && duplicate.contains("EXAMPLE-0001"),
        "{duplicate}"
    );
}

#[test]
fn a_named_file_outside_the_configured_records_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    assert!(mocheck_in(dir.path(), &["init"]).status.success());
    let config = std::fs::read_to_string(dir.path().join("mocheck.toml")).unwrap();
    std::fs::write(
        dir.path().join("mocheck.toml"),
        config.replacen("exclude = []", "exclude = [\"decisions/drafts/**\"]", 1),
    )
    .unwrap();
    let example = example_record(dir.path());
    std::fs::create_dir_all(dir.path().join("decisions/drafts")).unwrap();
    std::fs::write(dir.path().join("decisions/drafts/DRAFT-1.yaml"), &example).unwrap();

    // A workflow named on the command line, as a hook that passes file names would.
    let outside = mocheck_in(dir.path(), &["check", ".github/workflows/mocheck.yml"]);
    assert_eq!(outside.status.code(), Some(0), "{}", describe(&outside));
    assert!(
        stderr(&outside).contains(
            "note: skipped `.github/workflows/mocheck.yml`: it is outside the configured paths (`decisions`), so it is not taken for a record"
        ),
        "{}",
        describe(&outside)
    );
    assert!(
        !stdout(&outside).contains("MO090"),
        "{}",
        describe(&outside)
    );

    let excluded = mocheck_in(dir.path(), &["check", "decisions/drafts/DRAFT-1.yaml"]);
    assert_eq!(excluded.status.code(), Some(0), "{}", describe(&excluded));
    assert!(
        stderr(&excluded).contains(
            "note: skipped `decisions/drafts/DRAFT-1.yaml`: the configuration excludes it (`decisions/drafts/**`), so it is not checked"
        ),
        "{}",
        describe(&excluded)
    );

    // A named record inside the configured paths is checked as before, beside a skipped file.
    let both = mocheck_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "decisions/EXAMPLE-0001.yaml",
            ".github/workflows/mocheck.yml",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert_eq!(json["summary"]["records"], 1, "{}", describe(&both));
    assert!(stderr(&both).contains("note: skipped `.github/workflows/mocheck.yml`"));
}
