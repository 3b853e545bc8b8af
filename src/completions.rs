//! Shell completions: the command line as `--help` shows it, without the hidden commands and
//! options kept for benchmarks, and with the values worth offering (rule ids, decision types).

use std::io::Write;

use clap::builder::PossibleValuesParser;
use clap::{Arg, Command, CommandFactory};

use crate::cli::Cli;

/// Writes the completion script for `shell`; `rule_ids` are offered to `explain`,
/// `--select` and `--ignore`.
pub fn generate(shell: clap_complete::Shell, rule_ids: &[String], out: &mut dyn Write) {
    let mut command = completable(&Cli::command(), rule_ids);
    clap_complete::generate(shell, &mut command, "mocheck", out);
}

/// A copy of `command` without hidden subcommands and options, with values to offer.
fn completable(command: &Command, rule_ids: &[String]) -> Command {
    let mut copy = Command::new(command.get_name().to_string());
    if let Some(about) = command.get_about() {
        copy = copy.about(about.clone());
    }
    for argument in command
        .get_arguments()
        .filter(|argument| !argument.is_hide_set())
    {
        copy = copy.arg(offered(argument.clone(), command.get_name(), rule_ids));
    }
    for subcommand in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        copy = copy.subcommand(completable(subcommand, rule_ids));
    }
    copy
}

fn offered(argument: Arg, command: &str, rule_ids: &[String]) -> Arg {
    let values = |values: Vec<String>| PossibleValuesParser::new(values);
    match (command, argument.get_id().as_str()) {
        ("explain", "id") | (_, "select" | "ignore") => {
            argument.value_parser(values(rule_ids.to_vec()))
        }
        ("new", "decision_type") => argument.value_parser(values(
            crate::load::schema::TYPES
                .iter()
                .map(ToString::to_string)
                .collect(),
        )),
        _ => argument,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(shell: clap_complete::Shell) -> String {
        let ids = vec![
            "MO015".to_string(),
            "MO016".to_string(),
            "MO090".to_string(),
        ];
        let mut out = Vec::new();
        generate(shell, &ids, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hidden_commands_and_options_are_not_offered() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let script = script(shell);
            assert!(!script.contains("parse-only"), "{shell}");
            assert!(!script.contains("interpreter"), "{shell}");
            assert!(script.contains("explain"), "{shell}");
            assert!(script.contains("select"), "{shell}");
        }
    }

    /// What bash offers after `words`, with the script loaded as a user's shell loads it.
    fn bash_offers(words: &[&str]) -> Vec<String> {
        let script = script(clap_complete::Shell::Bash);
        let line = words.join(" ");
        let program = format!(
            "{script}\nCOMP_WORDS=({line}); COMP_CWORD={}; COMP_LINE='{line}'; _mocheck mocheck '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2]
        );
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(program)
            .output()
            .expect("bash runs");
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter(|line| !line.is_empty())
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn bash_offers_rule_ids_and_decision_types() {
        assert_eq!(
            bash_offers(&["mocheck", "explain", "MO01"]),
            ["MO015", "MO016"]
        );
        assert_eq!(
            bash_offers(&["mocheck", "check", "--ignore", "MO09"]),
            ["MO090"]
        );
        assert_eq!(
            bash_offers(&["mocheck", "new", "R-1", "--type", "contract_"]),
            ["contract_award"]
        );
        assert!(
            bash_offers(&["mocheck", "pa"]).is_empty(),
            "parse-only is hidden"
        );
    }
}
