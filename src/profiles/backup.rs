//! Copies of what PoolPass replaces, in its own private folder: the previous version of each
//! AWS file it rewrites (the newest few kept), and any section it was told to take over from
//! the user (kept until the user deletes it).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::atomic;

/// Previous versions kept per file name.
pub const KEEP: usize = 10;

#[derive(Debug, Clone)]
pub struct Backups {
    dir: PathBuf,
}

impl Backups {
    pub fn new(dir: PathBuf) -> Backups {
        Backups { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps `bytes`, the content `path` had before this write.
    pub fn save_file(&self, path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
        let base = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let saved = self.write(&format!("{base}.{}.bak", stamp()), bytes)?;
        self.prune(&format!("{base}."), KEEP);
        Ok(saved)
    }

    /// Keeps a user's section that PoolPass is about to take over (`--force`).
    pub fn save_section(&self, profile: &str, text: &str) -> io::Result<PathBuf> {
        self.write(
            &format!("section-{profile}.{}.bak", stamp()),
            text.as_bytes(),
        )
    }

    fn write(&self, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        atomic::create_private_dir(&self.dir)?;
        let path = self.dir.join(name);
        atomic::write(&path, bytes)?;
        Ok(path)
    }

    fn prune(&self, prefix: &str, keep: usize) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(prefix) && n.ends_with(".bak") && !n.starts_with("section-"))
            .collect();
        // The stamp sorts by time.
        names.sort();
        let excess = names.len().saturating_sub(keep);
        for n in &names[..excess] {
            let _ = fs::remove_file(self.dir.join(n));
        }
    }
}

pub(crate) fn stamp() -> String {
    let t = OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.{:09}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_versions_only() {
        let d = tempfile::tempdir().unwrap();
        let b = Backups::new(d.path().join("backups"));
        for i in 0..(KEEP + 3) {
            b.save_file(Path::new("/x/credentials"), format!("v{i}").as_bytes())
                .unwrap();
        }
        b.save_section("acme", "[acme]\n").unwrap();
        let mut kept: Vec<String> = fs::read_dir(b.dir())
            .unwrap()
            .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        kept.sort();
        assert_eq!(kept.len(), KEEP + 1);
        assert!(kept.contains(&format!("v{}", KEEP + 2)) && !kept.contains(&"v0".to_string()));
        assert!(kept.contains(&"[acme]\n".to_string()));
    }
}
