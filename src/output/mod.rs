//! Rendered files -> the output folder, changed in place and only where its files change.
//!
//! The output folder is never replaced: it may be a symbolic link or a mount point, and what
//! else lives in it (`.git`, `.well-known`) stays where it is. Its `.gazette-output` file (the
//! manifest) lists every file the last build wrote, with the key of what it was made from
//! and its size, time and content hash. A build then:
//!
//! 1. takes the folder's lock (one build at a time), and finishes or undoes whatever a build
//!    killed in the folder left (see `journal`);
//! 2. asks `stale` which files need rendering: those whose key changed, or that are missing or
//!    changed on disk;
//! 3. `stage`s each rendered file into `.gazette-staging/`, unless its bytes are those already
//!    in place: unchanged files keep their inode and time, so `rsync` sends only what changed;
//! 4. `commit`s: the journal, then files renamed into place and old ones deleted, then the
//!    manifest. Until the journal is written, the output is exactly as it was; after it, a
//!    killed build is finished by the next run.
//!
//! A build that fails drops its staged files, and the output is exactly as it was.

mod journal;
mod manifest;
mod safety;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result, Warning};
use crate::key::{Key, from_hex, key_of, to_hex};
use crate::render::{Content, OutputFile};
use manifest::Entry;
pub(crate) use manifest::Manifest;
pub(crate) use safety::check_output_dir;

/// The build's lock file, inside the output folder.
const LOCK: &str = ".gazette-lock";
/// Where rendered files wait for the commit, inside the output folder.
const STAGING: &str = ".gazette-staging";

/// Refuses site files at the names gazette keeps at the output's root (`.gazette-output`,
/// its lock, journal and staging folder).
pub(crate) fn check_paths(paths: &[String]) -> Result<()> {
    match paths.iter().find(|path| path.starts_with(".gazette-")) {
        Some(path) => Err(Error::Output {
            location: crate::error::Location::file(path),
            message: "a file of the site would be written where gazette keeps its own records \
                      (.gazette-*); rename it"
                .into(),
        }),
        None => Ok(()),
    }
}

/// An output folder, locked for one build.
pub(crate) struct Output {
    dir: PathBuf,
    /// Held for the whole build: another build waits for it.
    _lock: fs::File,
    previous: Manifest,
    /// The folder did not exist: a failed build removes it again.
    created: bool,
    /// Replace what is in the folder whatever made it (`--force`, or a folder of gazette's
    /// older versions without a list of its files).
    replace_all: bool,
    /// A first build into a folder without files: written straight in place (nothing to keep
    /// as it was), undone as a whole if it fails.
    fresh: bool,
    staging: PathBuf,
    /// Folders known to exist (relative paths): each is made once.
    folders: Mutex<HashSet<String>>,
    staged: Mutex<Vec<Staged>>,
    counter: AtomicUsize,
    /// Files written: new, or with other bytes than before.
    written: AtomicUsize,
    committed: bool,
}

/// One rendered file, waiting in the staging folder or left as it was.
struct Staged {
    path: String,
    key: Key,
    /// The staging file's name, or None when the file in place already has these bytes.
    name: Option<String>,
    entry: Entry,
}

/// What a commit changed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Written {
    /// Files written (new or changed).
    pub written: usize,
    /// Files deleted (no longer in the site).
    pub deleted: usize,
}

