//! `Vec<OutputFile>` -> the output folder, atomically: everything is written into a fresh
//! folder beside it, which replaces the old one only once complete. A failed or killed
//! build leaves the previous output exactly as it was.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Location, Result};
use crate::fingerprint::{self, Stamp};
use crate::placement::Placer;
use crate::render::{Content, OutputFile};

/// The file that marks a folder as gazette's output (so rebuilding into it is safe).
pub const MARKER: &str = ".gazette-output";

/// Refuses an output folder that would destroy sources or someone else's files.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<()> {
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
    let foreign = out.is_dir()
        && !out.join(MARKER).exists()
        && fs::read_dir(&out)
            .map_err(|e| Error::io(output, e))?
            .next()
            .is_some();
    if foreign && !force {
        return Err(refuse(
            "this folder is not empty and was not made by gazette: its files would be deleted. \
             Pass --force to replace it anyway, or choose another --output"
                .into(),
        ));
    }
    Ok(())
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

/// A relative path of plain names only: nothing can escape the output folder.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// A new output being written beside the old one; `commit` swaps it in.
pub struct Staging {
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    output: PathBuf,
    /// Files and bytes written, for the output's stamp.
    files: AtomicU64,
    bytes: AtomicU64,
    placer: Placer,
    /// Folders made so far (relative paths): a file whose folder is here is written at once,
    /// without a failed open and a look at each folder above it first.
    folders: Mutex<HashSet<String>>,
}

impl Staging {
    /// Checks every path (plain relative names, no duplicates) and makes the staging folder.
    pub fn begin(output: &Path, paths: &[&str]) -> Result<Staging> {
        let mut seen = BTreeSet::new();
        for path in paths {
            if !is_safe_relative(path) {
                return Err(Error::Output {
                    location: Location::file(path),
                    message: "refusing to write outside the output folder".into(),
                });
            }
            if *path == MARKER {
                return Err(Error::Output {
                    location: Location::file(path),
                    message: "a file of the site would be written at the name gazette marks \
                              its output folders with; rename it"
                        .into(),
                });
            }
            if !seen.insert(*path) {
                return Err(Error::Output {
                    location: Location::file(path),
                    message: "two files of the site would be written at this path (a static file and a page?)".into(),
                });
            }
        }
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = output
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        remove_stale(&parent, &name, output);
        let dir = parent.join(format!(".{name}.gazette-new-{}", std::process::id()));
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        // Folders are made by `write` when their first file comes, while other pages render.
        let staging = Staging {
            placer: Placer::new(&dir, paths),
            dir,
            parent,
            name,
            output: output.to_path_buf(),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            folders: Mutex::default(),
        };
        Ok(staging)
    }

