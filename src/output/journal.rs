//! The commit of a build, made safe against a kill at any moment. The journal lists every
//! change (staged files to rename into place, old files to delete) and is written in one
//! rename: before it exists the output is untouched and the staged files are dropped; once
//! it exists, the changes are applied, and a build killed half-way is finished by the next
//! run (`recover`). Every step can be done twice with the same result.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::STAGING;
use super::manifest::MARKER;
use crate::error::{Error, Result};

/// The journal's file name, at the output's root.
pub(super) const JOURNAL: &str = ".gazette-journal";
/// The new manifest's name in the staging folder.
pub(super) const MANIFEST: &str = "manifest";

#[derive(Serialize, Deserialize, Default)]
struct Journal {
    /// A first build, writing straight into an output without files of its own: undone by
    /// deleting what is not a dotfile at the root.
    #[serde(default)]
    fresh: bool,
    /// (staging file name, output path)
    #[serde(default)]
    puts: Vec<(String, String)>,
    #[serde(default)]
    deletes: Vec<String>,
}

/// Writes the journal: from here on, the build's changes will be made.
pub(super) fn write(dir: &Path, puts: &[(String, String)], deletes: &[String]) -> Result<()> {
    let journal = Journal {
        fresh: false,
        puts: puts.to_vec(),
        deletes: deletes.to_vec(),
    };
    save(dir, &journal)
}

/// Notes that a first build writes straight into the output: until its manifest is there,
/// what it wrote is undone by `recover`.
pub(super) fn begin_fresh(dir: &Path) -> Result<()> {
    let journal = Journal {
        fresh: true,
        ..Journal::default()
    };
    save(dir, &journal)
}

/// A first build is complete: its manifest is in place, nothing is left to undo.
pub(super) fn end_fresh(dir: &Path) -> Result<()> {
    let path = dir.join(JOURNAL);
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))
}

/// Undoes a first build: every entry of the output but the root's dotfiles goes.
pub(super) fn undo_fresh(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| Error::io(&path, e))?;
    }
    let path = dir.join(JOURNAL);
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))
}

fn save(dir: &Path, journal: &Journal) -> Result<()> {
    let temporary = dir.join(format!("{JOURNAL}.new"));
    let text = serde_json::to_string(journal).unwrap_or_default();
    fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
    crash_point("journal-written");
    let path = dir.join(JOURNAL);
    fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))?;
    crash_point("journal-committed");
    Ok(())
}

/// Finishes a commit that a killed build left half-done, or undoes a first build that was
/// killed before its end.
pub(super) fn recover(dir: &Path) -> Result<()> {
    let _ = fs::remove_file(dir.join(format!("{JOURNAL}.new")));
    if !dir.join(JOURNAL).exists() {
        return Ok(());
    }
    if read(dir)?.fresh {
        undo_fresh(dir)
    } else {
        apply(dir)
    }
}

fn read(dir: &Path) -> Result<Journal> {
    let path = dir.join(JOURNAL);
    let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Output {
        location: crate::error::Location::file(&path),
        message: format!(
            "this build journal cannot be read ({e}): delete it, and rebuild with --force"
        ),
    })
}

/// Makes the journal's changes, then puts the new manifest in place and drops the journal.
pub(super) fn apply(dir: &Path) -> Result<()> {
    let path = dir.join(JOURNAL);
    let journal = read(dir)?;
    for (n, old) in journal.deletes.iter().enumerate() {
        delete(dir, old)?;
        crash_point(&format!("delete-{n}"));
    }
    let staging = dir.join(STAGING);
    for (n, (name, target)) in journal.puts.iter().enumerate() {
        let staged = staging.join(name);
        if !staged.exists() {
            // Moved by an earlier run of this journal.
            continue;
        }
        let target = dir.join(target);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        if target.is_dir() {
            // A folder left empty where a file now goes (checked before the commit).
            let _ = fs::remove_dir(&target);
        }
        fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
        crash_point(&format!("put-{n}"));
    }
    let manifest = staging.join(MANIFEST);
    if manifest.exists() {
        let marker = dir.join(MARKER);
        fs::rename(&manifest, &marker).map_err(|e| Error::io(&marker, e))?;
    }
    crash_point("manifest");
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    let _ = fs::remove_dir_all(&staging);
    Ok(())
}

/// Deletes an old file, then the folders it leaves empty (never the output itself).
fn delete(dir: &Path, relative: &str) -> Result<()> {
    let path = dir.join(relative);
    match fs::remove_file(&path) {
        Ok(()) => {}
        // Gone already, or a folder now (a later put made it): done by an earlier run.
        Err(e) if e.kind() == ErrorKind::NotFound || path.is_dir() => {}
        Err(e) if e.kind() == ErrorKind::NotADirectory => {}
        Err(e) => return Err(Error::io(&path, e)),
    }
    let mut folder = path.parent();
    while let Some(current) = folder.filter(|f| *f != dir && f.starts_with(dir)) {
        if fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
    Ok(())
}

/// A test hook: with `GAZETTE_TEST_KILL_AT=STEP` set, the process exits at once at that step
/// of the commit, as a killed build would (no cleanup runs). Tests use it to prove that a
/// kill at any step loses nothing.
pub(super) fn crash_point(step: &str) {
    if std::env::var_os("GAZETTE_TEST_KILL_AT").is_some_and(|at| at == step) {
        std::process::exit(137);
    }
}
