//! Why a command could not be done: printed to standard error, exit status 2.

use miette::Diagnostic;

use crate::rules::ConfigError;

/// Why a command could not be done: printed to standard error, exit status 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AppError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Message(String),
}
