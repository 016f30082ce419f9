//! Output files that appear whole or not at all, and temporary paths that go away even when
//! the process is interrupted.
//!
//! Every temporary path kalima makes (the temporary file behind an output, the folder a report
//! is built in, the folder n-gram counts spill to) is made here and entered in one
//! process-wide registry while it exists. Destructors remove them on every return and error
//! path, but not when a signal ends the process; then the binary's signal handler calls
//! [`clean_up_for_exit`], which removes what is registered and keeps the registry locked until
//! the process exits, so nothing new is created or renamed into place behind its back.
//!
//! - [`AtomicFile`]: write a file through a temporary file in the same folder, synced and
//!   renamed over the target by [`AtomicFile::commit`]; [`write_atomic`] for bytes at hand.
//! - [`TempDir`]: a registered temporary folder, removed when dropped;
//!   [`TempDir::move_into_place`] swaps it in for another folder with renames, so that folder
//!   holds either its old content or the complete new one.
//!
//! Creating a temporary path and entering it in the registry happen under one lock, as do
//! the renames that put an output in place: a signal handler calling [`clean_up_for_exit`]
//! sees either nothing or a registered path, and never half of a swap.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let target = dir.path().join("out.csv");
//! let mut f = kalima_fs::AtomicFile::create(&target).unwrap();
//! std::io::Write::write_all(&mut f, b"term,count\n").unwrap();
//! assert!(!target.exists()); // nothing there until the commit
//! f.commit().unwrap();
//! assert_eq!(std::fs::read(&target).unwrap(), b"term,count\n");
//! ```
#![deny(missing_docs)]

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
}

#[derive(Debug)]
struct Entry {
    id: u64,
    path: PathBuf,
    kind: Kind,
}

#[derive(Debug)]
struct Registry {
    next: u64,
    entries: Vec<Entry>,
}

impl Registry {
    fn add(&mut self, path: PathBuf, kind: Kind) -> u64 {
        self.next += 1;
        self.entries.push(Entry {
            id: self.next,
            path,
            kind,
        });
        self.next
    }

    fn remove(&mut self, id: u64) {
        self.entries.retain(|e| e.id != id);
    }
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next: 0,
    entries: Vec::new(),
});
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn lock() -> MutexGuard<'static, Registry> {
    // A panic elsewhere must not stop the clean-up: the list itself is always consistent.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every registered temporary path, then keeps the registry locked for the rest of
/// the process: any later attempt to create a temporary path, commit an [`AtomicFile`] or
/// move a [`TempDir`] into place blocks. Meant for a signal handler (running on an ordinary
/// thread, as `signal_hook::iterator` provides) that exits the process right after; the
/// outputs are left as they were before the run's commit, never half-replaced.
///
/// Returns the paths that could not be removed (normally none).
pub fn clean_up_for_exit() -> Vec<PathBuf> {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let reg = lock();
    let mut left = Vec::new();
    for e in &reg.entries {
        if remove(&e.path, e.kind).is_err() {
            left.push(e.path.clone());
        }
    }
    // Never unlocked: the process is about to exit.
    std::mem::forget(reg);
    left
}

/// True once [`clean_up_for_exit`] has started: the process is being interrupted, and an
/// error seen now is probably a consequence of the clean-up (a spill folder gone).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The temporary paths registered now (for tests and diagnostics).
pub fn registered() -> Vec<PathBuf> {
    lock().entries.iter().map(|e| e.path.clone()).collect()
}

fn remove(path: &Path, kind: Kind) -> io::Result<()> {
    let res = match kind {
        Kind::File => fs::remove_file(path),
        Kind::Dir => {
            // Workers may still be adding files to a spill folder while it is removed, which
            // makes one pass fail with "directory not empty": try again a few times.
            let mut res = fs::remove_dir_all(path);
            for _ in 0..50 {
                match &res {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => {
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        res = fs::remove_dir_all(path);
                    }
                    _ => break,
                }
            }
            res
        }
    };
    match res {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// The folder `path` is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An error about a temporary path that names the folder, not the random name (which means
/// nothing to the user): tempfile's own errors carry the temporary path.
fn in_folder(e: io::Error, what: &str, dir: &Path) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "cannot create {what} in {}: {}",
            dir.display(),
            io::Error::from(e.kind())
        ),
    )
}

