//! The user's AWS shared files: where they are, and writing PoolPass's profiles into them
//! without disturbing anything else.

pub mod atomic;
pub mod backup;
pub mod ini;

use std::fmt;
use std::path::{Path, PathBuf};

use backup::Backups;
use ini::{Document, Flavor};

use crate::aws::AwsCredentials;
use crate::Error;

/// The two files every AWS SDK reads, as the SDKs locate them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFiles {
    pub credentials: PathBuf,
    pub config: PathBuf,
}

impl AwsFiles {
    /// `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`, else `~/.aws/credentials` and
    /// `~/.aws/config`.
    pub fn from_env() -> AwsFiles {
        let home = dirs::home_dir().unwrap_or_else(|| PathBuf::from("."));
        let pick = |var: &str, default: &str| match std::env::var_os(var) {
            Some(v) if !v.is_empty() => expand_tilde(PathBuf::from(v), &home),
            _ => home.join(".aws").join(default),
        };
        AwsFiles {
            credentials: pick("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            config: pick("AWS_CONFIG_FILE", "config"),
        }
    }
}

fn expand_tilde(p: PathBuf, home: &Path) -> PathBuf {
    match p.strip_prefix("~") {
        Ok(rest) => home.join(rest),
        Err(_) => p,
    }
}

/// What PoolPass writes for one profile.
pub struct ProfileWrite<'a> {
    pub name: &'a str,
    pub credentials: &'a AwsCredentials,
    pub region: &'a str,
}

/// Keys PoolPass removes from its own credentials section: botocore reads a stale
/// `aws_security_token` before `aws_session_token`.
const STALE_CREDENTIAL_KEYS: &[&str] = &["aws_security_token"];
/// Static keys in the credentials file beat `credential_process` for the same profile, so a
/// leftover one would silently never run.
const STALE_CONFIG_KEYS: &[&str] = &["credential_process"];

/// Something a user should know about what was written: it may not be what AWS tools use,
/// or others may read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    ReadableByOthers {
        path: PathBuf,
        mode: u32,
    },
    /// Credentials in the environment win over any profile in the Rust SDK's default chain,
    /// and in every tool run without a profile.
    EnvironmentKeys,
    /// `AWS_PROFILE` names another profile, so tools run without `--profile` do not use
    /// PoolPass's `default`.
    DefaultNotSelected {
        aws_profile: String,
    },
    /// The file is reached through a symbolic link in a folder other users can write: one of
    /// them can point the link at a file of theirs and read or plant what PoolPass writes.
    LinkInSharedFolder {
        path: PathBuf,
        link: PathBuf,
        folder: PathBuf,
    },
    /// A key in the config file's profile makes tools get credentials another way.
    ShadowedInConfig {
        profile: String,
        key: String,
        path: PathBuf,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::ReadableByOthers { path, mode } => write!(
                f,
                "{} can be read by other users (mode {mode:o}); it holds secret keys. Consider `chmod 600 {}`.",
                path.display(),
                path.display()
            ),
            Warning::EnvironmentKeys => f.write_str(
                "AWS_ACCESS_KEY_ID is set in this environment: AWS tools use those keys instead of the profiles PoolPass writes (the Rust SDK even when a profile is named). Unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.",
            ),
            Warning::DefaultNotSelected { aws_profile } => write!(
                f,
                "AWS_PROFILE is set to {aws_profile:?}, so tools run without --profile use that profile, not the default profile PoolPass wrote."
            ),
            Warning::LinkInSharedFolder { path, link, folder } => write!(
                f,
                "{} is reached through the symbolic link {} in {}, a folder other users can write: they can point the link at a file of their own and read the keys PoolPass writes. Use a path without that link, or keep the link in a folder only you can write.",
                path.display(),
                link.display(),
                folder.display()
            ),
            Warning::ShadowedInConfig { profile, key, path } => write!(
                f,
                "The profile {profile:?} in {} has `{key}`, which makes AWS tools get credentials another way and ignore the keys PoolPass wrote. Remove that line, or choose another profile name.",
                path.display()
            ),
        }
    }
}

