//! What a terminal wants: colour or not, and how wide to draw. Decided once per run from the
//! command line and the environment, so every stream follows the same choice.

/// When to colour: `--color` (`cli::ColorChoice` is its spelling on the command line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` says otherwise (`CLICOLOR_FORCE` or
    /// `FORCE_COLOR` force it elsewhere)
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour a stream that is (or is not) a terminal. `--color always|never` wins;
/// then `NO_COLOR` when set and not empty (no-color.org); then `CLICOLOR_FORCE` or
/// `FORCE_COLOR` when set to anything but empty or `0`; then whether the stream is a
/// terminal. `environment` reads a variable, so tests need not change the process's.
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    environment: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| environment(name).is_some_and(|value| !value.is_empty());
    let forced =
        |name: &str| environment(name).is_some_and(|value| !value.is_empty() && value != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") => true,
        ColorChoice::Auto => is_terminal && environment("TERM").as_deref() != Some("dumb"),
    }
}

/// The process's own environment, for `use_color`.
pub fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Columns to draw in: `COLUMNS` when set, else the terminal's own width, else 100; never
/// under 40 or over 200, so a table stays readable.
pub fn width() -> usize {
    let from_terminal = || {
        terminal_size::terminal_size_of(std::io::stdout())
            .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
            .map(|(terminal_size::Width(columns), _)| usize::from(columns))
    };
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .or_else(from_terminal)
        .unwrap_or(100)
        .clamp(40, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(choice: ColorChoice, is_terminal: bool, variables: &[(&str, &str)]) -> bool {
        use_color(choice, is_terminal, |name| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_string())
        })
    }

    #[test]
    fn the_flag_then_no_color_then_forcing_then_the_terminal() {
        assert!(decide(ColorChoice::Always, false, &[("NO_COLOR", "1")]));
        assert!(!decide(
            ColorChoice::Never,
            true,
            &[("CLICOLOR_FORCE", "1")]
        ));
        assert!(decide(ColorChoice::Auto, true, &[]));
        assert!(!decide(ColorChoice::Auto, false, &[]));
        assert!(!decide(ColorChoice::Auto, true, &[("NO_COLOR", "1")]));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(decide(ColorChoice::Auto, true, &[("NO_COLOR", "")]));
        assert!(decide(ColorChoice::Auto, false, &[("CLICOLOR_FORCE", "1")]));
        assert!(decide(ColorChoice::Auto, false, &[("FORCE_COLOR", "true")]));
        assert!(!decide(ColorChoice::Auto, false, &[("FORCE_COLOR", "0")]));
        assert!(!decide(
            ColorChoice::Auto,
            false,
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
        ));
        assert!(!decide(ColorChoice::Auto, true, &[("TERM", "dumb")]));
    }
}