/// A file written through a temporary file beside its target and renamed over it by
/// [`commit`](AtomicFile::commit): readers of the target see the old file or the complete new
/// one, never a part. Dropped without a commit (an error, a panic) it removes the temporary
/// file; a signal handler calling [`clean_up_for_exit`] removes it too.
///
/// The temporary file is `.kalima-XXXXXX.tmp` in the target's folder (so the rename stays on
/// one filesystem). A new target gets the usual permissions (`0o666` less the umask on Unix);
/// a replaced file keeps its permissions. Writes are not buffered: wrap it in a
/// `BufWriter` for small writes.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: Option<tempfile::NamedTempFile>,
    target: PathBuf,
    id: u64,
}

impl AtomicFile {
    /// Starts writing `target`: creates the temporary file beside it.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = parent_dir(target);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".kalima-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let (tmp, id) = {
            let mut reg = lock();
            let tmp = builder
                .tempfile_in(dir)
                .map_err(|e| in_folder(e, "a temporary file", dir))?;
            let id = reg.add(tmp.path().to_path_buf(), Kind::File);
            (tmp, id)
        };
        let f = AtomicFile {
            tmp: Some(tmp),
            target: target.to_path_buf(),
            id,
        };
        if let Ok(meta) = fs::metadata(target)
            && meta.is_file()
        {
            f.file().set_permissions(meta.permissions())?;
        }
        Ok(f)
    }

    /// The file being written (the temporary one).
    pub fn file(&self) -> &File {
        self.tmp
            .as_ref()
            .map(|t| t.as_file())
            .expect("an AtomicFile holds its file until commit")
    }

    /// The file being written, mutably.
    pub fn file_mut(&mut self) -> &mut File {
        self.tmp
            .as_mut()
            .map(|t| t.as_file_mut())
            .expect("an AtomicFile holds its file until commit")
    }

    /// The target path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Syncs the data to disk and renames the temporary file over the target (then syncs the
    /// folder, best effort). On error the target is untouched and the temporary file removed.
    pub fn commit(mut self) -> io::Result<()> {
        let tmp = self
            .tmp
            .take()
            .expect("an AtomicFile holds its file until commit");
        tmp.as_file().sync_all()?;
        let mut reg = lock();
        let res = tmp.persist(&self.target).map(drop).map_err(|e| {
            let err = e.error;
            // Dropping the handed-back temporary file deletes it, under the lock.
            drop(e.file);
            err
        });
        reg.remove(self.id);
        drop(reg);
        res?;
        sync_dir(parent_dir(&self.target));
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            drop(tmp);
            lock().remove(self.id);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file_mut().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file_mut().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file_mut().flush()
    }
}

/// Writes `bytes` to `path` atomically (see [`AtomicFile`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Makes a rename durable. Best effort: some filesystems refuse to sync a folder, and the
/// data is already safe in the file.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A registered temporary folder, removed with its content when dropped (and by
/// [`clean_up_for_exit`]).
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    id: u64,
    armed: bool,
}

static ASIDE: AtomicU64 = AtomicU64::new(0);

impl TempDir {
    /// A new folder `PREFIX` + random characters inside `parent`.
    pub fn new_in(parent: &Path, prefix: &str) -> io::Result<TempDir> {
        let mut reg = lock();
        let path = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(parent)
            .map_err(|e| in_folder(e, "a temporary folder", parent))?
            .keep();
        let id = reg.add(path.clone(), Kind::Dir);
        Ok(TempDir {
            path,
            id,
            armed: true,
        })
    }