impl Output {
    /// Checks the folder is safe to write (see `check_output_dir`), makes it if need be, waits
    /// for its lock, and recovers from a killed build.
    pub(crate) fn open(root: &Path, dir: &Path, force: bool) -> Result<Output> {
        check_output_dir(root, dir)?;
        let created = !dir.exists();
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let lock = take_lock(dir)?;
        journal::recover(dir)?;
        let foreign = match safety::check_foreign(dir, force) {
            Ok(foreign) => foreign,
            Err(e) => {
                if created {
                    let _ = fs::remove_file(dir.join(LOCK));
                    let _ = fs::remove_dir(dir);
                }
                return Err(e);
            }
        };
        let staging = dir.join(STAGING);
        if staging.exists() {
            // A build killed before its commit: its files never reached the output.
            fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        let previous = Manifest::load(dir);
        let fresh = previous.files.is_empty() && !previous.is_legacy() && !has_files(dir)?;
        if fresh {
            journal::begin_fresh(dir)?;
        }
        Ok(Output {
            replace_all: foreign || (!created && previous.is_legacy()),
            fresh,
            folders: Mutex::new(HashSet::new()),
            dir: dir.to_path_buf(),
            _lock: lock,
            previous,
            created,
            staging,
            staged: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// What the last build said (repeated when nothing is rendered again).
    pub(crate) fn previous(&self) -> &Manifest {
        &self.previous
    }

    /// The targets to render: `keys[i]` is what `paths[i]` is made from; a file is stale
    /// if its key changed or it is not in place as the last build left it.
    pub(crate) fn stale(&self, paths: &[String], keys: &[Key]) -> Vec<usize> {
        use rayon::prelude::*;
        paths
            .par_iter()
            .zip(keys)
            .enumerate()
            .filter(
                |(_, (path, key))| match self.previous.files.get(path.as_str()) {
                    Some(entry) => entry.key != **key || !self.intact(path, entry),
                    None => true,
                },
            )
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether the file at `path` is as the last build left it (same size and time).
    fn intact(&self, path: &str, entry: &Entry) -> bool {
        fs::symlink_metadata(self.dir.join(path))
            .is_ok_and(|meta| meta.is_file() && Entry::stat(&meta) == (entry.size, entry.mtime))
    }

    /// Stages one rendered file, made from `key`. Safe to call from many threads.
    pub(crate) fn stage(&self, file: &OutputFile, key: Key) -> Result<()> {
        // A copy is known by its source's stamp (its key); anything else by its bytes.
        let hash = match &file.content {
            Content::Bytes(bytes) => key_of(&[bytes]),
            Content::Copy(_) => key,
        };
        // The same bytes are already in place: the file is left as it is.
        if let Some(entry) = self.previous.files.get(&file.path)
            && entry.hash == hash
            && self.intact(&file.path, entry)
        {
            self.push(Staged {
                path: file.path.clone(),
                key,
                name: None,
                entry: Entry { key, ..*entry },
            });
            return Ok(());
        }
        let (name, target) = if self.fresh {
            (None, self.dir.join(&file.path))
        } else {
            // Spread over folders, so that threads writing files seldom wait on one folder.
            let n = self.counter.fetch_add(1, Ordering::Relaxed);
            let name = format!("{}/{n}", n % 64);
            let target = self.staging.join(&name);
            (Some(name), target)
        };
        let relative = target.strip_prefix(&self.dir).unwrap_or(&target);
        if let Some(folder) = relative.parent() {
            self.make_folder(folder)?;
        }
        match &file.content {
            Content::Bytes(bytes) => {
                fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?
            }
            Content::Copy(source) => {
                fs::copy(source, &target).map_err(|e| Error::io(source, e))?;
            }
        }
        let n = self.written.fetch_add(1, Ordering::Relaxed);
        journal::crash_point(&format!("stage-{n}"));
        // A rename keeps the file's size and time: these are the final file's.
        let meta = fs::metadata(&target).map_err(|e| Error::io(&target, e))?;
        let (size, mtime) = Entry::stat(&meta);
        self.push(Staged {
            path: file.path.clone(),
            key,
            name,
            entry: Entry {
                key,
                size,
                mtime,
                hash,
            },
        });
        Ok(())
    }

    /// Makes `folder` (relative to the output) and those above it, once per build.
    fn make_folder(&self, folder: &Path) -> Result<()> {
        let key = folder.to_string_lossy().into_owned();
        let mut folders = self
            .folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if key.is_empty() || folders.contains(&key) {
            return Ok(());
        }
        let full = self.dir.join(folder);
        fs::create_dir_all(&full).map_err(|e| Error::io(&full, e))?;
        folders.insert(key);
        Ok(())
    }

    fn push(&self, staged: Staged) {
        self.staged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(staged);
    }

    /// Puts the staged files in place and deletes what the site no longer has: `paths`
    /// are every file of the new site (with their keys, for those not rendered again).
    /// `report` is what the build said, kept for the next build with nothing to do.
    pub(crate) fn commit(
        mut self,
        paths: &[String],
        keys: &[Key],
        report: manifest::Report,
    ) -> Result<Written> {
        let staged = std::mem::take(
            &mut *self
                .staged
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut files: HashMap<String, Entry> = HashMap::with_capacity(paths.len());
        for (path, key) in paths.iter().zip(keys) {
            if let Some(entry) = self.previous.files.get(path) {
                files.insert(
                    path.clone(),
                    Entry {
                        key: *key,
                        ..*entry
                    },
                );
            }
        }
        let mut puts = Vec::new();
        for file in staged {
            if let Some(name) = file.name {
                puts.push((name, file.path.clone()));
            }
            files.insert(
                file.path,
                Entry {
                    key: file.key,
                    ..file.entry
                },
            );
        }
        let keep: HashSet<&str> = paths.iter().map(String::as_str).collect();
        let deletes = self.obsolete(&keep)?;
        safety::check_puts(&self.dir, &puts, &deletes)?;
        let manifest = Manifest::new(files, report);
        let written = Written {
            written: self.written.load(Ordering::Relaxed),
            deleted: deletes.len(),
        };
        if self.fresh {
            manifest.save(&self.dir)?;
            journal::end_fresh(&self.dir)?;
        } else if puts.is_empty() && deletes.is_empty() && self.previous.same_files(&manifest) {
            // Nothing changed on disk: the manifest only gets the new keys and report.
            manifest.save(&self.dir)?;
        } else {
            fs::create_dir_all(&self.staging).map_err(|e| Error::io(&self.staging, e))?;
            manifest.save_to(&self.staging.join(journal::MANIFEST))?;
            journal::crash_point("staged");
            journal::write(&self.dir, &puts, &deletes)?;
            journal::apply(&self.dir)?;
        }
        let _ = fs::remove_dir_all(&self.staging);
        self.committed = true;
        Ok(written)
    }

    /// The files to delete: those the last build wrote that the site no longer has; with
    /// `replace_all`, everything but what the site has and the root's dotfiles.
    fn obsolete(&self, keep: &HashSet<&str>) -> Result<Vec<String>> {
        let mut deletes: BTreeSet<String> = self
            .previous
            .files
            .keys()
            .filter(|path| !keep.contains(path.as_str()))
            .cloned()
            .collect();
        if self.replace_all {
            for entry in walkdir::WalkDir::new(&self.dir)
                .min_depth(1)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() > 1 || !e.file_name().to_string_lossy().starts_with('.')
                })
            {
                let entry = entry.map_err(|e| Error::io(&self.dir, e.into()))?;
                if entry.file_type().is_dir() {
                    continue;
                }
                let relative = entry
                    .path()
                    .strip_prefix(&self.dir)
                    .map_err(|_| Error::io(entry.path(), std::io::ErrorKind::InvalidInput.into()))?
                    .to_string_lossy()
                    .replace('\\', "/");
                if !keep.contains(relative.as_str()) {
                    deletes.insert(relative);
                }
            }
        }
        Ok(deletes.into_iter().collect())
    }
}

impl Drop for Output {
    /// A build that did not commit leaves the output exactly as it was.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let _ = fs::remove_dir_all(&self.staging);
        if self.fresh {
            let _ = journal::undo_fresh(&self.dir);
        }
        if self.created {
            // Only what this build made: the lock file, in a folder that did not exist.
            let _ = fs::remove_file(self.dir.join(LOCK));
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// Whether the folder holds anything but dotfiles at its root.
fn has_files(dir: &Path) -> Result<bool> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries
        .flatten()
        .any(|e| !e.file_name().to_string_lossy().starts_with('.')))
}

/// Opens and locks the output's lock file, waiting for a build that holds it.
fn take_lock(dir: &Path) -> Result<fs::File> {
    let path = dir.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    Ok(file)
}

/// Each page's body key and warnings, by source file, as the last build left them.
pub(crate) fn stored_bodies(manifest: &Manifest) -> HashMap<PathBuf, (Key, Vec<Warning>)> {
    manifest
        .report
        .bodies
        .iter()
        .map(|(path, (key, warnings))| {
            let key = from_hex(key).unwrap_or_default();
            (
                path.clone(),
                (key, warnings.iter().map(Warning::from).collect()),
            )
        })
        .collect()
}

/// What a build reports, to be kept in the manifest.
pub(crate) fn report(
    pages: usize,
    warnings: &[Warning],
    bodies: HashMap<PathBuf, (Key, Vec<Warning>)>,
) -> manifest::Report {
    manifest::Report {
        pages,
        warnings: warnings.iter().map(Into::into).collect(),
        bodies: bodies
            .into_iter()
            .map(|(path, (key, warnings))| {
                let warnings = warnings.iter().map(Into::into).collect();
                (path, (to_hex(key), warnings))
            })
            .collect(),
    }
}
