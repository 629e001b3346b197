//! The plan's output paths -> every collision among them, each named by the sources that make
//! the two files: two files at one path (ignoring case and Unicode normalization, as static
//! hosts and macOS and Windows file systems do), a file where another's folder must go, and
//! names longer than file systems take. `check` and `build` both plan, so both report all of
//! them in one run.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Location};

/// The longest file or folder name most file systems take, in bytes.
const LONGEST_NAME: usize = 255;

/// The file to blame for an output file, and how to name what makes it.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub location: Location,
    pub what: String,
    /// A page of content (its slug or file name is what to change).
    pub is_page: bool,
}

/// Every collision among the files at `paths`, made by `origin(i)`.
pub(crate) fn collisions(paths: &[&str], origin: impl Fn(usize) -> Origin) -> Vec<Error> {
    let path = |i: usize| paths[i];
    let mut errors = Vec::new();
    let folded: Vec<String> = paths.iter().map(|path| fold(path)).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, folded_path) in folded.iter().enumerate() {
        match seen.get(folded_path.as_str()) {
            Some(&first) => {
                let at = if path(i) == path(first) {
                    format!("at {}", path(i))
                } else {
                    format!(
                        "at {} and {}, one file where case or Unicode form does not count \
                         (static hosts, macOS, Windows)",
                        path(first),
                        path(i)
                    )
                };
                errors.push(collision(origin(first), origin(i), &at));
            }
            None => {
                seen.insert(folded_path, i);
            }
        }
    }
    // A file where another file's folder goes: `x` and `x/index.html`.
    for (i, folded_path) in folded.iter().enumerate() {
        let mut folder = folded_path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(&file) = seen.get(parent) {
                let at = format!(
                    "at {} and {}: a file where the other needs a folder",
                    path(file),
                    path(i)
                );
                errors.push(collision(origin(file), origin(i), &at));
                break;
            }
            folder = parent;
        }
    }
    for (i, path) in paths.iter().enumerate() {
        if path.split('/').any(|name| name.len() > LONGEST_NAME) {
            let Origin { location, what, .. } = origin(i);
            errors.push(Error::Output {
                location,
                message: format!(
                    "{what} would be written at a name longer than file systems take \
                     ({LONGEST_NAME} bytes): shorten its slug or file name"
                ),
            });
        }
    }
    errors
}

/// A path as hosts compare them: case and Unicode normalization (NFC) folded.
fn fold(path: &str) -> String {
    path.nfc().collect::<String>().to_lowercase()
}

/// Two files at one place: the error is at the file of the one that is a page of content,
/// if either is (a slug or file name to change), else of the second.
fn collision(first: Origin, second: Origin, at: &str) -> Error {
    let location = if first.is_page && !second.is_page {
        first.location
    } else {
        second.location
    };
    Error::Output {
        location,
        message: format!(
            "{} and {} would be written {at}: rename one",
            first.what, second.what
        ),
    }
}
