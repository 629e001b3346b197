//! Every way a build can fail, each carrying the file (and line) it is about, so that
//! messages read `path:line:col: what is wrong` and tests can match on the variant.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a source file. `line` and `col` are 1-based; 0 means "not known".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            col: 0,
        }
    }

    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location {
            path: path.into(),
            line,
            col,
        }
    }

    /// The location of byte `offset` in `text`, which starts at line `first_line` of the file.
    pub(crate) fn from_offset(
        path: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        first_line: usize,
    ) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = first_line + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location::at(path, line, col)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        Ok(())
    }
}

/// What went wrong. The variant says which stage refused the site; the message is written
/// for the site's author and says how to fix it where we know.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{location}: {message}")]
    Config { location: Location, message: String },
    #[error("{location}: {message}")]
    FrontMatter { location: Location, message: String },
    #[error("{location}: {message}")]
    Encoding { location: Location, message: String },
    #[error("{location}: {message}")]
    Content { location: Location, message: String },
    #[error("{location}: {message}")]
    Link { location: Location, message: String },
    #[error("{location}: {message}")]
    DuplicateUrl { location: Location, message: String },
    #[error("{location}: {message}")]
    Template { location: Location, message: String },
    #[error("{location}: {message}")]
    Output { location: Location, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The dev server could not start.
    #[error("{0}")]
    Serve(String),
    /// gazette broke one of its own rules: the build stops before changing anything.
    #[error("gazette bug, nothing was changed (please report it): {0}")]
    Bug(String),
    #[error("{}", join_errors(.0))]
    Many(Vec<Error>),
}

fn join_errors(errors: &[Error]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The location the error is about, if it has a single one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Config { location, .. }
            | Error::FrontMatter { location, .. }
            | Error::Encoding { location, .. }
            | Error::Content { location, .. }
            | Error::Link { location, .. }
            | Error::DuplicateUrl { location, .. }
            | Error::Template { location, .. }
            | Error::Output { location, .. } => Some(location),
            Error::Io { .. } | Error::Serve(_) | Error::Bug(_) | Error::Many(_) => None,
        }
    }

    /// Folds several errors into one, sorted by file then line, so a build reports all at once.
    pub(crate) fn from_many(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => {
                errors.sort_by(|a, b| a.location().cmp(&b.location()));
                Some(Error::Many(errors))
            }
        }
    }

    /// Every single error inside this one (flattening `Many`).
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Many(errors) => errors.iter().flat_map(|e| e.flatten()).collect(),
            other => vec![other],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The errors and warnings a run of the pipeline has found so far. Stages record what they
/// find and go on where they can, so that one run reports every problem.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Error>,
    pub warnings: Vec<Warning>,
    /// Markdown files read.
    pub files: usize,
}

impl Diagnostics {
    pub(crate) fn error(&mut self, error: Error) {
        match error {
            Error::Many(errors) => self.errors.extend(errors),
            single => self.errors.push(single),
        }
    }

    /// Records `result`'s error, if any, and gives its value.
    pub(crate) fn take<T>(&mut self, result: Result<T>) -> Option<T> {
        result.map_err(|e| self.error(e)).ok()
    }

    /// Every error found so far, as one, if there is any: the pipeline stops there.
    pub(crate) fn stop_on_errors(&mut self) -> Result<()> {
        match Error::from_many(std::mem::take(&mut self.errors)) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The warnings, sorted by file and line, each once.
    pub(crate) fn sorted_warnings(&self) -> Vec<Warning> {
        let mut warnings = self.warnings.clone();
        warnings.sort();
        warnings.dedup();
        warnings
    }
}

/// Something worth telling the author that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.location, self.message)
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_chars() {
        let text = "a = 1\nbé = \"x\"\n";
        let loc = Location::from_offset("f.md", text, 9, 2);
        assert_eq!((loc.line, loc.col), (3, 3));
        assert_eq!(loc.to_string(), "f.md:3:3");
    }

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["title", "date", "description", "tags"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("descripton", keys), Some("description"));
        assert_eq!(closest("zzzzzz", keys), None);
    }
}