    /// A new folder `PREFIX` + random characters in the system's temporary folder.
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        TempDir::new_in(&std::env::temp_dir(), prefix)
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Puts this folder at `target` (which must be on the same filesystem: a sibling is
    /// best), replacing whatever folder is there: the old one is renamed aside, this one
    /// renamed into place, then the old one deleted. `target` names either the old folder or
    /// the complete new one at every moment but the instant between the two renames, and
    /// those run under the registry's lock, so an interruption cannot split them. A symbolic
    /// link at `target` is replaced, not followed.
    ///
    /// On error the old folder is back at `target` and this one is removed.
    pub fn move_into_place(mut self, target: &Path) -> io::Result<()> {
        let parent = parent_dir(target);
        let mut reg = lock();
        let aside = if fs::symlink_metadata(target).is_ok() {
            let aside = loop {
                let name = format!(
                    ".kalima-old-{}-{}",
                    std::process::id(),
                    ASIDE.fetch_add(1, Ordering::Relaxed)
                );
                let p = parent.join(name);
                if fs::symlink_metadata(&p).is_err() {
                    break p;
                }
            };
            fs::rename(target, &aside)?;
            Some(aside)
        } else {
            None
        };
        if let Err(e) = fs::rename(&self.path, target) {
            if let Some(a) = &aside {
                let _ = fs::rename(a, target);
            }
            return Err(e);
        }
        reg.remove(self.id);
        self.armed = false;
        let aside = aside.map(|a| (reg.add(a.clone(), Kind::Dir), a));
        drop(reg);
        sync_dir(parent);
        if let Some((id, a)) = aside {
            // The new folder is in place: failing to delete the old one loses nothing.
            let _ = remove(&a, Kind::Dir);
            lock().remove(id);
        }
        Ok(())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.armed {
            // Removed before it leaves the registry, so an interruption meanwhile removes it
            // too rather than leaving it behind.
            let _ = remove(&self.path, Kind::Dir);
            lock().remove(self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn atomic_file_appears_only_on_commit_and_leaves_nothing_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        fs::write(&target, "old").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        assert!(registered().iter().any(|p| p.starts_with(dir.path())));
        assert_eq!(fs::read(&target).unwrap(), b"old");
        drop(f);
        assert_eq!(names(dir.path()), ["out.csv"]);
        assert!(!registered().iter().any(|p| p.starts_with(dir.path())));
        assert_eq!(fs::read(&target).unwrap(), b"old");

        write_atomic(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["out.csv"]);
        assert!(!registered().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn failed_commit_leaves_the_target_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty folder cannot be replaced by a file.
        let target = dir.path().join("taken");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), "x").unwrap();
        let f = AtomicFile::create(&target).unwrap();
        assert!(f.commit().is_err());
        assert_eq!(names(dir.path()), ["taken"]);
        assert_eq!(names(&target), ["x"]);
        assert!(!registered().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn missing_folder_error_names_the_folder_not_a_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing").join("out.csv");
        let e = AtomicFile::create(&target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        let msg = e.to_string();
        assert!(msg.contains("missing"), "{msg}");
        assert!(!msg.contains(".kalima-"), "{msg}");
    }

    #[test]
    fn temp_dir_replaces_a_folder_whole_and_is_removed_when_dropped() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("report");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old_only.csv"), "a").unwrap();
        fs::write(target.join("both.csv"), "old").unwrap();
        let new = TempDir::new_in(root.path(), ".kalima-report-").unwrap();
        fs::write(new.path().join("both.csv"), "new").unwrap();
        new.move_into_place(&target).unwrap();
        assert_eq!(names(root.path()), ["report"]);
        assert_eq!(names(&target), ["both.csv"]);
        assert_eq!(fs::read(target.join("both.csv")).unwrap(), b"new");
        assert!(!registered().iter().any(|p| p.starts_with(root.path())));

        // Into a path that does not exist yet.
        let fresh = root.path().join("fresh");
        let new = TempDir::new_in(root.path(), ".kalima-report-").unwrap();
        new.move_into_place(&fresh).unwrap();
        assert_eq!(names(root.path()), ["fresh", "report"]);

        let gone = TempDir::new_in(root.path(), "spill").unwrap();
        fs::write(gone.path().join("run0"), "x").unwrap();
        drop(gone);
        assert_eq!(names(root.path()), ["fresh", "report"]);
        assert!(!registered().iter().any(|p| p.starts_with(root.path())));
    }

    #[test]
    fn failed_move_keeps_the_old_folder() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a").join("report");
        // The parent of the target does not exist: the rename fails, nothing is lost.
        let new = TempDir::new_in(root.path(), ".kalima-report-").unwrap();
        assert!(new.move_into_place(&target).is_err());
        assert_eq!(names(root.path()), Vec::<String>::new());
    }
}