impl Warning {
    /// The warning's stable name, for front ends that word it themselves.
    pub fn id(&self) -> &'static str {
        match self {
            Warning::ReadableByOthers { .. } => "readable_by_others",
            Warning::EnvironmentKeys => "environment_keys",
            Warning::DefaultNotSelected { .. } => "default_not_selected",
            Warning::LinkInSharedFolder { .. } => "link_in_shared_folder",
            Warning::ShadowedInConfig { .. } => "shadowed_in_config",
        }
    }

    /// The names and values in the message, for front ends that word it in the user's language.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            Warning::ReadableByOthers { path, mode } => {
                vec![("path", shown(path)), ("mode", format!("{mode:o}"))]
            }
            Warning::EnvironmentKeys => vec![],
            Warning::DefaultNotSelected { aws_profile } => {
                vec![("aws_profile", aws_profile.clone())]
            }
            Warning::LinkInSharedFolder { path, link, folder } => vec![
                ("path", shown(path)),
                ("link", shown(link)),
                ("folder", shown(folder)),
            ],
            Warning::ShadowedInConfig { profile, key, path } => vec![
                ("profile", profile.clone()),
                ("key", key.clone()),
                ("path", shown(path)),
            ],
        }
    }
}

/// Keys in a config-file profile that botocore and the SDKs act on before they read static keys.
const SHADOWING_CONFIG_KEYS: &[&str] = &[
    "role_arn",
    "credential_source",
    "web_identity_token_file",
    "sso_start_url",
    "sso_session",
    "sso_account_id",
];

/// What the environment does to tools that should read `profiles`.
pub fn environment_warnings(profiles: &[&str]) -> Vec<Warning> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let mut out = Vec::new();
    if set("AWS_ACCESS_KEY_ID") {
        out.push(Warning::EnvironmentKeys);
    }
    if profiles.contains(&"default") {
        if let Ok(p) = std::env::var("AWS_PROFILE") {
            if !p.is_empty() && p != "default" {
                out.push(Warning::DefaultNotSelected { aws_profile: p });
            }
        }
    }
    out
}

/// Both AWS files, read once, edited in memory for any number of profiles, and written once
/// each: one backup and one atomic replace per file however many profiles change (a refresh of
/// 12 profiles would otherwise replace each file 12 times, with every fsync that takes).
pub struct Batch<'a> {
    files: &'a AwsFiles,
    credentials: File,
    config: File,
    touched: Vec<String>,
}

struct File {
    /// The text as read (`None`: no such file yet).
    before: Option<String>,
    doc: Document,
}

