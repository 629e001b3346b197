//! Where the output's folders land on disk. A build makes a folder per page, thousands of them
//! in a few wide folders (articles, tags, issues). On ext2/3/4, each new inode goes in its
//! parent's block group unless the parent has the top-of-hierarchy flag (`chattr +T`), which
//! makes every new subfolder cost a scan of all the groups:
//! - packed in one group, folders and files land where the previous output was just deleted,
//!   and a file system without a journal skips each inode freed in the last minute, which
//!   makes every allocation a scan of that group;
//! - spread one folder at a time, every folder pays the scan of all groups.
//!
//! So folders are made in batches: each batch in a holding folder of its own (one scan, their
//! parent being flagged), then each folder is moved to its place, which keeps its inode.
//! Each thread fills a holding folder of its own: threads sharing one wait on its lock.
//! A batch is small, so the inodes it leaves behind when deleted cost the next build little.
//! The emptied holding folders leave the output in one move, to be deleted in the background.
//! Elsewhere (other systems, file systems without the flag or refusing the move) folders are
//! simply made in place: there, batches would only cost more system calls.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Folders a holding folder receives before the next one is made.
const BATCH: usize = 16;
/// The folder of the holding folders, in the staging root; moved out before commit.
pub const HOLDING: &str = ".gazette-holding";

/// Makes folders in a staging root, in batches (see above). Safe to share between threads.
pub struct Placer {
    /// `HOLDING` in the staging root, when this placer made it.
    holding: Option<PathBuf>,
    /// A batch per thread: threads making folders in one holding folder wait on its lock.
    batches: Vec<Mutex<Batch>>,
    /// Holding folders made so far, by all threads (their names).
    holders: AtomicUsize,
    /// Set once a move is refused: folders are then made in place.
    in_place: AtomicBool,
}

#[derive(Default)]
struct Batch {
    holding: Option<PathBuf>,
    used: usize,
}

