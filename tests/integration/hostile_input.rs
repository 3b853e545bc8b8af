//! Hostile inputs to the loader: named pipes and devices where files should be, aliases of
//! long texts, a million documents in one file, a broken document among good ones, a
//! `mocheck.toml` that is a folder or a loop, and file names that are not UTF-8. Each run is
//! bounded by a wall clock and a memory limit, and the other records are still checked.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{findings, stderr, tree, MINIMAL, TODAY};

/// Runs mocheck in `dir` under a 1.5 GB memory limit; fails the test if it has not finished
/// within 60 seconds (it is killed then).
fn bounded(dir: &Path, args: &[&str]) -> Output {
    bounded_by(1_500_000, dir, args)
}

/// [`bounded`], with a limit of `kilobytes` of address space.
pub(crate) fn bounded_by(kilobytes: u32, dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kilobytes} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_mocheck"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mocheck runs");
    // Drain the pipes on threads, so a large output cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut bytes).map(|_| bytes)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting on mocheck") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mocheck {args:?} did not finish within 60 seconds");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap().expect("standard output"),
        stderr: err.join().unwrap().expect("standard error"),
    }
}

/// `check --format json` under the bounds: the exit code and the parsed JSON.
fn bounded_json(dir: &Path, paths: &[&str], extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--format", "json", "--today", TODAY]);
    args.extend_from_slice(extra);
    let output = bounded(dir, &args);
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}), exit {:?}: {}",
            output.status,
            stderr(&output)
        )
    });
    (output.status.code().expect("an exit code"), json)
}

