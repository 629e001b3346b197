//! What the output stage refuses: an output folder that would destroy sources or someone
//! else's files, and changes that would need to remove a file gazette did not write.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::manifest::MARKER;
use crate::error::{Error, Location, Result};

/// Refuses an output folder that would destroy sources, or that is a file.
pub(crate) fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let refuse = |message: String| Error::Output {
        location: Location::file(output),
        message,
    };
    let out = resolve(output);
    let root = resolve(root);
    let mut protected: Vec<(PathBuf, &str)> = vec![
        (root.clone(), "the site's root"),
        (root.join("content"), "content/"),
        (root.join("themes"), "themes/"),
        (root.join("static"), "static/"),
        (root.join("templates"), "templates/"),
        (root.join("config.toml"), "config.toml"),
        (PathBuf::from("/"), "the file system's root"),
    ];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        protected.push((resolve(Path::new(&home)), "your home folder"));
    }
    for (path, what) in &protected {
        if path.starts_with(&out) {
            return Err(refuse(format!(
                "refusing to use this output folder: it is or contains {what}, which a build would \
                 replace; choose a folder of its own, e.g. --output output"
            )));
        }
    }
    for (path, what) in &protected[1..5] {
        if out.starts_with(path) {
            return Err(refuse(format!(
                "refusing to write the output inside {what}: it would be read back as sources"
            )));
        }
    }
    if out.is_file() {
        return Err(refuse("this is a file, not a folder".into()));
    }
    Ok(())
}

/// Refuses a folder that holds files and was not made by gazette, unless `force`; gives
/// whether it is such a folder (its files are then replaced). Only dotfiles (a `.git` of its
/// own) do not count.
pub(super) fn check_foreign(output: &Path, force: bool) -> Result<bool> {
    let has_files = fs::read_dir(output)
        .map_err(|e| Error::io(output, e))?
        .flatten()
        .any(|e| !e.file_name().to_string_lossy().starts_with('.'));
    let foreign = has_files && !output.join(MARKER).exists();
    if foreign && !force {
        return Err(Error::Output {
            location: Location::file(output),
            message: "this folder is not empty and was not made by gazette: its files would be \
                      deleted. Pass --force to replace it anyway, or choose another --output"
                .into(),
        });
    }
    Ok(foreign)
}

/// An absolute path with `.` and `..` folded and existing symlinks followed.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut folded = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                folded.pop();
            }
            Component::CurDir => {}
            other => folded.push(other),
        }
    }
    // Follow symlinks on the part that exists, keep the rest as written.
    let mut existing = folded.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Checks, before anything changes, that every staged file can be put in place: nothing
/// gazette did not write stands where it goes (a file where a folder must be, or a folder
/// holding other files where a file must be).
pub(super) fn check_puts(dir: &Path, puts: &[(String, String)], deletes: &[String]) -> Result<()> {
    let deleted: HashSet<&str> = deletes.iter().map(String::as_str).collect();
    let mut checked: HashSet<String> = HashSet::new();
    for (_, path) in puts {
        let mut prefix = String::new();
        for part in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if !checked.insert(prefix.clone()) {
                continue;
            }
            let is_target = prefix.len() == path.len();
            let Ok(meta) = fs::symlink_metadata(dir.join(&prefix)) else {
                break;
            };
            let in_the_way = if is_target {
                meta.is_dir() && holds_others(&dir.join(&prefix), &prefix, &deleted)
            } else {
                !meta.is_dir() && !deleted.contains(prefix.as_str())
            };
            if in_the_way {
                return Err(Error::Output {
                    location: Location::file(dir.join(&prefix)),
                    message: format!(
                        "gazette did not write this, and the site's {path} goes here: move it away"
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Whether the folder `dir` (at `relative` in the output) holds a file not being deleted.
fn holds_others(dir: &Path, relative: &str, deleted: &HashSet<&str>) -> bool {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .any(|e| {
            let inner = e.path().strip_prefix(dir).unwrap_or(e.path());
            let path = format!("{relative}/{}", inner.to_string_lossy().replace('\\', "/"));
            !deleted.contains(path.as_str())
        })
}
