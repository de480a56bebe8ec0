//! The import link's codec: `poolpass://import?config=…&name=…` carries the whole
//! configuration (base64url), never an address to fetch it from; and reading a configuration
//! file with the same limits.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use url::Url;

use crate::config::Config;
use crate::ConfigError;

/// The largest configuration PoolPass imports. Real ones are a few kilobytes; the limit keeps
/// a hostile link or file from costing memory, and a link from outgrowing what browsers and
/// OS link handlers pass on.
pub const MAX_CONFIG_BYTES: usize = 64 * 1024;

/// The longest label a link may carry, in characters.
pub const MAX_NAME_CHARS: usize = 64;

pub(super) const SCHEME: &str = "poolpass";
pub(super) const LINK_PREFIX: &str = "poolpass://import?config=";

/// base64 of `MAX_CONFIG_BYTES`, unpadded; anything longer is refused before decoding.
pub(super) const MAX_ENCODED_CHARS: usize = MAX_CONFIG_BYTES.div_ceil(3) * 4;
/// A whole link: the encoded configuration, a percent-encoded label, and the rest.
pub(super) const MAX_LINK_CHARS: usize = MAX_ENCODED_CHARS + MAX_NAME_CHARS * 12 + 64;

/// What a configuration to import came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    /// A `poolpass://import` link, with the label its maker gave it (unverified: anyone can
    /// make a link and label it anything).
    Link {
        name: Option<String>,
    },
}

impl Origin {
    /// What error messages call the text, in place of a file name.
    pub(super) fn label(&self) -> PathBuf {
        match self {
            Origin::File(p) => p.clone(),
            Origin::Link { .. } => PathBuf::from("import link"),
        }
    }

    pub(super) fn describe(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Link { .. } => "in the link".into(),
        }
    }
}

/// A configuration's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub text: String,
    pub origin: Origin,
}

/// Reads what the user named: a `poolpass:` link, or else a file path (a file whose name
/// starts with `poolpass:` can be named as `./poolpass:…`).
pub fn read(source: &str) -> Result<Source, ConfigError> {
    if is_link(source) {
        parse_link(source)
    } else {
        let path = PathBuf::from(source);
        Ok(Source {
            text: read_file(&path)?,
            origin: Origin::File(path),
        })
    }
}

/// Whether `s` is meant as a link (and so must parse as one) rather than a file path.
pub fn is_link(s: &str) -> bool {
    let s = s.trim_start();
    s.get(..SCHEME.len() + 1)
        .is_some_and(|p| p.eq_ignore_ascii_case("poolpass:"))
}

/// A configuration file's text, refused when it is too large or not UTF-8.
pub fn read_file(path: &Path) -> Result<String, ConfigError> {
    let unreadable = |e: std::io::Error| ConfigError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut bytes = Vec::new();
    File::open(path)
        .map_err(unreadable)?
        .take(MAX_CONFIG_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::ImportTooLarge {
            what: path.display().to_string(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    utf8(bytes, &path.display().to_string())
}

pub(super) fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        ConfigError::ImportNotUtf8 {
            what: what.to_string(),
            line: Some(valid.iter().filter(|&&b| b == b'\n').count() + 1),
        }
    })
}