impl Placer {
    /// For the staging folder `root`, which must exist, that will receive the files at
    /// `paths`. A site publishing a file at `HOLDING` gets its folders made in place.
    pub fn new(root: &Path, paths: &[&str]) -> Placer {
        let holding = root.join(HOLDING);
        let publishes_holding = paths.iter().any(|p| {
            p.strip_prefix(HOLDING)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        let batched = !publishes_holding
            && fs::create_dir(&holding).is_ok()
            && (spread_subfolders(&holding) || {
                let _ = fs::remove_dir(&holding);
                false
            });
        Placer {
            holding: batched.then_some(holding),
            batches: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            holders: AtomicUsize::new(0),
            in_place: AtomicBool::new(!batched),
        }
    }

    /// Makes `folder` (its parent exists); an existing one is fine, although the caller
    /// knowing it is there saves a folder made and deleted.
    pub fn make(&self, folder: &Path) -> io::Result<()> {
        if self.in_place.load(Ordering::Relaxed) {
            return make_in_place(folder);
        }
        let held = self.next_held()?;
        fs::create_dir(&held)?;
        match move_no_replace(&held, folder) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = fs::remove_dir(&held);
                match e.kind() {
                    io::ErrorKind::AlreadyExists => return Ok(()),
                    io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
                // A file system that cannot move so (or refuses for another reason): in place
                // from now on, and a real error shows there too.
                self.in_place.store(true, Ordering::Relaxed);
                make_in_place(folder)
            }
        }
    }

    /// A fresh path in the current holding folder, making a new holding folder when the
    /// current one had its batch.
    fn next_held(&self) -> io::Result<PathBuf> {
        let thread = rayon::current_thread_index().map_or(0, |i| i + 1);
        let mut batch = self.batches[thread.min(self.batches.len() - 1)]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if batch.holding.is_none() || batch.used == BATCH {
            let holding = self
                .holding
                .as_ref()
                .ok_or_else(|| io::Error::from(io::ErrorKind::Unsupported))?
                .join(self.holders.fetch_add(1, Ordering::Relaxed).to_string());
            fs::create_dir(&holding)?;
            batch.holding = Some(holding);
            batch.used = 0;
        }
        batch.used += 1;
        let holding = batch.holding.as_ref().expect("set just above");
        Ok(holding.join(batch.used.to_string()))
    }

    /// Moves the holding folders (empty by then) out of the site, to `trash`, a new path
    /// beside the staging folder; `None` when there were none to move, or when they could
    /// not move and were deleted where they are.
    pub fn finish(&self, trash: &Path) -> io::Result<Option<PathBuf>> {
        let Some(holding) = &self.holding else {
            return Ok(None);
        };
        match fs::rename(holding, trash) {
            Ok(()) => Ok(Some(trash.to_path_buf())),
            Err(moving) => match fs::remove_dir_all(holding) {
                Ok(()) => Ok(None),
                Err(_) => Err(moving),
            },
        }
    }
}

fn make_in_place(folder: &Path) -> io::Result<()> {
    match fs::create_dir(folder) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

/// Moves folder `from` to `to`, failing with `AlreadyExists` if `to` exists (a plain rename
/// would replace an empty folder another thread just made).
#[cfg(target_os = "linux")]
fn move_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let from = CString::new(from.as_os_str().as_bytes())?;
    let to = CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: both are NUL-terminated paths alive for the call; AT_FDCWD resolves them as
    // `rename` does.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn move_no_replace(_from: &Path, _to: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// On ext2/3/4, asks the allocator to place this folder's subfolders in block groups of their
/// own (the `T` attribute of `chattr`); whether the folder has it. Elsewhere the request is
/// refused.
#[cfg(target_os = "linux")]
fn spread_subfolders(dir: &Path) -> bool {
    use std::os::fd::AsRawFd;
    const FS_TOPDIR_FL: libc::c_int = 0x0002_0000;
    let Ok(folder) = fs::File::open(dir) else {
        return false;
    };
    let fd = folder.as_raw_fd();
    // Room for a long: the ioctls are declared with one, and some file systems on older
    // kernels copy that much, although ext4 reads and writes an int (the first).
    let mut flags: [libc::c_int; 2] = [0; 2];
    // SAFETY: FS_IOC_GETFLAGS/SETFLAGS read and write at most a long through the pointer,
    // which points to a live local of that size; `fd` is open for the whole call.
    unsafe {
        if libc::ioctl(fd, libc::FS_IOC_GETFLAGS, flags.as_mut_ptr()) != 0 {
            return false;
        }
        flags[0] & FS_TOPDIR_FL != 0 || {
            flags[0] |= FS_TOPDIR_FL;
            libc::ioctl(fd, libc::FS_IOC_SETFLAGS, flags.as_ptr()) == 0
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn spread_subfolders(_dir: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Batches need ext4's flag: where the temporary folder is elsewhere (a tmpfs), the placer
    /// makes folders in place and this test has nothing to check.
    #[test]
    #[cfg(target_os = "linux")]
    fn folders_are_made_in_place_and_holding_folders_go() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("staging");
        fs::create_dir(&root).unwrap();
        let placer = Placer::new(&root, &[]);
        if placer.holding.is_none() {
            // Not ext2/3/4: folders are made in place, which the other tests cover.
            return;
        }
        let mut made = Vec::new();
        for n in 0..40 {
            let folder = root.join(format!("page-{n}"));
            placer.make(&folder).unwrap();
            fs::write(folder.join("index.html"), "x").unwrap();
            made.push(folder);
        }
        // Made again: fine, and what it holds stays.
        placer.make(&made[7]).unwrap();
        let nested = root.join("page-0").join("inner");
        placer.make(&nested).unwrap();
        assert!(nested.is_dir());
        let trash = dir.path().join("trash");
        assert_eq!(placer.finish(&trash).unwrap(), Some(trash.clone()));
        let names: Vec<String> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 40, "only the pages' folders: {names:?}");
        assert!(made.iter().all(|f| f.join("index.html").is_file()));
        assert_eq!(
            fs::read_dir(&trash).unwrap().count(),
            3,
            "42 folders asked for, 16 a batch"
        );
    }

    #[test]
    fn a_missing_parent_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let placer = Placer::new(root, &[]);
        let err = placer.make(&root.join("no/such")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let unbatched = Placer::new(&root.join("elsewhere"), &[HOLDING]);
        assert!(unbatched.make(&root.join("no/such")).is_err());
        assert_eq!(unbatched.finish(&root.join("trash")).unwrap(), None);
    }
}