    /// Writes one file, making its folder if need be. Safe to call from many threads.
    pub fn write(&self, file: &OutputFile) -> Result<()> {
        let target = self.dir.join(&file.path);
        let attempt = || match &file.content {
            Content::Bytes(bytes) => fs::write(&target, bytes).map(|()| bytes.len() as u64),
            Content::Copy(source) => fs::copy(source, &target),
        };
        let folder = file.path.rsplit_once('/').map(|(folder, _)| folder);
        if let Some(folder) = folder.filter(|f| !self.is_made(f)) {
            if self.make_folders(folder).is_err() {
                self.make_folders_again(folder)?;
            }
        }
        let written = match attempt() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(folder) = folder {
                    self.make_folders_again(folder)?;
                }
                attempt()
            }
            other => other,
        };
        let length = written.map_err(|e| match &file.content {
            Content::Bytes(_) => Error::io(&target, e),
            Content::Copy(source) => Error::io(source, e),
        })?;
        if crate::fingerprint::counted(&file.path) {
            self.files.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(length, Ordering::Relaxed);
        }
        Ok(())
    }

    fn is_made(&self, folder: &str) -> bool {
        self.folders
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(folder)
    }

    /// `make_folders` for a folder this build made, or thought it had, but that is gone
    /// (deleted by another process): every folder is looked at again.
    fn make_folders_again(&self, folder: &str) -> Result<()> {
        self.folders
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
        self.make_folders(folder)
    }

    /// Makes `folder` (relative) and the folders above it inside the staging folder, never
    /// the staging folder itself: if another process deleted it, this build fails rather
    /// than commit a part.
    fn make_folders(&self, folder: &str) -> Result<()> {
        let ends = folder
            .match_indices('/')
            .map(|(at, _)| at)
            .chain([folder.len()]);
        for end in ends {
            let relative = &folder[..end];
            if self.is_made(relative) {
                continue;
            }
            let full = self.dir.join(relative);
            self.placer.make(&full).map_err(|e| Error::io(&full, e))?;
            self.folders
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(relative.to_string());
        }
        Ok(())
    }

    /// Files and bytes written so far (the root's dotfiles not counted).
    pub fn written(&self) -> (u64, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// Marks the new output as gazette's (the marker holds `stamp`) and swaps it in place of
    /// the old one.
    /// With `cleaner` (this program's path), a background run of it deletes the old output.
    pub fn commit(self, stamp: &Stamp, cleaner: Option<&Path>) -> Result<()> {
        let marker = self.dir.join(MARKER);
        // Named like a replaced output, so the background cleaner takes it too.
        let trash = self.parent.join(format!(
            ".{}.gazette-old-holding-{}",
            self.name,
            std::process::id()
        ));
        let result = self
            .placer
            .finish(&trash)
            .map_err(|e| Error::io(&trash, e))
            .and_then(|moved| {
                let swapped = fs::write(&marker, fingerprint::marker_text(stamp))
                    .map_err(|e| Error::io(&marker, e))
                    .and_then(|()| {
                        swap(&self.output, &self.dir, &self.parent, &self.name, cleaner)
                    });
                if let Some(trash) = moved {
                    // With the marker, it is a folder the background cleaner accepts.
                    match fs::write(trash.join(MARKER), "") {
                        Ok(()) => dispose(&trash, cleaner),
                        Err(_) => remove_in_parallel(&trash),
                    }
                }
                swapped
            });
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }

    /// Drops the new output: the old one stays exactly as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Deletes a folder, its top-level entries in parallel (the old output can be large).
fn remove_in_parallel(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.par_iter().for_each(|path| {
            let _ = fs::remove_dir_all(path).or_else(|_| fs::remove_file(path));
        });
    }
    let _ = fs::remove_dir_all(dir);
}

/// Folders left by builds that were killed half-way.
fn remove_stale(parent: &Path, name: &str, output: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.gazette-");
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .filter(|p| !belongs_to_running_build(p))
        .collect();
    stale.sort();
    // A build killed between its two renames left no output/ but a complete new one (it has
    // the marker, written last): that one becomes output/, with the dotfiles moved into it.
    if !output.exists() {
        if let Some(complete) = stale
            .iter()
            .position(|p| p.to_string_lossy().contains("-new-") && p.join(MARKER).exists())
        {
            let complete = stale.remove(complete);
            let _ = fs::rename(&complete, output);
        }
    }
    for path in stale {
        let _ = fs::remove_dir_all(path);
    }
}

/// `.output.gazette-new-1234`: whether process 1234 (another build, not this one) still runs.
fn belongs_to_running_build(path: &Path) -> bool {
    let pid = path
        .to_string_lossy()
        .rsplit('-')
        .next()
        .and_then(|p| p.parse::<u32>().ok());
    pid.is_some_and(|pid| {
        pid != std::process::id() && Path::new("/proc").join(pid.to_string()).exists()
    })
}

/// Moves the old output's dotfiles (`.git`, `.well-known`, …) into the new one, then swaps.
fn swap(
    output: &Path,
    staging: &Path,
    parent: &Path,
    name: &str,
    cleaner: Option<&Path>,
) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| Error::io(output, e));
    }
    let old = parent.join(format!(".{name}.gazette-old-{}", std::process::id()));
    let kept: Vec<PathBuf> = fs::read_dir(output)
        .map_err(|e| Error::io(output, e))?
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let name = n.to_string_lossy();
            // Kept only if this build does not publish its own (static/.well-known wins).
            name.starts_with('.') && name != MARKER && !staging.join(&n).exists()
        })
        .map(|e| e.path())
        .collect();
    let mut moved = Vec::new();
    let result = (|| {
        for path in &kept {
            if let Some(file_name) = path.file_name() {
                let target = staging.join(file_name);
                fs::rename(path, &target).map_err(|e| Error::io(path, e))?;
                moved.push((path.clone(), target));
            }
        }
        fs::rename(output, &old).map_err(|e| Error::io(output, e))?;
        if let Err(e) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(Error::io(output, e));
        }
        Ok(())
    })();
    if let Err(e) = result {
        // Give the old output its dotfiles back before the staging folder is deleted.
        for (original, staged) in moved {
            let _ = fs::rename(staged, original);
        }
        return Err(e);
    }
    dispose(&old, cleaner);
    Ok(())
}

