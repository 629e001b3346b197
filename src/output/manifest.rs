//! The manifest, `.gazette-output` at the output's root: what the last build wrote (each
//! file's key, size, time and content hash), the key of each page's body, and what the build
//! reported. Its presence marks a folder as gazette's output, so rebuilding into it is safe.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result, Warning};
use crate::key::{Key, from_hex, to_hex};

/// The manifest's file name.
pub(crate) const MARKER: &str = ".gazette-output";

const HEADER: &str = "This folder is written by `gazette build`, which keeps it in step with the site's sources; files gazette did not write are left alone.";

/// What the last build knew of one file it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// What the file was made from (see `render::keys`).
    pub key: Key,
    pub size: u64,
    /// Modification time, in nanoseconds since 1970.
    pub mtime: u128,
    /// The file's content (for copies: the source's stamp).
    pub hash: Key,
}

impl Entry {
    /// (size, modification time) of a file.
    pub(crate) fn stat(meta: &fs::Metadata) -> (u64, u128) {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (meta.len(), mtime)
    }
}

/// What a build reported, repeated by the next one when it has nothing to write.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Report {
    pub pages: usize,
    pub warnings: Vec<StoredWarning>,
    /// Each page's body key, by source file, with the warnings rendering it gave.
    pub bodies: BTreeMap<PathBuf, (String, Vec<StoredWarning>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredWarning {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl From<&Warning> for StoredWarning {
    fn from(w: &Warning) -> Self {
        StoredWarning {
            path: w.location.path.clone(),
            line: w.location.line,
            col: w.location.col,
            message: w.message.clone(),
        }
    }
}

impl From<&StoredWarning> for Warning {
    fn from(w: &StoredWarning) -> Self {
        Warning {
            location: Location::at(w.path.clone(), w.line, w.col),
            message: w.message.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Manifest {
    pub files: HashMap<String, Entry>,
    pub report: Report,
    /// The folder has a marker from a gazette that kept no list of its files.
    legacy: bool,
}

/// The manifest as stored: keys and hashes as hex (JSON numbers lose 64-bit precision in
/// some tools).
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    report: Report,
    /// path -> [key, size, mtime, hash], sorted: the same manifest gives the same text.
    files: BTreeMap<String, (String, u64, u128, String)>,
}

const VERSION: u32 = 2;

impl Manifest {
    pub(crate) fn new(files: HashMap<String, Entry>, report: Report) -> Manifest {
        Manifest {
            files,
            report,
            legacy: false,
        }
    }

    /// The manifest of the output at `dir`; empty if there is none, or none this gazette reads.
    pub(crate) fn load(dir: &Path) -> Manifest {
        let Ok(text) = fs::read_to_string(dir.join(MARKER)) else {
            return Manifest::default();
        };
        let stored: Option<Stored> = text
            .lines()
            .nth(1)
            .and_then(|json| serde_json::from_str(json).ok())
            .filter(|s: &Stored| s.version == VERSION);
        let Some(stored) = stored else {
            return Manifest {
                legacy: true,
                ..Manifest::default()
            };
        };
        let hex = |s: &str| from_hex(s).unwrap_or_default();
        let files = stored
            .files
            .into_iter()
            .map(|(path, (key, size, mtime, hash))| {
                let entry = Entry {
                    key: hex(&key),
                    size,
                    mtime,
                    hash: hex(&hash),
                };
                (path, entry)
            })
            .collect();
        Manifest {
            files,
            report: stored.report,
            legacy: false,
        }
    }

    /// A marker of an older gazette: the folder is gazette's, but what it wrote is not known.
    pub(crate) fn is_legacy(&self) -> bool {
        self.legacy
    }

    /// Whether `other` lists the same files with the same contents.
    pub(crate) fn same_files(&self, other: &Manifest) -> bool {
        self.files.len() == other.files.len()
            && other.files.iter().all(|(path, entry)| {
                self.files.get(path).is_some_and(|e| {
                    (e.size, e.mtime, e.hash) == (entry.size, entry.mtime, entry.hash)
                })
            })
    }

    fn text(&self) -> String {
        let stored = Stored {
            version: VERSION,
            report: self.report.clone(),
            files: self
                .files
                .iter()
                .map(|(path, e)| {
                    let entry = (to_hex(e.key), e.size, e.mtime, to_hex(e.hash));
                    (path.clone(), entry)
                })
                .collect(),
        };
        // Serializing plain data to a string cannot fail.
        let json = serde_json::to_string(&stored).unwrap_or_default();
        format!("{HEADER}\n{json}\n")
    }

    /// Writes the manifest at `path` (a staging file, renamed into place by the journal).
    pub(crate) fn save_to(&self, path: &Path) -> Result<()> {
        fs::write(path, self.text()).map_err(|e| Error::io(path, e))
    }

    /// Replaces the output's manifest at once (written beside it, then renamed), unless it
    /// says the same already.
    pub(crate) fn save(&self, dir: &Path) -> Result<()> {
        let text = self.text();
        if fs::read_to_string(dir.join(MARKER)).is_ok_and(|old| old == text) {
            return Ok(());
        }
        let temporary = dir.join(format!("{MARKER}.new"));
        fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
        let marker = dir.join(MARKER);
        fs::rename(&temporary, &marker).map_err(|e| Error::io(&marker, e))
    }
}