impl File {
    fn open(path: &Path) -> Result<File, Error> {
        let before = read(path)?.map(|d| d.render());
        let doc = Document::parse(before.as_deref().unwrap_or(""));
        // Writing into a file no AWS tool can read would "succeed" with nothing to show for it.
        if let Some(e) = doc.unreadable() {
            return Err(Error::ProfileFile {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
        Ok(File { before, doc })
    }
}

impl<'a> Batch<'a> {
    /// Reads both files; a file PoolPass cannot read safely is refused here, untouched.
    pub fn open(files: &'a AwsFiles) -> Result<Batch<'a>, Error> {
        Ok(Batch {
            files,
            credentials: File::open(&files.credentials)?,
            config: File::open(&files.config)?,
            touched: Vec::new(),
        })
    }

    pub fn files(&self) -> &AwsFiles {
        self.files
    }

    /// The file that already has a section for `name`, if any.
    pub fn existing(&self, name: &str) -> Option<PathBuf> {
        if self.credentials.doc.has_section(Flavor::Credentials, name) {
            Some(self.files.credentials.clone())
        } else if self.config.doc.has_section(Flavor::Config, name) {
            Some(self.files.config.clone())
        } else {
            None
        }
    }

    /// The sections named `name` as they are now, for a backup before taking them over.
    pub fn sections_text(&self, name: &str) -> Option<String> {
        let mut text = String::new();
        for (path, file, flavor) in [
            (
                &self.files.credentials,
                &self.credentials,
                Flavor::Credentials,
            ),
            (&self.files.config, &self.config, Flavor::Config),
        ] {
            if let Some(section) = file.doc.section_text(flavor, name) {
                text.push_str(&format!("# from {}\n{section}", path.display()));
                if !section.ends_with('\n') {
                    text.push('\n');
                }
            }
        }
        (!text.is_empty()).then_some(text)
    }

    /// Both files' edits for one profile, or neither.
    fn edit(
        &mut self,
        name: &str,
        credentials: impl FnOnce(&mut Document) -> Result<(), ini::EditError>,
        config: impl FnOnce(&mut Document) -> Result<(), ini::EditError>,
    ) -> Result<(), Error> {
        let mut c = self.credentials.doc.clone();
        credentials(&mut c).map_err(|e| Error::ProfileFile {
            path: self.files.credentials.clone(),
            reason: e.to_string(),
        })?;
        let mut f = self.config.doc.clone();
        config(&mut f).map_err(|e| Error::ProfileFile {
            path: self.files.config.clone(),
            reason: e.to_string(),
        })?;
        self.credentials.doc = c;
        self.config.doc = f;
        self.touched.push(name.to_string());
        Ok(())
    }

    /// A static profile: keys in the credentials file, region in the config file.
    pub fn set_static(&mut self, w: &ProfileWrite<'_>) -> Result<(), Error> {
        let c = w.credentials;
        let expires = c
            .expiration
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| Error::ProfileFile {
                path: self.files.credentials.clone(),
                reason: e.to_string(),
            })?;
        let mut keys = vec![
            ("aws_access_key_id", c.access_key_id.as_str()),
            (
                "aws_secret_access_key",
                c.secret_access_key.expose().as_str(),
            ),
            ("aws_session_token", c.session_token.expose().as_str()),
            ("x_security_token_expires", expires.as_str()),
        ];
        // botocore gives every profile the keys of a `[DEFAULT]` section and reads
        // aws_security_token before aws_session_token: an inherited one would win over the
        // new token, unless the profile has its own.
        let mut remove = STALE_CREDENTIAL_KEYS;
        if self
            .credentials
            .doc
            .inherited_keys()
            .iter()
            .any(|k| k == "aws_security_token")
        {
            keys.push(("aws_security_token", c.session_token.expose().as_str()));
            remove = &[];
        }
        self.edit(
            w.name,
            |doc| doc.upsert(Flavor::Credentials, w.name, &keys, remove),
            |doc| {
                doc.upsert(
                    Flavor::Config,
                    w.name,
                    &[("region", w.region)],
                    STALE_CONFIG_KEYS,
                )
            },
        )
    }

    /// A `credential_process` profile: the config file's profile runs `command`, and no keys
    /// are left in the credentials file (static keys there would win over the process).
    pub fn set_process(&mut self, name: &str, region: &str, command: &str) -> Result<(), Error> {
        self.edit(
            name,
            |doc| doc.remove_section(Flavor::Credentials, name).map(|_| ()),
            |doc| {
                doc.upsert(
                    Flavor::Config,
                    name,
                    &[("region", region), ("credential_process", command)],
                    &[],
                )
            },
        )
    }

    /// Removes the profile's sections from both files.
    pub fn remove(&mut self, name: &str) -> Result<bool, Error> {
        let (mut in_credentials, mut in_config) = (false, false);
        self.edit(
            name,
            |doc| {
                doc.remove_section(Flavor::Credentials, name)
                    .map(|r| in_credentials = r)
            },
            |doc| {
                doc.remove_section(Flavor::Config, name)
                    .map(|r| in_config = r)
            },
        )?;
        Ok(in_credentials || in_config)
    }

    /// Writes each changed file once: its previous version to the backups, then an atomic
    /// replace. Returns what the user should know about the result.
    pub fn commit(self, backups: &Backups) -> Result<Vec<Warning>, Error> {
        let mut warnings = Vec::new();
        for (path, file) in [
            (&self.files.credentials, &self.credentials),
            (&self.files.config, &self.config),
        ] {
            let after = file.doc.render();
            if file.before.as_deref() == Some(after.as_str())
                || (file.before.is_none() && after.is_empty())
            {
                continue;
            }
            let err = |reason: String| Error::ProfileFile {
                path: path.to_path_buf(),
                reason,
            };
            if let Some(before) = &file.before {
                backups
                    .save_file(path, before.as_bytes())
                    .map_err(|e| err(format!("cannot back up the file first: {e}")))?;
                if let Some(mode) = readable_by_others(path) {
                    warnings.push(Warning::ReadableByOthers {
                        path: path.to_path_buf(),
                        mode,
                    });
                }
            }
            atomic::write(path, after.as_bytes()).map_err(|e| err(e.to_string()))?;
            for (link, folder) in links_in_shared_folders(path) {
                warnings.push(Warning::LinkInSharedFolder {
                    path: path.to_path_buf(),
                    link,
                    folder,
                });
            }
        }
        let inherited = self.config.doc.inherited_keys();
        for name in &self.touched {
            let mut keys = self.config.doc.keys(Flavor::Config, name);
            // botocore gives the profile the config file's `[DEFAULT]` keys too.
            if self.config.doc.has_section(Flavor::Config, name) {
                keys.extend(
                    inherited
                        .iter()
                        .filter(|k| !keys.contains(k))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
            for key in keys {
                if SHADOWING_CONFIG_KEYS.contains(&key.as_str()) {
                    warnings.push(Warning::ShadowedInConfig {
                        profile: name.clone(),
                        key,
                        path: self.files.config.clone(),
                    });
                }
            }
        }
        Ok(warnings)
    }
}

/// Is there a section for `name` in either file? (Used to refuse overwriting a profile that
/// PoolPass did not create.)
pub fn profile_exists(files: &AwsFiles, name: &str) -> Result<Option<PathBuf>, Error> {
    Ok(Batch::open(files)?.existing(name))
}

/// Writes one static profile (a batch of one).
pub fn write_profile(
    files: &AwsFiles,
    backups: &Backups,
    w: &ProfileWrite<'_>,
) -> Result<Vec<Warning>, Error> {
    let mut batch = Batch::open(files)?;
    batch.set_static(w)?;
    batch.commit(backups)
}

/// Writes one `credential_process` profile (a batch of one).
pub fn write_process_profile(
    files: &AwsFiles,
    backups: &Backups,
    name: &str,
    region: &str,
    command: &str,
) -> Result<Vec<Warning>, Error> {
    let mut batch = Batch::open(files)?;
    batch.set_process(name, region, command)?;
    batch.commit(backups)
}

/// Removes the profile's sections from both files. The caller has checked that PoolPass owns
/// the profile.
pub fn remove_profile(files: &AwsFiles, backups: &Backups, name: &str) -> Result<bool, Error> {
    let mut batch = Batch::open(files)?;
    let removed = batch.remove(name)?;
    batch.commit(backups)?;
    Ok(removed)
}

/// The static keys PoolPass wrote for `name`: (key id, secret, token, expiry).
pub fn read_static(files: &AwsFiles, name: &str) -> Result<Option<[String; 4]>, Error> {
    let Some(doc) = read(&files.credentials)? else {
        return Ok(None);
    };
    let get = |k: &str| doc.get(Flavor::Credentials, name, k);
    Ok(
        match (
            get("aws_access_key_id"),
            get("aws_secret_access_key"),
            get("aws_session_token"),
            get("x_security_token_expires"),
        ) {
            (Some(a), Some(s), Some(t), Some(e)) => Some([a, s, t, e]),
            _ => None,
        },
    )
}

/// The `credential_process` value that runs `exe` for `profile`, every argument quoted.
///
/// Two splitters read this line: botocore splits it like a POSIX shell without running one
/// (`shlex.split`; on Windows its own splitter of double quotes), and the Go and Rust SDKs hand
/// it to `sh -c` (`cmd.exe /C` on Windows). Single quotes mean the same to shlex and `sh`:
/// nothing inside is special, and a quote itself is written as `'\''`. On Windows only double
/// quotes work for both, and `cmd.exe` still expands `%` inside them, so paths holding `"` or
/// `%` are refused there. Control characters cannot be written into an INI value at all.
pub fn process_command(exe: &Path, config: &Path, profile: &str) -> Result<String, Error> {
    let args = [
        path_arg(exe)?,
        "--config".to_string(),
        path_arg(config)?,
        "credential-process".to_string(),
        // One argument, so that a name starting with `-` is never read as an option.
        format!("--profile={profile}"),
    ];
    args.iter()
        .map(|a| {
            quote_arg(a).ok_or_else(|| Error::ProfileFile {
                path: config.to_path_buf(),
                reason: format!(
                    "the profile name {profile:?} cannot be written into a credential_process line"
                ),
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|v| v.join(" "))
}

/// Refuses, before anything is signed in, the paths [`process_command`] could not quote, so
/// that a sign-in never ends with profiles it cannot write.
pub fn check_process_paths(exe: &Path, config: &Path) -> Result<(), Error> {
    path_arg(exe).and(path_arg(config)).map(|_| ())
}

fn path_arg(p: &Path) -> Result<String, Error> {
    p.to_str()
        .filter(|s| quote_arg(s).is_some())
        .map(String::from)
        .ok_or_else(|| Error::ProfileFile {
            path: p.to_path_buf(),
            reason: if cfg!(windows) {
                "this path cannot be written safely into a credential_process line (it has a double quote, a % sign, a space before # or ;, a control character, or is not Unicode); move it to a folder without those".into()
            } else {
                "this path cannot be written safely into a credential_process line (it has a space before # or ;, a control character, or is not UTF-8); move it to a folder without those".into()
            },
        })
}

fn quote_arg(s: &str) -> Option<String> {
    // The Rust SDK ends a value at `#` or `;` after whitespace (an inline comment); botocore
    // does not. No quoting hides them from an INI reader, so such paths are refused.
    let inline_comment = s
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_whitespace() && (w[1] == b'#' || w[1] == b';'));
    if s.is_empty() || s.chars().any(char::is_control) || inline_comment {
        return None;
    }
    if cfg!(windows) {
        if s.contains(['"', '%']) || s.ends_with('\\') {
            return None;
        }
        Some(format!("\"{s}\""))
    } else {
        Some(format!("'{}'", s.replace('\'', "'\\''")))
    }
}

/// The largest AWS file PoolPass reads: the biggest real ones are a few hundred kilobytes, and
/// a file that keeps growing (or `/dev/zero` behind a link) must not exhaust memory.
pub const MAX_FILE_SIZE: u64 = 4 << 20;

/// Refuses AWS files that are not regular files or are too large, without opening them, so
/// that a sign-in or refresh fails before any network call (a FIFO would otherwise hang it
/// later, with the state lock held). A missing file is fine: it is created.
pub fn check_files(files: &AwsFiles) -> Result<(), Error> {
    for path in [&files.credentials, &files.config] {
        let err = |reason: String| Error::ProfileFile {
            path: path.to_path_buf(),
            reason,
        };
        match std::fs::metadata(path) {
            Ok(m) => {
                if let Some(reason) = atomic::not_a_plain_file(&m, MAX_FILE_SIZE) {
                    return Err(err(format!(
                        "{reason}; PoolPass writes AWS profiles only into regular files. Point AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE (or PoolPass's settings) at a regular file"
                    )));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(err(e.to_string())),
        }
    }
    Ok(())
}

/// Reads a file as text, or refuses to touch it: PoolPass never rewrites what it cannot read.
fn read(path: &Path) -> Result<Option<Document>, Error> {
    let err = |reason: String| Error::ProfileFile {
        path: path.to_path_buf(),
        reason,
    };
    let Some(bytes) =
        atomic::read_plain_optional(path, MAX_FILE_SIZE).map_err(|e| err(e.to_string()))?
    else {
        return Ok(None);
    };
    let line_at = |offset: usize| bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let text = String::from_utf8(bytes.clone()).map_err(|e| {
        err(format!(
            "line {} is not UTF-8 text; PoolPass will not rewrite a file it cannot read. Fix or remove that line",
            line_at(e.utf8_error().valid_up_to())
        ))
    })?;
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(err(format!(
            "line {} holds binary data (a NUL byte); PoolPass will not rewrite a file it cannot read. Fix or remove that line",
            line_at(nul)
        )));
    }
    Ok(Some(Document::parse(&text)))
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> Option<u32> {
    None
}

/// The symbolic links on the way to `path` (in any component, and in their targets) that sit
/// in a folder anyone can write, with that folder: the sticky bit does not help, since the
/// link may be another user's to begin with.
#[cfg(unix)]
pub fn links_in_shared_folders(path: &Path) -> Vec<(PathBuf, PathBuf)> {
    use std::collections::VecDeque;
    use std::ffi::OsString;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Component;
    // Components still to walk: `None` is the root.
    fn parts(p: &Path) -> Vec<Option<OsString>> {
        p.components()
            .filter_map(|c| match c {
                Component::RootDir | Component::Prefix(_) => Some(None),
                Component::Normal(n) => Some(Some(n.to_os_string())),
                Component::ParentDir => Some(Some("..".into())),
                Component::CurDir => None,
            })
            .collect()
    }
    let Ok(abs) = std::path::absolute(path) else {
        return Vec::new();
    };
    let mut todo: VecDeque<Option<OsString>> = parts(&abs).into();
    let mut at = PathBuf::from("/");
    let mut found = Vec::new();
    let mut hops = 0;
    while let Some(part) = todo.pop_front() {
        let Some(name) = part else {
            at = PathBuf::from("/");
            continue;
        };
        if name == ".." {
            at.pop();
            continue;
        }
        let next = at.join(&name);
        match std::fs::symlink_metadata(&next) {
            Ok(m) if m.file_type().is_symlink() => {
                hops += 1;
                let Ok(target) = std::fs::read_link(&next) else {
                    break;
                };
                if hops > 40 {
                    break;
                }
                let shared =
                    std::fs::metadata(&at).is_ok_and(|d| d.permissions().mode() & 0o002 != 0);
                if shared {
                    found.push((next, at.clone()));
                }
                for p in parts(&target).into_iter().rev() {
                    todo.push_front(p);
                }
            }
            Ok(_) => at = next,
            // The rest does not exist yet: no link can be on it.
            Err(_) => break,
        }
    }
    found
}

#[cfg(not(unix))]
pub fn links_in_shared_folders(_: &Path) -> Vec<(PathBuf, PathBuf)> {
    Vec::new()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    #[test]
    fn links_in_folders_anyone_can_write_are_found() {
        let d = tempfile::tempdir().unwrap();
        let shared = d.path().join("shared");
        let mine = d.path().join("mine");
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::create_dir_all(mine.join("aws")).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        std::fs::write(mine.join("aws/credentials"), "").unwrap();
        // A link to a folder, in the shared folder, then a relative link in a private one.
        symlink(mine.join("aws"), shared.join("aws")).unwrap();
        symlink("../shared/aws/credentials", mine.join("creds")).unwrap();
        assert_eq!(
            links_in_shared_folders(&mine.join("creds")),
            [(shared.join("aws"), shared.clone())]
        );
        assert_eq!(
            links_in_shared_folders(&shared.join("aws/credentials")),
            [(shared.join("aws"), shared.clone())]
        );
        // A link in a private folder, and a plain file in the shared one, are fine.
        symlink(mine.join("aws/credentials"), mine.join("direct")).unwrap();
        assert!(links_in_shared_folders(&mine.join("direct")).is_empty());
        std::fs::write(shared.join("plain"), "").unwrap();
        assert!(links_in_shared_folders(&shared.join("plain")).is_empty());
        assert!(links_in_shared_folders(&shared.join("missing/x")).is_empty());
    }
}
