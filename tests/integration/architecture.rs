//! The shape ARCHITECTURE.md promises, kept by a test: the modules' imports form no cycle
//! (neither among the top-level modules nor among the modules of one folder), and the
//! layers below the command line know nothing of it. Read from the source text, tests left
//! out: `crate::a::b` and `super::a` name what a module uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo;

/// Each module's path (`["rules", "expr"]`) and its source without its tests and comments.
fn modules() -> Vec<(Vec<String>, String)> {
    let src = repo().join("src");
    let mut found = Vec::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push((module_path(&src, &path), code_of(&path)));
            }
        }
    }
    found
        .retain(|(module, _)| !matches!(module.as_slice(), [one] if one == "lib" || one == "main"));
    found.sort();
    found
}

fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names after each occurrence of `prefix` (`crate::`, `super::`), as paths.
fn references(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        if code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `super::{a, b::c}`: each first name.
            let group = group.split('}').next().unwrap_or_default();
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                paths.push(vec![name]);
            }
            continue;
        }
        let path: Vec<String> = rest
            .split("::")
            .map(|part| {
                part.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|part| part.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        paths.push(path);
    }
    paths
}

/// The import graph at both levels: between top-level modules, and between the modules
/// of one folder (a module's use of its own folder's `mod.rs` is not an edge).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<&Vec<String>> = modules.iter().map(|(module, _)| module).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        let parent = &module[..module.len() - 1];
        let mut used: Vec<Vec<String>> = references(code, "crate::");
        for path in references(code, "super::") {
            used.push(parent.iter().cloned().chain(path).collect());
        }
        for mut path in used {
            while !path.is_empty() && !known.contains(&path) {
                path.pop();
            }
            if path.is_empty() || path == *module {
                continue;
            }
            let edge = if path[0] != module[0] {
                Some((module[0].clone(), path[0].clone()))
            } else if module.len() >= 2 && path.len() >= 2 && module[1] != path[1] {
                Some((
                    format!("{}/{}", module[0], module[1]),
                    format!("{}/{}", path[0], path[1]),
                ))
            } else {
                None
            };
            if let Some((from, to)) = edge {
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    edges
}

/// A cycle through `start`, if there is one.
fn cycle_through(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut pending = vec![vec![start.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = pending.pop() {
        let last = path.last().unwrap();
        for next in edges.get(last).into_iter().flatten() {
            if next == start {
                return Some(path.iter().cloned().chain([next.clone()]).collect());
            }
            if seen.insert(next.clone()) {
                pending.push(path.iter().cloned().chain([next.clone()]).collect());
            }
        }
    }
    None
}

#[test]
fn the_modules_import_each_other_in_no_cycle() {
    let edges = graph();
    assert!(
        edges.get("rules").is_some_and(|used| used.contains("load")),
        "the reader of imports should see that rules read records: {edges:?}"
    );
    let cycles: Vec<String> = edges
        .keys()
        .filter_map(|module| cycle_through(&edges, module))
        .map(|cycle| cycle.join(" -> "))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("a".into());
    assert_eq!(
        cycle_through(&edges, "a"),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
    assert_eq!(
        references(
            "use super::{scope::Scope, cell};\nlet x = crate::load::read(y);",
            "super::"
        ),
        vec![vec!["scope".to_string()], vec!["cell".to_string()]]
    );
}

#[test]
fn only_the_command_layer_knows_the_command_line() {
    // `cli` is the arguments, `app` the commands, `completions` the scripts made from `cli`.
    let command_layer = ["app", "cli", "completions"];
    let mut leaks = Vec::new();
    for (module, code) in modules() {
        if command_layer.contains(&module[0].as_str()) {
            continue;
        }
        for name in ["clap", "crate::cli", "crate::app"] {
            if code.contains(name) {
                leaks.push(format!("{} uses {name}", module.join("/")));
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:?}");
}

#[test]
fn checking_touches_no_files() {
    // `check/` is handed records and gives findings: the app reads files, counts progress
    // and writes output.
    let mut touches = Vec::new();
    for (module, code) in modules() {
        if module[0] != "check" {
            continue;
        }
        for name in [
            "std::fs",
            "File::",
            "std::io::stdin",
            "crate::load::read",
            "load_file",
            "Progress",
            "OpenOptions",
        ] {
            if code.contains(name) {
                touches.push(format!("{} uses {name}", module.join("/")));
            }
        }
    }
    assert!(touches.is_empty(), "{touches:?}");
}