fn good(reference: &str) -> String {
    MINIMAL.replace("T-1", reference)
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_among_records_is_mo090_and_the_rest_are_checked() {
    let (a, c) = (good("GOOD-1"), good("GOOD-2"));
    let dir = tree(&[("d/a.yaml", a.as_bytes()), ("d/c.yaml", c.as_bytes())]);
    mkfifo(&dir.path().join("d/b.yaml"));
    // Found by the walk, and named on the command line.
    for paths in [&["d"][..], &["d/a.yaml", "d/b.yaml", "d/c.yaml"][..]] {
        let (code, json) = bounded_json(dir.path(), paths, &[]);
        let all = findings(&json);
        assert_eq!(code, 1, "{all:?}");
        assert_eq!(json["summary"]["records"], 2, "{all:?}");
        assert_eq!(all.len(), 1, "{all:?}");
        let (rule, file, line, column, message) = &all[0];
        assert_eq!(
            (rule.as_str(), file.as_str(), *line, *column),
            ("MO090", "d/b.yaml", 1, 1)
        );
        assert_eq!(
            message,
            "the file could not be read: it is a named pipe, not an ordinary file"
        );
    }
}

/// Runs `check` in `dir` with `args`; asserts exit status 2 and each fragment in the error.
fn refused_in(dir: &Path, args: &[&str], fragments: &[&str]) {
    let mut all = vec!["check", "record.yaml", "--today", TODAY];
    all.extend_from_slice(args);
    let output = bounded(dir, &all);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
    for fragment in fragments {
        assert!(
            message.contains(fragment),
            "{args:?}: `{fragment}` is not in:\n{message}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_as_configuration_or_rules_is_refused_at_once() {
    let record = good("R-1");
    let dir = tree(&[
        ("record.yaml", record.as_bytes()),
        ("listed/mocheck.toml", b"[rules]\nfiles = ['pipe.toml']\n"),
    ]);
    mkfifo(&dir.path().join("pipe.toml"));
    mkfifo(&dir.path().join("listed/pipe.toml"));
    let pipe = "it is a named pipe, not an ordinary file";
    let device = "it is a device, not an ordinary file";
    refused_in(
        dir.path(),
        &["--config", "pipe.toml"],
        &["`pipe.toml`", pipe],
    );
    refused_in(
        dir.path(),
        &["--rules", "pipe.toml"],
        &["`pipe.toml`", pipe],
    );
    refused_in(
        dir.path(),
        &["--config", "listed/mocheck.toml"],
        &["the rules file `listed/pipe.toml`", pipe],
    );
    refused_in(
        dir.path(),
        &["--config", "/dev/zero"],
        &["`/dev/zero`", device],
    );
    refused_in(
        dir.path(),
        &["--rules", "/dev/zero"],
        &["`/dev/zero`", device],
    );
}

#[test]
fn configuration_and_rules_files_have_the_records_size_limit() {
    // Eleven megabytes of comments: valid TOML, but past the 10 MB limit.
    let big = "# padding\n".repeat(1_100_000);
    let record = good("R-1");
    let dir = tree(&[
        ("record.yaml", record.as_bytes()),
        ("big.toml", big.as_bytes()),
        ("listed.toml", b"[rules]\nfiles = ['big.toml']\n"),
    ]);
    let larger = "it is larger than 10 MB, the most mocheck reads from one file";
    refused_in(
        dir.path(),
        &["--config", "big.toml"],
        &["`big.toml`", larger],
    );
    refused_in(
        dir.path(),
        &["--rules", "big.toml"],
        &["`big.toml`", larger],
    );
    refused_in(
        dir.path(),
        &["--config", "listed.toml"],
        &["the rules file `big.toml`", larger],
    );
}

/// Puts something at a path.
type Make = fn(&Path);

#[cfg(unix)]
#[test]
fn a_mocheck_toml_that_cannot_be_read_is_refused_not_ignored() {
    let record = good("R-1");
    let cases: [(Make, &str); 3] = [
        (
            |path| std::fs::create_dir(path).unwrap(),
            "it is a folder, not a file",
        ),
        (
            |path| std::os::unix::fs::symlink(path, path).unwrap(),
            "it is a link that loops back on itself",
        ),
        (
            |path| std::os::unix::fs::symlink("nowhere.toml", path).unwrap(),
            "it does not exist",
        ),
    ];
    for (make, reason) in cases {
        let dir = tree(&[("sub/record.yaml", record.as_bytes())]);
        make(&dir.path().join("mocheck.toml"));
        // Found upwards from a folder below it, and named with --config.
        refused_in(
            &dir.path().join("sub"),
            &[],
            &["mocheck.toml` could not be read", reason],
        );
        std::fs::rename(
            dir.path().join("sub/record.yaml"),
            dir.path().join("record.yaml"),
        )
        .unwrap();
        refused_in(
            dir.path(),
            &["--config", "mocheck.toml"],
            &["`mocheck.toml` could not be read", reason],
        );
    }
}

#[test]
fn aliases_of_a_long_text_are_refused_within_bounded_memory() {
    // The files: 100 KB aliased 20,000 times (2 GB expanded), 1 MB aliased 9,000
    // times (9 GB expanded).
    let hundred_k = format!(
        "s: &s {}\nl:\n{}",
        "x".repeat(100_000),
        "  - *s\n".repeat(20_000)
    );
    let one_m = format!(
        "s: &s {}\nl:\n{}",
        "x".repeat(1_000_000),
        "  - *s\n".repeat(9_000)
    );
    let record = good("GOOD-1");
    let dir = tree(&[
        ("a.yaml", hundred_k.as_bytes()),
        ("b.yaml", one_m.as_bytes()),
        ("good.yaml", record.as_bytes()),
    ]);
    let (code, json) = bounded_json(dir.path(), &["."], &[]);
    let all = findings(&json);
    assert_eq!(code, 1, "{all:?}");
    assert_eq!(json["summary"]["files"], 3);
    for file in ["a.yaml", "b.yaml"] {
        let found: Vec<_> = all.iter().filter(|finding| finding.1 == file).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "MO090");
        assert!(
            found[0]
                .4
                .contains("the aliases in this file copy more than"),
            "{found:?}"
        );
    }
    assert!(
        all.iter().all(|finding| finding.1 != "good.yaml"),
        "{all:?}"
    );
}

#[test]
fn a_million_documents_are_bounded_and_the_rest_reported() {
    // The file: 9 MB, under the size limit.
    let many = "---\na: 1\n".repeat(1_000_000);
    let dir = tree(&[("m.yaml", many.as_bytes())]);
    let (code, json) = bounded_json(dir.path(), &["."], &[]);
    assert_eq!(code, 1);
    assert_eq!(json["summary"]["records"], 10_000);
    let all = findings(&json);
    let over: Vec<_> = all
        .iter()
        .filter(|finding| finding.4.contains("documents"))
        .collect();
    assert_eq!(over.len(), 1, "{over:?}");
    let (rule, _, line, column, message) = over[0];
    // Document 10,001 starts on line 20,001 with its `---`; its content is on the next.
    assert_eq!((rule.as_str(), *line, *column), ("MO090", 20_002, 1));
    assert_eq!(
        message,
        "this file holds more than 10000 documents, more than mocheck checks in one file, so this one and the rest after it (990000 in all) were not checked; split the file into smaller ones"
    );
}

/// The record at `index` of a file of `count` records: a good one with a bad date, so each
/// has one finding that shows where it is.
fn dated(index: usize) -> String {
    good(&format!("R-{index}")).replace("decided_on: 2026-03-12", "decided_on: 12/03/2026")
}

#[test]
fn a_broken_document_loses_only_itself() {
    let broken = [
        ("an unclosed quote", "title: 'unclosed\n", "not closed"),
        ("an undefined alias", "title: *nowhere\n", "not defined"),
        (
            "a bad indentation",
            "title: a\n  reference: b\n",
            "not allowed here",
        ),
    ];
    for (what, bad, words) in broken {
        for place in 0..3 {
            let mut documents: Vec<String> = (0..3).map(dated).collect();
            documents[place] = bad.to_string();
            let text = format!("---\n{}", documents.join("---\n"));
            let dir = tree(&[("records.yaml", text.as_bytes())]);
            let (_, json) = bounded_json(dir.path(), &["."], &[]);
            let all = findings(&json);
            assert_eq!(json["summary"]["records"], 2, "{what} in {place}: {all:?}");
            // Every finding is on the line its document has in the file.
            let starts: Vec<u64> = text
                .match_indices("---\n")
                .map(|(at, _)| 2 + text[..at].matches('\n').count() as u64)
                .collect();
            for (index, start) in starts.iter().enumerate() {
                let here: Vec<_> = all
                    .iter()
                    .filter(|finding| {
                        finding.2 >= *start
                            && starts.get(index + 1).is_none_or(|next| finding.2 < *next)
                    })
                    .collect();
                if index == place {
                    assert_eq!(here.len(), 1, "{what} in {place}: {all:?}");
                    assert_eq!(here[0].0, "MO090");
                    assert!(here[0].4.contains(words), "{what}: {here:?}");
                } else {
                    let decided = start + 7;
                    assert!(
                        here.iter().any(|finding| finding.2 == decided
                            && finding.3 == 13
                            && finding.4.contains("must be a date")),
                        "{what} in {place}, document {index}: {here:?}"
                    );
                }
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_shown_with_their_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&[]);
    for name in [&b"\xff.yaml"[..], b"\xfe.yaml"] {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, dated(1)).unwrap();
    }
    let (_, json) = bounded_json(dir.path(), &["."], &[]);
    let mut files: Vec<String> = findings(&json)
        .into_iter()
        .map(|finding| finding.1)
        .collect();
    files.dedup();
    assert_eq!(files, ["\\xfe.yaml", "\\xff.yaml"]);
    let human = bounded(dir.path(), &["check", ".", "--today", TODAY]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("\\xfe.yaml:8:13"), "{text}");
    assert!(text.contains("\\xff.yaml:8:13"), "{text}");
}

/// Runs mocheck as the user `nobody` when running as root (who reads anything), so that a
/// folder without permissions is one; `None` when this system does not allow it.
#[cfg(unix)]
fn as_nobody(dir: &Path, args: &[&str]) -> Option<Output> {
    let output = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_mocheck"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    // 126 and 127: `nobody` could not run the binary here (its folder is not readable).
    (!matches!(output.status.code(), Some(126 | 127))).then_some(output)
}

#[cfg(unix)]
#[test]
fn a_path_behind_a_locked_folder_is_a_permission_error_not_missing() {
    use std::os::unix::fs::PermissionsExt;
    let record = good("R-1");
    let dir = tree(&[("locked/record.yaml", record.as_bytes())]);
    for folder in [dir.path(), &dir.path().join("locked")] {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let args = ["check", "locked/record.yaml", "--today", TODAY];
    let output = if std::fs::read_dir(&locked).is_err() {
        Command::new(env!("CARGO_BIN_EXE_mocheck"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    } else if let Some(output) = as_nobody(dir.path(), &args) {
        output
    } else {
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    };
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("`locked/record.yaml` could not be read: permission denied"),
        "{message}"
    );
}
