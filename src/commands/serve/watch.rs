//! File-system events under the site -> batches of changed source paths, one batch per burst
//! of saves (an editor's temp file, rename and write; a `git checkout` of 500 files), which is
//! what `serve --watch` rebuilds on.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{Event, RecursiveMode};

use crate::source::{is_editor_temp, is_ignored};

/// The folders of a site whose changes matter, besides `config.toml`.
pub const WATCHED_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

pub struct Watcher {
    inner: Box<dyn notify::Watcher + Send>,
    events: Receiver<notify::Result<Event>>,
    root: PathBuf,
    /// The site folders watched, each with the identity of the folder its watch is on.
    watched: Vec<(&'static str, FolderId)>,
}

impl Watcher {
    /// Watches the site at `root` (native events, or polling every 200 ms with `poll`).
    pub fn start(root: &Path, poll: bool) -> Result<Watcher, String> {
        let (tx, events) = channel();
        let handler = move |event: notify::Result<Event>| {
            let _ = tx.send(event);
        };
        let inner: Box<dyn notify::Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(200));
            Box::new(
                notify::PollWatcher::new(handler, config)
                    .map_err(|e| format!("cannot start the polling watcher: {e}"))?,
            )
        } else {
            Box::new(notify::recommended_watcher(handler).map_err(|e| {
                format!("cannot watch the site's files ({e}): on network mounts or in some containers, use --poll")
            })?)
        };
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut watcher = Watcher {
            inner,
            events,
            root,
            watched: Vec::new(),
        };
        watcher
            .inner
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {} ({e}): try --poll", watcher.root.display()))?;
        watcher.rearm(&[])?;
        Ok(watcher)
    }

    /// Watches each site folder as it is now. A folder created since the last batch gets a
    /// watch; so does one replaced (`rm -rf content && cp -r backup content`, `mv new
    /// content`): the old watch went with the old folder, or follows it under its new name.
    /// A replacement is seen by the folder's identity, or by an event naming the folder.
    fn rearm(&mut self, changed: &[PathBuf]) -> Result<(), String> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let now = folder_id(&path);
            let before = self.watched.iter().position(|(d, _)| *d == dir);
            let same = before.is_some_and(|i| Some(self.watched[i].1) == now);
            if same && !changed.contains(&path) {
                continue;
            }
            if let Some(i) = before {
                self.watched.remove(i);
                // Already gone with its folder when that was deleted.
                let _ = self.inner.unwatch(&path);
            }
            if let Some(id) = now {
                self.inner
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {} ({e}): try --poll", path.display()))?;
                self.watched.push((dir, id));
            }
        }
        Ok(())
    }

    /// Blocks until a relevant file changes, then waits until `quiet` passes without another
    /// change (so a burst gives one batch) and returns what changed. `None` if the watcher died.
    pub fn next_batch(&mut self, quiet: Duration) -> Option<Vec<PathBuf>> {
        let mut changed: Vec<PathBuf> = Vec::new();
        loop {
            let event = if changed.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(quiet) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            let Ok(event) = event else { continue };
            if event.kind.is_access() {
                continue;
            }
            for path in event.paths {
                if is_relevant(&self.root, &path) && !changed.contains(&path) {
                    changed.push(path);
                }
            }
        }
        // Before the rebuild, which reads every file: what was written into a new folder
        // before its watch began is in it.
        if let Err(error) = self.rearm(&changed) {
            eprintln!("warning: {error}");
        }
        Some(changed)
    }
}

/// What tells two folders at the same path apart: device and inode where there are some;
/// elsewhere, only an event naming the folder shows it was replaced.
type FolderId = (u64, u64);

/// The identity of the folder at `path`, if there is one.
fn folder_id(path: &Path) -> Option<FolderId> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

/// Whether a change to `path` can change the site: config.toml, or a file under one of the
/// watched folders that is not an editor's temporary file.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(first) = parts.first() else {
        return false;
    };
    if parts.len() == 1 {
        return first == "config.toml" || WATCHED_DIRS.contains(&first.as_str());
    }
    if !WATCHED_DIRS.contains(&first.as_str()) {
        return false;
    }
    let name = parts.last().map(String::as_str).unwrap_or_default();
    if is_vim_probe(name) {
        return false;
    }
    if first == "static" {
        !parts.iter().any(|p| is_editor_temp(p))
    } else {
        !parts[1..].iter().any(|p| is_ignored(p))
    }
}

/// Vim checks it may write in a folder by creating `4913` (then 5036, 5159… if taken).
fn is_vim_probe(name: &str) -> bool {
    name.parse::<u64>()
        .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_paths() {
        let root = Path::new("/site");
        for yes in [
            "config.toml",
            "content/a.fr.md",
            "static/CNAME",
            "static/.well-known/x",
            "themes/default/templates/base.html",
            "content",
        ] {
            assert!(is_relevant(root, &root.join(yes)), "{yes}");
        }
        for no in [
            "output/index.html",
            "README.md",
            "content/.a.fr.md.swp",
            "content/a.fr.md~",
            "content/4913",
            "content/articles/5036",
            "content/a.fr.md___jb_tmp___",
            "content/a.fr.md.bck",
            "content/#a.fr.md#",
            "static/x.css.swp",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_relevant(root, &root.join(no)), "{no}");
        }
    }
}