pub(super) fn too_large(text: &str, what: &str) -> Result<(), ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::ImportTooLarge {
            what: what.to_string(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    Ok(())
}

/// Parses `poolpass://import?config=<base64url, no padding>[&name=<label>]`, strictly: any
/// other shape, parameter or encoding is refused rather than guessed at.
pub fn parse_link(link: &str) -> Result<Source, ConfigError> {
    let bad = |reason: &str| ConfigError::ImportLink {
        reason: reason.to_string(),
    };
    let link = link.trim();
    if link.len() > MAX_LINK_CHARS {
        return Err(ConfigError::ImportTooLarge {
            what: "in the link".into(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let url = Url::parse(link).map_err(|e| bad(&format!("it is not a URL ({e})")))?;
    if url.scheme() != SCHEME {
        return Err(bad("it does not start with poolpass://"));
    }
    let host_ok = url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case("import"));
    if !host_ok
        || !matches!(url.path(), "" | "/")
        || !url.username().is_empty()
        || url.password().is_some()
        || url.port().is_some()
    {
        return Err(bad(
            "it is not an import link (expected poolpass://import?config=…)",
        ));
    }
    if url.fragment().is_some() {
        return Err(bad("it has a '#' part, which import links never have"));
    }
    let mut config = None;
    let mut name = None;
    for (key, value) in url.query_pairs() {
        let slot = match key.as_ref() {
            "config" => &mut config,
            "name" => &mut name,
            // PoolPass never fetches a configuration named by a link (see the module doc),
            // so say so rather than only "unknown".
            "url" | "href" | "src" | "from" => {
                return Err(bad(&format!("it asks PoolPass to fetch the configuration from somewhere ({key}=…); PoolPass only imports links that carry the configuration itself")))
            }
            other => {
                return Err(bad(&format!(
                    "it has the unknown parameter {other:?} (import links carry only config and name)"
                )))
            }
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(bad(&format!("the parameter {key} appears twice")));
        }
    }
    let encoded = config.ok_or_else(|| bad("it carries no configuration (no config=…)"))?;
    if encoded.len() > MAX_ENCODED_CHARS {
        return Err(ConfigError::ImportTooLarge {
            what: "in the link".into(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let bytes = URL_SAFE_NO_PAD.decode(encoded.as_bytes()).map_err(|e| {
        bad(&format!(
            "its configuration is not base64url without padding ({e})"
        ))
    })?;
    if bytes.is_empty() {
        return Err(bad("its configuration is empty"));
    }
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::ImportTooLarge {
            what: "in the link".into(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let text = utf8(bytes, "in the link")?;
    if let Some(n) = &name {
        check_name(n)?;
    }
    Ok(Source {
        text,
        origin: Origin::Link { name },
    })
}

pub(super) fn check_name(name: &str) -> Result<(), ConfigError> {
    if name.trim().is_empty()
        || name.trim() != name
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ConfigError::ImportLink {
            reason: format!("its name must be 1 to {MAX_NAME_CHARS} characters on one line, without leading or trailing spaces"),
        });
    }
    Ok(())
}

/// The link that imports the configuration file at `path`, for administrators to hand out.
/// The file is validated first: a link never carries a configuration PoolPass would refuse.
pub fn make_link(path: &Path, name: Option<&str>) -> Result<String, ConfigError> {
    let text = read_file(path)?;
    Config::parse(path, &text)?;
    encode_link(&text, name)
}

/// The link for this text, without validating it as a configuration.
pub(super) fn encode_link(text: &str, name: Option<&str>) -> Result<String, ConfigError> {
    too_large(text, "to put in a link")?;
    let mut link = format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(text));
    if let Some(n) = name {
        check_name(n)?;
        link.push_str("&name=");
        link.extend(url::form_urlencoded::byte_serialize(n.as_bytes()));
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;
    use crate::import::preview;
    use crate::import::tests::GOOD;

    fn link_of(text: &str) -> String {
        encode_link(text, None).unwrap()
    }

    fn link_error(link: &str) -> String {
        let e = parse_link(link).unwrap_err();
        assert_eq!(e.code(), "import_link_invalid", "{link}: {e}");
        e.to_string()
    }

    #[test]
    fn links_round_trip() {
        let text = "# ünïcødé, \"quotes\", ?&=#+/\n".to_string() + GOOD;
        let link = encode_link(&text, Some("Acme staff & co")).unwrap();
        assert!(link.starts_with("poolpass://import?config="), "{link}");
        let s = read(&link).unwrap();
        assert_eq!(s.text, text);
        assert_eq!(
            s.origin,
            Origin::Link {
                name: Some("Acme staff & co".into())
            }
        );
        // What an OS link handler may add: a slash, surrounding white space.
        let slashed = link.replace("import?", "import/?");
        assert_eq!(read(&format!(" {slashed}\n")).unwrap().text, text);
        assert_eq!(
            parse_link(&link_of(GOOD)).unwrap().origin,
            Origin::Link { name: None }
        );
    }

    #[test]
    fn make_link_validates_the_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("acme.toml");
        std::fs::write(&p, GOOD).unwrap();
        let link = make_link(&p, Some("Acme")).unwrap();
        assert_eq!(parse_link(&link).unwrap().text, GOOD);
        std::fs::write(&p, GOOD.replace("us-west-2_AbC123", "nope")).unwrap();
        let e = make_link(&p, None).unwrap_err();
        assert_eq!(e.code(), "config_invalid");
        assert_eq!(e.location().unwrap().field.as_deref(), Some("user_pool_id"));
    }

    #[test]
    fn links_are_parsed_strictly() {
        let good = link_of(GOOD);
        let enc = good.strip_prefix(LINK_PREFIX).unwrap();
        for (link, says) in [
            (format!("https://import?config={enc}"), "poolpass://"),
            (
                format!("poolpass://export?config={enc}"),
                "not an import link",
            ),
            (
                format!("poolpass://import/x?config={enc}"),
                "not an import link",
            ),
            (
                format!("poolpass://u@import?config={enc}"),
                "not an import link",
            ),
            (
                format!("poolpass://import:1?config={enc}"),
                "not an import link",
            ),
            (format!("poolpass://import?config={enc}#x"), "'#'"),
            ("poolpass://import".to_string(), "no config"),
            ("poolpass://import?name=x".to_string(), "no config"),
            (format!("{good}&extra=1"), "unknown parameter \"extra\""),
            (format!("{good}&Config=x"), "unknown parameter"),
            (format!("{good}&config={enc}"), "twice"),
            (format!("{good}&name=a&name=b"), "twice"),
            (
                "poolpass://import?url=https://evil.example/c.toml".to_string(),
                "fetch",
            ),
            ("poolpass://import?config=".to_string(), "empty"),
            (format!("{good}&name=%20x"), "name"),
            (format!("{good}&name=a%0Ab"), "name"),
            (format!("{good}&name={}", "x".repeat(65)), "name"),
        ] {
            let e = link_error(&link);
            assert!(e.contains(says), "{link}: {e}");
        }
    }

    #[test]
    fn bad_base64_is_refused() {
        let std = base64::engine::general_purpose::STANDARD.encode("[x]\n???>>>");
        assert!(std.contains('+') || std.contains('/') || std.contains('='));
        for enc in [
            std.as_str(), // the standard alphabet, with padding
            "W3hdCg==",   // padded
            "W3hd%20Cg",  // a space in the middle
            "W3h",        // trailing bits set: not what an encoder writes
            "W",          // impossible length
            "!!!!",
        ] {
            let e = link_error(&format!("poolpass://import?config={enc}"));
            assert!(e.contains("base64url"), "{enc}: {e}");
        }
    }

    #[test]
    fn oversize_and_non_utf8_are_refused() {
        let big = format!("{GOOD}#{}\n", "x".repeat(MAX_CONFIG_BYTES));
        let e = encode_link(&big, None).unwrap_err();
        assert_eq!(e.code(), "import_too_large");
        // Just over the limit once decoded, and far over it as a whole link.
        let over = URL_SAFE_NO_PAD.encode(vec![b'#'; MAX_CONFIG_BYTES + 1]);
        let e = parse_link(&format!("{LINK_PREFIX}{over}")).unwrap_err();
        assert_eq!(e.code(), "import_too_large", "{e}");
        let huge = format!("{LINK_PREFIX}{}", "A".repeat(MAX_LINK_CHARS));
        assert_eq!(parse_link(&huge).unwrap_err().code(), "import_too_large");
        // Exactly at the limit is fine (as far as the link goes).
        let at = URL_SAFE_NO_PAD.encode(vec![b'#'; MAX_CONFIG_BYTES]);
        parse_link(&format!("{LINK_PREFIX}{at}")).unwrap();

        let latin1 = URL_SAFE_NO_PAD.encode(b"# ok\n# caf\xe9\n");
        let e = parse_link(&format!("{LINK_PREFIX}{latin1}")).unwrap_err();
        assert_eq!(e.code(), "import_not_utf8");
        assert_eq!(e.location().unwrap().line, Some(2));

        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c.toml");
        std::fs::write(&p, b"\xff\xfe[").unwrap();
        assert_eq!(read_file(&p).unwrap_err().code(), "import_not_utf8");
        std::fs::write(&p, big.as_bytes()).unwrap();
        assert_eq!(read_file(&p).unwrap_err().code(), "import_too_large");
        let e = preview(&big, Origin::File(p.clone()), &d.path().join("dest")).unwrap_err();
        assert_eq!(e.code(), "import_too_large");
        assert_eq!(
            read(d.path().join("missing").to_str().unwrap())
                .unwrap_err()
                .code(),
            "config_invalid"
        );
    }
}
