//! Whether the output already there was built from exactly these inputs, so that a build
//! with nothing new stops once it has read the sources. The stamp, kept in the output's
//! marker file, holds a hash of everything a build reads (gazette itself, the options,
//! config.toml, every Markdown text, and the theme, templates, static and bundle files: by
//! content, or by size and times for large ones), the size of what the build wrote, and what
//! it reported.

use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Location, Warning};
use crate::source::Sources;

/// What a build leaves in the marker file, after one line for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    /// Hash of the build's inputs, as hex (JSON numbers lose 64-bit precision in some tools).
    pub inputs: String,
    /// Files and bytes the build wrote (dotfiles at the output's root not counted: they
    /// may be carried over from the previous output).
    pub files: u64,
    pub bytes: u64,
    /// What the build reported: pages, files and warnings.
    pub pages: usize,
    pub reported_files: usize,
    pub warnings: Vec<StoredWarning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredWarning {
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
            location: Location {
                path: w.path.clone(),
                line: w.line,
                col: w.col,
            },
            message: w.message.clone(),
        }
    }
}

/// The options that decide a build's output besides its config (where `--base-url` is).
pub struct Options {
    pub drafts: bool,
    pub relative: bool,
}

/// Hash of everything a build with these options reads.
pub fn inputs(config: &Config, options: &Options, sources: &Sources) -> String {
    let mut hasher = seeded();
    let mut write = |bytes: &[u8]| {
        hasher.write_usize(bytes.len());
        hasher.write(bytes);
    };
    write(env!("CARGO_PKG_VERSION").as_bytes());
    // A rebuilt gazette may render differently with the same version number.
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    {
        write(&meta.len().to_le_bytes());
        write(
            &meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos())
                .to_le_bytes(),
        );
    }
    write(&[u8::from(options.drafts), u8::from(options.relative)]);
    write(config.base_url.as_bytes());
    write(config.text.as_bytes());
    // Each text hashed on its own, in parallel: they are most of the bytes.
    let texts: Vec<u64> = sources
        .files
        .par_iter()
        .map(|file| {
            let mut hasher = seeded();
            hasher.write(file.path.as_os_str().as_encoded_bytes());
            hasher.write_u8(0);
            hasher.write(file.text.as_bytes());
            hasher.finish()
        })
        .collect();
    for text in texts {
        write(&text.to_le_bytes());
    }
    // Files that are not published still give warnings, which the stamp repeats.
    for warning in &sources.warnings {
        write(warning.to_string().as_bytes());
    }
    for asset in &sources.assets {
        write(asset.source.as_os_str().as_encoded_bytes());
        write(&file_stamp(&asset.source));
    }
    for dir in [
        config.theme_dir(),
        config.root.join("templates"),
        config.root.join("static"),
    ] {
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            write(entry.path().as_os_str().as_encoded_bytes());
            if entry.file_type().is_file() {
                write(&file_stamp(entry.path()));
            }
        }
    }
    format!("{:016x}", hasher.finish())
}

/// A hasher with fixed seeds: the hash must be the same from one run to the next.
fn seeded() -> ahash::AHasher {
    ahash::RandomState::with_seeds(0x6761_7a65, 0x7474_6521, 0x7374_616d, 0x7020_7631)
        .build_hasher()
}

/// Files up to this size are hashed by content (templates, strings, stylesheets); larger ones
/// (images, fonts) by size and times.
const HASHED_BY_CONTENT: u64 = 256 * 1024;

/// What stands for a file's content in the hash: the content itself when small; otherwise
/// size, modification and change times and inode (tools set modification times back, or
/// record them to the second, but cannot set the change time).
fn file_stamp(path: &Path) -> Vec<u8> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    if meta.len() <= HASHED_BY_CONTENT {
        if let Ok(bytes) = std::fs::read(path) {
            let mut hasher = seeded();
            hasher.write(&bytes);
            return hasher.finish().to_le_bytes().to_vec();
        }
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut bytes = meta.len().to_le_bytes().to_vec();
    bytes.extend_from_slice(&modified.to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        bytes.extend_from_slice(&meta.ctime().to_le_bytes());
        bytes.extend_from_slice(&meta.ctime_nsec().to_le_bytes());
        bytes.extend_from_slice(&meta.ino().to_le_bytes());
    }
    bytes
}

/// The marker file's text for `stamp`.
pub fn marker_text(stamp: &Stamp) -> String {
    format!(
        "This folder is written by gazette build, which replaces it when its sources change.\n{}\n",
        serde_json::to_string(stamp).unwrap_or_default()
    )
}

/// The stamp of `output` if it was built from `inputs` and still holds every file and byte
/// the build wrote.
pub fn up_to_date(output: &Path, inputs: &str) -> Option<Stamp> {
    let text = std::fs::read_to_string(output.join(crate::write::MARKER)).ok()?;
    let stamp: Stamp = serde_json::from_str(text.lines().nth(1)?).ok()?;
    if stamp.inputs != inputs {
        return None;
    }
    let (files, bytes) = measure(output);
    (files == stamp.files && bytes == stamp.bytes).then_some(stamp)
}

/// Files and bytes under `output`, without the marker and the root's dotfiles. Folders are
/// read in parallel: an output has tens of thousands of them.
fn measure(output: &Path) -> (u64, u64) {
    fn walk(dir: &Path, root: bool) -> (u64, u64) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return (0, 0);
        };
        let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries
            .par_iter()
            .filter(|e| !(root && e.file_name().to_string_lossy().starts_with('.')))
            .map(|entry| match entry.file_type() {
                Ok(kind) if kind.is_dir() => walk(&entry.path(), false),
                Ok(kind) if kind.is_file() => (1, entry.metadata().map_or(0, |m| m.len())),
                _ => (0, 0),
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    }
    walk(output, true)
}

/// Whether a path of the output (relative, with `/`) is counted in a stamp.
pub fn counted(path: &str) -> bool {
    !path.starts_with('.')
}
