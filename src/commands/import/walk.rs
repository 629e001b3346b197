//! A folder of the old site -> its files, sorted, as paths relative to it with `/`.
//! Symbolic links are not followed (one could lead outside the site, and nothing outside
//! is ever published), hidden files are left out as the engines leave them out.

use std::path::{Path, PathBuf};

/// The files under `dir`, and the symbolic links left out.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub files: Vec<(String, PathBuf)>,
    pub links: Vec<String>,
}

/// Walks `dir`; `skip` names relative paths (files or folders) to leave out.
pub(crate) fn files(dir: &Path, skip: &dyn Fn(&str) -> bool) -> Walked {
    let mut walked = Walked::default();
    if !dir.is_dir() {
        return walked;
    }
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let rel = relative(dir, e.path());
            e.depth() == 0 || !(name.starts_with('.') || name.ends_with('~') || skip(&rel))
        });
    for entry in entries.flatten() {
        let rel = relative(dir, entry.path());
        if entry.path_is_symlink() {
            walked.links.push(rel);
        } else if entry.file_type().is_file() {
            walked.files.push((rel, entry.path().to_path_buf()));
        }
    }
    walked
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a text file of the old site, or says why not (for the report).
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("could not be read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 (byte {}): not imported",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(text.replace("\r\n", "\n"))
}

/// A path under the old site's root, for messages.
pub(crate) fn shown(root_relative: &str) -> PathBuf {
    PathBuf::from(root_relative)
}
