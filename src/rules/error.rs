//! Errors in a rules file or `mocheck.toml`: each points into the TOML with a snippet.
//! Every problem found is kept, so a user fixes them all in one pass.

use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// One problem in a TOML file the user wrote.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct TomlProblem {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<Arc<str>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// The source a problem points into: a file's name and text.
#[derive(Clone, Debug)]
pub struct TomlSource {
    pub name: String,
    pub text: Arc<str>,
    /// Where each line starts, computed on first use: a rules file has hundreds of
    /// examples whose lines are wanted, and scanning from the top for each is quadratic.
    line_starts: Arc<std::sync::OnceLock<Vec<usize>>>,
}

impl TomlSource {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        TomlSource {
            name: name.into(),
            text: text.into(),
            line_starts: Arc::default(),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(index, _)| index + 1))
                .collect()
        });
        let line = starts.partition_point(|start| *start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    pub fn problem(&self, span: Option<Range<usize>>, message: impl Into<String>) -> TomlProblem {
        TomlProblem {
            message: message.into(),
            source_code: NamedSource::new(self.name.clone(), self.text.clone()),
            span: span.map(|range| SourceSpan::from(range.start..range.end.max(range.start))),
            label: "here".to_string(),
            help: None,
        }
    }

    /// A TOML syntax or shape error from the deserialiser, in its own words. A few come with
    /// no place (a dotted key nested past the reader's limit): those name the file instead.
    pub fn from_toml(&self, error: &toml::de::Error) -> TomlProblem {
        let message = error.message().trim();
        match error.span() {
            Some(span) => self.problem(Some(span), message),
            None => self.problem(None, format!("{}: {message}", self.name)),
        }
    }
}

impl TomlProblem {
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
}

/// All the problems found in the configuration, reported together; exit status 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("the configuration has {} problem{}", .problems.len(), if .problems.len() == 1 { "" } else { "s" })]
pub struct ConfigError {
    #[related]
    pub problems: Vec<TomlProblem>,
}

impl From<TomlProblem> for ConfigError {
    fn from(problem: TomlProblem) -> Self {
        ConfigError {
            problems: vec![problem],
        }
    }
}

impl From<Vec<TomlProblem>> for ConfigError {
    fn from(problems: Vec<TomlProblem>) -> Self {
        ConfigError { problems }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_error_with_no_place_still_names_the_file() {
        let text = format!("{} = 1\n", vec!["a"; 300].join("."));
        let error = toml::from_str::<toml::Table>(&text).unwrap_err();
        assert!(
            error.span().is_none(),
            "the reader now gives a place: test another error"
        );
        let problem = TomlSource::new("mocheck.toml", text).from_toml(&error);
        assert!(
            problem.message.starts_with("mocheck.toml: "),
            "{}",
            problem.message
        );
    }
}
