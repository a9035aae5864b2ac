//! Writing files the way pgdrift promises: atomically, so that an interrupted
//! run never leaves a half-written file behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// Temporary files start with this and end with [`TEMP_SUFFIX`]; between
/// them stand the writing process's id and a counter.
const TEMP_PREFIX: &str = ".pgdrift-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file whose writer is gone (killed mid-write) is removed by
/// the next write into the same directory; one whose writer cannot be
/// checked is removed once it is this old.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Writes `contents` to `path` through a temporary file in the same directory
/// and a rename, creating missing parent directories. Temporary files left
/// by killed runs are cleaned up.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    Staged::write(path, contents)?.commit()
}

/// A file's new contents, written and synced beside it but not yet in its
/// place: [`Staged::commit`] renames it over the file; dropping it instead
/// leaves the file as it was. A command that writes several files stages
/// the one that must be written last, so that an error on the others
/// leaves it untouched.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    path: PathBuf,
}

impl Staged {
    pub fn write(path: &Path, contents: &[u8]) -> Result<Staged> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
        remove_stale_temporaries(dir);
        let (temp, mut file) = create_temporary(dir)?;
        let staged = Staged {
            temp,
            path: path.to_path_buf(),
        };
        file.write_all(contents)
            .and_then(|()| match permissions_for(path) {
                Some(permissions) => file.set_permissions(permissions),
                None => Ok(()),
            })
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io("write", &staged.temp, e))?;
        Ok(staged)
    }

    /// Puts the new contents in place.
    pub fn commit(self) -> Result<()> {
        let renamed =
            std::fs::rename(&self.temp, &self.path).map_err(|e| Error::io("write", &self.path, e));
        // Dropping removes the temporary file if the rename failed.
        drop(self);
        renamed
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// A new file `.pgdrift-<pid>-<n>.tmp` in `dir`, never one that exists.
fn create_temporary(dir: &Path) -> Result<(PathBuf, std::fs::File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(
            "{TEMP_PREFIX}{}-{n}{TEMP_SUFFIX}",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io("create a temporary file in", dir, e)),
        }
    }
}

/// An existing file keeps its permissions; a new one gets the usual
/// `rw-r--r--` on Unix (not a temporary file's), the default elsewhere.
fn permissions_for(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    return Some(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    #[cfg(not(unix))]
    return None;
}

/// Removes temporary files of ours whose writing process is gone.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, n)| n.parse::<u64>().ok().and(pid.parse::<u32>().ok()))
        else {
            continue;
        };
        if pid != std::process::id() && !writer_alive(pid, &entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether the process that created a temporary file may still be writing it.
fn writer_alive(pid: u32, temp: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = std::fs::metadata(temp)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
    age.is_none_or(|age| age < STALE_AFTER)
}

/// Reads a file, or `None` when it does not exist.
pub fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_creates_parents_and_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/file.txt");
        write_atomic(&path, b"first version, longer").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            let mode = std::os::unix::fs::PermissionsExt::mode(
                &std::fs::metadata(&path).unwrap().permissions(),
            );
            assert_eq!(mode & 0o777, 0o644);
        }
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("file.txt")]);
    }

    #[test]
    fn temporary_files_of_killed_writers_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        // A pid no process has (above the kernel's maximum) and our own.
        let dead = dir.path().join(".pgdrift-4194305-0.tmp");
        let ours = dir
            .path()
            .join(format!(".pgdrift-{}-999999.tmp", std::process::id()));
        let users = dir.path().join(".pgdrift-notes.tmp");
        for file in [&dead, &ours, &users] {
            std::fs::write(file, "half").unwrap();
        }
        write_atomic(&dir.path().join("schema.json"), b"{}").unwrap();
        assert!(!dead.exists(), "a dead writer's temporary file is removed");
        assert!(ours.exists(), "a live writer's temporary file is kept");
        assert!(users.exists(), "a file not named like ours is kept");
    }
}
