//! `mocheck schema`: the record format as JSON Schema.

use super::{emit, AppError, ExitStatus};

/// `mocheck schema`: the record format as JSON Schema, generated from the field table.
pub(super) fn run_schema() -> Result<ExitStatus, AppError> {
    emit(None, &[], crate::schema::record_schema().as_bytes())?;
    Ok(ExitStatus::Clean)
}
