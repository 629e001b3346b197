//! How the command line shows problems: `path:line:col: message`, then the offending line
//! with a caret under the column. Colours only on a terminal, and never with `NO_COLOR`.

use std::io::IsTerminal;
use std::path::Path;

use gazette::{Location, Warning};

pub struct Reporter<'a> {
    root: &'a Path,
    color: bool,
}

impl<'a> Reporter<'a> {
    pub fn new(root: &'a Path) -> Self {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Reporter { root, color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn error(&self, error: &gazette::Error) {
        for single in error.flatten() {
            let text = single.to_string();
            match single.location() {
                Some(location) => {
                    let prefix = location.to_string();
                    let message = text.strip_prefix(&format!("{prefix}: ")).unwrap_or(&text);
                    eprintln!(
                        "{}: {}",
                        self.paint("1", &visible(&prefix)),
                        self.paint("31", &visible(message))
                    );
                    self.snippet(location, "31");
                }
                None => eprintln!("{}", self.paint("31", &visible(&text))),
            }
        }
    }

    pub fn warning(&self, warning: &Warning) {
        eprintln!(
            "{}: {} {}",
            self.paint("1", &visible(&warning.location.to_string())),
            self.paint("33", "warning:"),
            visible(&warning.message)
        );
        self.snippet(&warning.location, "33");
    }

    /// The line the location points at, with a caret under its column.
    fn snippet(&self, location: &Location, code: &str) {
        if location.line == 0 {
            return;
        }
        let Ok(text) = std::fs::read(self.root.join(&location.path)) else {
            return;
        };
        let text = String::from_utf8_lossy(&text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let Some(line) = text.lines().nth(location.line - 1) else {
            return;
        };
        let line = line.trim_end_matches('\r');
        let number = location.line.to_string();
        let gutter = " ".repeat(number.len());
        eprintln!("{gutter} |");
        eprintln!("{number} | {}", visible(line));
        if location.col > 0 {
            let pad: String = line
                .chars()
                .take(location.col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            eprintln!("{gutter} | {pad}{}", self.paint(code, "^"));
        }
    }
}

/// `text` safe to print on a terminal: control characters (an escape sequence in a file name
/// or a source line could move the cursor, clear the screen or fake a line) shown as
/// `\u{1b}`; tabs and line ends kept.
pub fn visible(text: &str) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if is_hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Control characters, but tab and line feed, and Unicode's bidirectional overrides (which
/// reorder what follows them on screen).
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_run() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(visible("ok\tstill ok"), "ok\tstill ok");
        assert_eq!(visible("x\u{202e}y"), "x\\u{202e}y");
    }
}