/// The hidden command that deletes a replaced output (`gazette build` runs it in the
/// background).
pub const REMOVE_COMMAND: &str = "__remove-replaced-output";

/// Deletes the replaced output: in a detached `cleaner` process when there is one, so the
/// build is over once the new output is in place (deleting tens of thousands of files takes
/// seconds); here and now otherwise, or if that process cannot start. A cleanup cut short is
/// finished by the next build (`remove_stale`).
fn dispose(old: &Path, cleaner: Option<&Path>) {
    // A folder without the marker (replaced with --force) is not one the cleaner accepts.
    let cleaner = cleaner.filter(|_| old.join(MARKER).is_file());
    let started = cleaner.is_some_and(|program| {
        std::process::Command::new(program)
            .arg(REMOVE_COMMAND)
            .arg(old)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    });
    if !started {
        remove_in_parallel(old);
    }
}

/// `REMOVE_COMMAND`: deletes `path` only if it is a replaced output of gazette's
/// (`.NAME.gazette-old-PID` holding the marker), whatever the caller passed.
pub fn remove_replaced_output(path: &Path) {
    let is_replaced_output = path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with('.') && n.contains(".gazette-old-")
    }) && path.symlink_metadata().is_ok_and(|m| m.is_dir())
        && path.join(MARKER).is_file();
    if is_replaced_output {
        remove_in_parallel(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_killed_between_renames_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let killed = dir.path().join(".output.gazette-new-999999999");
        fs::create_dir_all(killed.join(".git")).unwrap();
        fs::write(killed.join(MARKER), "").unwrap();
        fs::write(killed.join("index.html"), "new").unwrap();
        let leftover = dir.path().join(".output.gazette-old-999999999");
        fs::create_dir_all(&leftover).unwrap();
        remove_stale(dir.path(), "output", &output);
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "new"
        );
        assert!(output.join(".git").is_dir(), "the dotfiles survive");
        assert!(!leftover.exists());
    }

    #[test]
    fn a_staging_folder_deleted_by_another_process_fails_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let staging = Staging::begin(&output, &["a/b/index.html", "c.txt"]).unwrap();
        let file = |path: &str| OutputFile {
            path: path.into(),
            content: Content::Bytes(b"x".to_vec()),
        };
        staging.write(&file("c.txt")).unwrap();
        fs::remove_dir_all(&staging.dir).unwrap();
        assert!(staging.write(&file("a/b/index.html")).is_err());
        assert!(
            !staging.dir.exists(),
            "never made again, with half the site"
        );
    }

    #[test]
    fn a_folder_deleted_by_another_process_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let paths = ["a/b/index.html", "a/c/index.html", "a/b/more.html"];
        let staging = Staging::begin(&output, &paths).unwrap();
        let file = |path: &str| OutputFile {
            path: path.into(),
            content: Content::Bytes(path.as_bytes().to_vec()),
        };
        staging.write(&file("a/b/index.html")).unwrap();
        fs::remove_dir_all(staging.dir.join("a")).unwrap();
        staging.write(&file("a/c/index.html")).unwrap();
        staging.write(&file("a/b/more.html")).unwrap();
        for path in ["a/c/index.html", "a/b/more.html"] {
            assert_eq!(fs::read_to_string(staging.dir.join(path)).unwrap(), path);
        }
    }

    #[test]
    fn only_plain_relative_paths() {
        assert!(is_safe_relative("fr/articles/x/index.html"));
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\..\\b", "./x"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
