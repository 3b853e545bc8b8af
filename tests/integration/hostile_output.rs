//! What mocheck prints and writes, under hostile input: long lines and values stay small in
//! every format, the human format stays linear, record text cannot drive a terminal or carry
//! markup into a document, `--output` never replaces an input or a special file, and `init`
//! creates all its files or none.

use std::fmt::Write as _;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{mocheck_in, stderr, stdout, tree, MINIMAL, TODAY};

/// Runs mocheck in `dir`, killed after a generous `limit`: a run that needs it has hung or
/// gone quadratic. Output goes through files, so a large one cannot block the child.
fn mocheck_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mocheck"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("mocheck runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("mocheck {args:?} took over {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    };
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    output
}

const MINUTE: Duration = Duration::from_secs(60);

// Item 1: long lines.

#[test]
fn a_finding_past_column_65535_is_shown_in_a_clipped_snippet() {
    let record = format!("{}: 1\n", "k".repeat(65_536));
    let dir = tree(&[("x.yaml", record.as_bytes())]);
    let output = mocheck_in(dir.path(), &["check", "x.yaml", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("x.yaml:1:65537"), "{text}");
    assert!(text.contains('…'), "{text}");
    assert!(text.len() < 10_000, "{} bytes printed", text.len());
}

#[test]
fn a_config_error_past_column_65535_is_shown_in_a_clipped_snippet() {
    let config = format!("[check]\nfail_on = \"{}\" x\n", "e".repeat(70_000));
    let dir = tree(&[
        ("mocheck.toml", config.as_bytes()),
        ("d/a.yaml", MINIMAL.as_bytes()),
    ]);
    let output = mocheck_in(dir.path(), &["check", "d", "--config", "mocheck.toml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("mocheck.toml:2:"), "{text}");
    assert!(text.len() < 10_000, "{} bytes printed", text.len());
}

#[test]
fn a_file_refused_as_too_big_is_not_echoed() {
    let line = format!("title: {}\n", "x".repeat(2 * 1024 * 1024));
    let dir = tree(&[
        ("mocheck.toml", &b"[check]\nmax_file_size = 1\n"[..]),
        ("d/big.yaml", line.as_bytes()),
    ]);
    let output = mocheck_in(dir.path(), &["check", "d", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("larger than 1 MB"), "{text}");
    assert!(text.len() < 10_000, "{} bytes printed", text.len());
}

// Item 5: the human format is linear.

#[test]
fn the_human_format_is_linear_in_records_per_file() {
    // Each record has findings; before, each finding's snippet scanned the file from its top.
    let mut text = String::new();
    for index in 0..3_000 {
        let _ = write!(
            text,
            "---\nreference: T-{index}\ntitle: A decision\ntype: other\nstatus: decided\n"
        );
    }
    let dir = tree(&[("many.yaml", text.as_bytes())]);
    let output = mocheck_within(
        dir.path(),
        &["check", "many.yaml", "--today", TODAY],
        MINUTE,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Checked 3000 records in 1 file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_human_format_is_linear_in_unknown_keys_of_one_record() {
    let mut text = String::from(MINIMAL);
    // The 20,000 keys. Before, 8,000 took over two minutes here; the loader's check
    // for a repeated key was quadratic too, and now looks keys up in a table.
    for index in 0..20_000 {
        let _ = writeln!(text, "unknown_key_{index}: some value");
    }
    let dir = tree(&[("wide.yaml", text.as_bytes())]);
    let output = mocheck_within(
        dir.path(),
        &["check", "wide.yaml", "--today", TODAY],
        MINUTE,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("unknown_key_19999"),
        "{}",
        stderr(&output)
    );
}

// Item 4: values repeated in findings are clipped.

#[test]
fn a_huge_reference_is_clipped_in_every_format() {
    let reference = "R".repeat(1024 * 1024);
    let record = MINIMAL.replace("reference: T-1", &format!("reference: {reference}"))
        + "confidentiality:\n  status: part\n";
    let dir = tree(&[("d/a.yaml", record.as_bytes())]);
    // The same record with a short reference: SARIF, say, always lists every rule.
    let short = record.replace(&reference, "T-1");
    let plain = tree(&[("d/a.yaml", short.as_bytes())]);
    let size_of = |dir: &std::path::Path, format: &str| {
        let output = mocheck_in(dir, &["check", "d", "--today", TODAY, "--format", format]);
        assert!(
            output.status.code().is_some_and(|code| code < 2),
            "{format}: {}",
            stderr(&output)
        );
        output.stdout.len()
    };
    for format in [
        "json", "sarif", "junit", "github", "markdown", "table", "human",
    ] {
        let (size, usual) = (size_of(dir.path(), format), size_of(plain.path(), format));
        assert!(
            size < usual + 64 * 1024,
            "{format}: {size} bytes for a few findings ({usual} with a short reference)"
        );
    }
    let output = mocheck_in(
        dir.path(),
        &["check", "d", "--today", TODAY, "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let shown = json["findings"][0]["record"].as_str().unwrap();
    assert_eq!(shown.chars().count(), 201, "{shown}");
    assert!(shown.ends_with("R…"), "{shown}");
}

// Item 11: record text neither drives a terminal nor carries markup.

#[test]
fn control_characters_are_shown_not_sent_in_terminal_formats() {
    let record = format!("{MINIMAL}\"\\e]0;pwned\\a\": 1\n\"\\e[2J\\rover\": 2\n");
    let dir = tree(&[("d/a.yaml", record.as_bytes())]);
    for format in ["human", "table", "github", "markdown"] {
        let output = mocheck_in(
            dir.path(),
            &["check", "d", "--today", TODAY, "--format", format],
        );
        let text = stdout(&output);
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\r']),
            "{format}: {text:?}"
        );
        assert!(text.contains("\\u{1b}]0;pwned\\u{7}"), "{format}: {text}");
    }
}

#[test]
fn markdown_and_drafts_show_record_text_as_written_without_markup() {
    let record = MINIMAL
        .replace(
            "reference: T-1",
            "reference: \"T-1<img src=x onerror=alert(1)>\"",
        )
        .replace(
            "title: A test decision",
            "title: \"*Grants* <b>2026</b> <script>alert(1)</script> [click](javascript:alert(1))\"",
        )
        + "confidentiality:\n  status: part\n";
    let dir = tree(&[("d/a.yaml", record.as_bytes())]);
    let markdown = mocheck_in(
        dir.path(),
        &["check", "d", "--today", TODAY, "--format", "markdown"],
    );
    let draft = mocheck_in(
        dir.path(),
        &[
            "report",
            "d",
            "--today",
            TODAY,
            "--decision",
            "T-1<img src=x onerror=alert(1)>",
        ],
    );
    assert_eq!(draft.status.code(), Some(0), "{}", stderr(&draft));
    let assurance = mocheck_in(
        dir.path(),
        &["report", "d", "--today", TODAY, "--assurance"],
    );
    assert_eq!(assurance.status.code(), Some(0), "{}", stderr(&assurance));
    for (name, output) in [
        ("markdown", markdown),
        ("s.5 draft", draft),
        ("assurance", assurance),
    ] {
        let text = stdout(&output);
        for markup in ["<img", "<script", "<b>", "[click](javascript:"] {
            assert!(!text.contains(markup), "{name} has {markup}: {text}");
        }
        assert!(
            text.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{name}: {text}"
        );
    }
    let draft = stdout(&mocheck_in(
        dir.path(),
        &[
            "report",
            "d",
            "--today",
            TODAY,
            "--decision",
            "T-1<img src=x onerror=alert(1)>",
        ],
    ));
    assert!(
        draft.contains("\\*Grants\\* &lt;b&gt;2026&lt;/b&gt;"),
        "the title is escaped to read as written: {draft}"
    );
}

// Item 9: `--output` never replaces an input or a special file.

fn check_to(dir: &Path, paths: &[&str], extra: &[&str], target: &str) -> Output {
    let mut args = vec!["check"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--today", TODAY, "--format", "json", "--output", target]);
    args.extend_from_slice(extra);
    mocheck_in(dir, &args)
}

#[test]
fn output_refuses_a_record_read_under_any_name() {
    let dir = tree(&[("notes.txt", MINIMAL.as_bytes())]);
    std::fs::hard_link(dir.path().join("notes.txt"), dir.path().join("copy.json")).unwrap();
    std::os::unix::fs::symlink("notes.txt", dir.path().join("link.json")).unwrap();
    for target in ["notes.txt", "./notes.txt", "copy.json", "link.json"] {
        let output = check_to(dir.path(), &["notes.txt"], &[], target);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{target}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("never writes over its inputs"),
            "{target}: {}",
            stderr(&output)
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        MINIMAL
    );
}

#[test]
fn output_refuses_the_configuration_and_rules_files() {
    let rules = std::fs::read(crate::support::repo().join("rules/england-and-wales.toml")).unwrap();
    let config = b"[check]\nfail_on = \"never\"\n";
    let dir = tree(&[
        ("mocheck.toml", &config[..]),
        ("local.toml", &rules[..]),
        ("d/a.yaml", MINIMAL.as_bytes()),
    ]);
    for (extra, target) in [
        (&["--config", "mocheck.toml"][..], "mocheck.toml"),
        (&[][..], "mocheck.toml"),
        (&["--rules", "local.toml"][..], "local.toml"),
    ] {
        let output = check_to(dir.path(), &["d"], extra, target);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{target}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).contains("never writes over its inputs"));
    }
    let output = mocheck_in(
        dir.path(),
        &[
            "report",
            "d",
            "--today",
            TODAY,
            "--assurance",
            "--output",
            "mocheck.toml",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(dir.path().join("mocheck.toml")).unwrap(),
        config
    );
    assert_eq!(std::fs::read(dir.path().join("local.toml")).unwrap(), rules);
}

#[test]
fn output_never_replaces_a_device_a_pipe_or_a_link_to_one() {
    let dir = tree(&[("d/a.yaml", MINIMAL.as_bytes())]);
    let fifo = dir.path().join("out.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null.json")).unwrap();
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path().join("stdout.json")).unwrap();
    for target in ["out.fifo", "null.json", "stdout.json", "/dev/null", "d"] {
        // Standard output is a pipe here, as `/proc/self/fd/1` sees it.
        let output = mocheck_in(
            dir.path(),
            &["check", "d", "--today", TODAY, "--output", target],
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{target}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("not a regular file"),
            "{target}: {}",
            stderr(&output)
        );
    }
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    for link in ["null.json", "stdout.json"] {
        assert!(std::fs::symlink_metadata(dir.path().join(link))
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

#[test]
fn output_through_a_link_replaces_the_file_it_points_to() {
    let dir = tree(&[
        ("d/a.yaml", MINIMAL.as_bytes()),
        ("reports/old.json", &b"old"[..]),
    ]);
    std::os::unix::fs::symlink("reports/old.json", dir.path().join("latest.json")).unwrap();
    let output = check_to(dir.path(), &["d"], &[], "latest.json");
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "{}",
        stderr(&output)
    );
    assert!(std::fs::symlink_metadata(dir.path().join("latest.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(dir.path().join("reports/old.json")).unwrap();
    assert!(written.contains("\"findings\""), "{written}");
}

#[test]
fn output_keeps_an_existing_mode_and_a_new_file_follows_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[
        ("d/a.yaml", MINIMAL.as_bytes()),
        ("shared.json", &b"old"[..]),
    ]);
    let shared = dir.path().join("shared.json");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = check_to(dir.path(), &["d"], &[], "shared.json");
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "{}",
        stderr(&output)
    );
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&shared), 0o644);

    let status = Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg("umask 022; exec \"$0\" check d --today 2026-11-23 --format json --output new.json")
        .arg(env!("CARGO_BIN_EXE_mocheck"))
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|code| code < 2));
    assert_eq!(mode(&dir.path().join("new.json")), 0o644);
}

#[test]
fn output_dash_is_standard_output() {
    let dir = tree(&[("d/a.yaml", MINIMAL.as_bytes())]);
    let output = check_to(dir.path(), &["d"], &[], "-");
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("\"findings\""));
    assert!(!dir.path().join("-").exists());
}

// Item 13: `init` creates all its files or none.

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn init_creates_nothing_when_a_folder_it_needs_is_a_file() {
    let dir = tree(&[("decisions", &b""[..])]);
    let output = mocheck_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("decisions` is there and is not a folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(listing(dir.path()), ["decisions"]);
}

#[test]
fn init_creates_nothing_when_a_broken_link_is_at_a_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join(".github/workflows/mocheck.yml"))
        .unwrap();
    let output = mocheck_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        listing(dir.path()),
        [
            ".github",
            ".github/workflows",
            ".github/workflows/mocheck.yml"
        ]
    );
}
