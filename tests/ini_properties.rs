//! Property tests for the format-preserving INI editor, checked against a small reference
//! model written here from the format's rules (as Python's configparser reads the files, which
//! is what botocore uses), not from `Document`.

use std::collections::BTreeMap;

use poolpass::profiles::ini::{Document, EditError, Flavor};
use proptest::prelude::*;
use proptest::sample::{select, Index};

// ---------------------------------------------------------------------------------------------
// The reference model.

/// Section id → lowercase key → the value's lines (first line, then continuation lines).
type Model = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// The profile a header names in this flavor; other sections get ids no profile name can take.
fn section_id(flavor: Flavor, header: &str) -> String {
    match flavor {
        // configparser keeps the header text exactly.
        Flavor::Credentials => header.to_string(),
        Flavor::Config => {
            let words: Vec<&str> = header.split_whitespace().collect();
            match words.as_slice() {
                ["default"] => "default".to_string(),
                ["profile", ..] => {
                    let rest = header.trim()["profile".len()..].trim();
                    match rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                        Some(q) => q.to_string(),
                        None => rest.to_string(),
                    }
                }
                _ => format!("\0other:{header}"),
            }
        }
    }
}

fn model(flavor: Flavor, text: &str) -> Model {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut m = Model::new();
    let mut section: Option<String> = None;
    let mut key: Option<String> = None;
    // Universal newlines, as Python opens the file.
    for line in text.split("\r\n").flat_map(|l| l.split(['\r', '\n'])) {
        let trimmed = line.trim();
        // Blank and comment lines neither count nor end a multi-line value.
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if let (true, Some(s), Some(k)) = (indented, &section, &key) {
            m.get_mut(s)
                .unwrap()
                .get_mut(k)
                .unwrap()
                .push(trimmed.to_string());
            continue;
        }
        if let Some(inner) = trimmed.strip_prefix('[') {
            if let Some(end) = inner.rfind(']') {
                let id = section_id(flavor, &inner[..end]);
                m.entry(id.clone()).or_default();
                section = Some(id);
                key = None;
                continue;
            }
        }
        let (Some(s), Some(at)) = (&section, trimmed.find(['=', ':'])) else {
            continue;
        };
        let k = trimmed[..at].trim().to_lowercase();
        let v = trimmed[at + 1..].trim().to_string();
        m.get_mut(s).unwrap().insert(k.clone(), vec![v]);
        key = Some(k);
    }
    m
}

// ---------------------------------------------------------------------------------------------
// Generated files.

#[derive(Debug, Clone)]
enum Item {
    Key(String, &'static str, String),
    /// `key =` and indented lines, each either a sub-key or a comment/blank line.
    Nested(String, &'static str, Vec<String>),
    Comment(String),
    Blank(&'static str),
}

#[derive(Debug, Clone)]
struct Section {
    header: String,
    items: Vec<Item>,
}

#[derive(Debug, Clone)]
struct File {
    flavor: Flavor,
    bom: bool,
    preamble: Vec<Item>,
    sections: Vec<Section>,
    eols: Vec<&'static str>,
    final_newline: bool,
}

impl File {
    fn text(&self) -> String {
        let mut lines = Vec::new();
        let items = |lines: &mut Vec<String>, items: &[Item]| {
            for item in items {
                match item {
                    Item::Key(k, sep, v) => lines.push(format!("{k}{sep}{v}")),
                    Item::Nested(k, sep, subs) => {
                        lines.push(format!("{k}{}", sep.trim_end()));
                        lines.extend(subs.iter().cloned());
                    }
                    Item::Comment(c) => lines.push(c.clone()),
                    Item::Blank(b) => lines.push(b.to_string()),
                }
            }
        };
        items(&mut lines, &self.preamble);
        for s in &self.sections {
            lines.push(format!("[{}]", s.header));
            items(&mut lines, &s.items);
        }
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        let n = lines.len();
        for (i, l) in lines.iter().enumerate() {
            out.push_str(l);
            if i + 1 < n || self.final_newline {
                out.push_str(self.eols[i % self.eols.len()]);
            }
        }
        out
    }

    fn id(&self, s: &Section) -> String {
        section_id(self.flavor, &s.header)
    }
}

const NAMES: &[&str] = &["default", "dev", "prod", "acme-admin", "ci.bot", "Team_X"];
const FILE_KEYS: &[&str] = &[
    "aws_access_key_id",
    "AWS_Secret_Access_Key",
    "aws_session_token",
    "Region",
    "output",
    "credential_process",
    "aws_security_token",
    "x_security_token_expires",
    "sso_start_url",
];
const EDIT_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "output",
    "s3",
    "credential_process",
    "aws_security_token",
];
const SEPS: &[&str] = &["=", " = ", "= ", " =", "\t=  "];

fn value() -> impl Strategy<Value = String> {
    "([A-Za-z0-9/+=:._-]([A-Za-z0-9/+=:._ -]{0,12}[A-Za-z0-9/+=:._-])?)?"
}

fn file_key() -> impl Strategy<Value = String> {
    prop_oneof![
        select(FILE_KEYS).prop_map(String::from),
        "[a-zA-Z][a-zA-Z0-9_]{0,9}",
    ]
}

fn comment() -> impl Strategy<Value = String> {
    ("(#|;|  #)", "[ a-zA-Z=\\[\\]]{0,12}").prop_map(|(p, t)| format!("{p}{t}"))
}

fn blank() -> impl Strategy<Value = &'static str> {
    select(&["", "", "  "][..])
}

fn item() -> impl Strategy<Value = Item> {
    let sub = prop_oneof![
        6 => ("(  |\t|    )", "[a-z_]{1,12}", select(SEPS), value())
            .prop_map(|(i, k, s, v)| format!("{i}{k}{s}{v}")),
        1 => comment().prop_map(|c| format!("  {}", c.trim_start())),
        1 => blank().prop_map(String::from),
    ];
    prop_oneof![
        6 => (file_key(), select(SEPS), value()).prop_map(|(k, s, v)| Item::Key(k, s, v)),
        1 => (
            select(&["s3", "S3", "sts", "region"][..]),
            select(SEPS),
            prop::collection::vec(sub, 1..4)
        )
            .prop_map(|(k, s, subs)| Item::Nested(k.to_string(), s, subs)),
        1 => comment().prop_map(Item::Comment),
        1 => blank().prop_map(Item::Blank),
    ]
}

fn header() -> impl Strategy<Value = String> {
    let name = || select(NAMES);
    prop_oneof![
        name().prop_map(String::from),
        name().prop_map(|n| format!("profile {n}")),
        name().prop_map(|n| format!("profile   {n}")),
        name().prop_map(|n| format!("profile \"{n}\"")),
        Just("profile \"quoted name\"".to_string()),
        name().prop_map(|n| format!("sso-session {n}")),
    ]
}

fn eols() -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![
        Just(vec!["\n"]),
        Just(vec!["\r\n"]),
        prop::collection::vec(select(&["\n", "\n", "\r\n", "\r\n", "\r"][..]), 1..8),
    ]
}

/// A file with no section twice and no key twice in a section, as the model reads it.
fn file() -> impl Strategy<Value = File> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            prop_oneof![
                comment().prop_map(Item::Comment),
                blank().prop_map(Item::Blank)
            ],
            0..3,
        ),
        prop::collection::vec((header(), prop::collection::vec(item(), 0..7)), 0..6),
        eols(),
        prop::sample::select(&[true, true, true, false][..]),
    )
        .prop_map(|(config, _bom, preamble, sections, eols, final_newline)| {
            let mut f = File {
                flavor: if config {
                    Flavor::Config
                } else {
                    Flavor::Credentials
                },
                // Neither SDK reads a file with a BOM (botocore takes it for text before the
                // first header), so PoolPass refuses such files before editing; the editor's
                // handling of one is not a property to keep.
                bom: false,
                preamble,
                sections: Vec::new(),
                eols,
                final_newline,
            };
            for (header, items) in sections {
                let s = Section {
                    header,
                    items: Vec::new(),
                };
                if f.sections.iter().any(|o| f.id(o) == f.id(&s)) {
                    continue;
                }
                let mut keys = Vec::new();
                let mut kept = Vec::new();
                for item in items {
                    if let Item::Key(k, ..) | Item::Nested(k, ..) = &item {
                        if keys.contains(&k.to_lowercase()) {
                            continue;
                        }
                        keys.push(k.to_lowercase());
                    }
                    kept.push(item);
                }
                f.sections.push(Section { items: kept, ..s });
            }
            f
        })
}

// ---------------------------------------------------------------------------------------------
// Generated edits.

#[derive(Debug, Clone)]
struct Edit {
    name: String,
    /// Distinct keys: a key given twice is covered by a unit test in ini.rs.
    entries: BTreeMap<String, String>,
    remove: Vec<String>,
}

impl Edit {
    fn apply(&self, doc: &mut Document, flavor: Flavor) -> Result<(), EditError> {
        let entries: Vec<(&str, &str)> = self
            .entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let remove: Vec<&str> = self.remove.iter().map(String::as_str).collect();
        doc.upsert(flavor, &self.name, &entries, &remove)
    }
}

fn edit_key() -> impl Strategy<Value = String> {
    prop_oneof![select(EDIT_KEYS).prop_map(String::from), "[a-z_]{1,8}"]
}

/// A file and an edit of it: of a section it has (when it has profiles) or of a new one.
fn file_and_edit() -> impl Strategy<Value = (File, Edit)> {
    (
        file(),
        any::<bool>(),
        any::<Index>(),
        prop_oneof![select(NAMES).prop_map(String::from), "[a-z][a-z0-9-]{0,6}"],
        prop::collection::btree_map(edit_key(), value(), 1..=5),
        prop::collection::vec((any::<bool>(), any::<Index>(), edit_key()), 0..3),
    )
        .prop_map(|(f, existing, pick, new_name, entries, removals)| {
            let m = model(f.flavor, &f.text());
            // Only names PoolPass can be given (the characters every SDK accepts): a section
            // like `[profile x]` in the credentials file is a profile to botocore only, and
            // refused as ambiguous.
            let valid = |id: &str| {
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.%@:+".contains(c))
            };
            let profiles: Vec<&String> = m
                .keys()
                .filter(|id| !id.starts_with('\0') && valid(id))
                .collect();
            let name = if existing && !profiles.is_empty() {
                pick.get(&profiles).to_string()
            } else {
                new_name
            };
            let keys: Vec<&String> = m.get(&name).map(|s| s.keys().collect()).unwrap_or_default();
            // Disjoint from the entries: removing and setting one key at once contradicts itself.
            let remove = removals
                .into_iter()
                .map(|(from_file, i, k)| match from_file && !keys.is_empty() {
                    true => i.get(&keys).to_string(),
                    false => k,
                })
                .filter(|k| !entries.contains_key(k))
                .collect();
            let edit = Edit {
                name,
                entries,
                remove,
            };
            (f, edit)
        })
}

/// botocore reads `[profile "dev"]` as `dev`, the Rust SDK does not: PoolPass refuses to edit
/// a profile spelled that way (the generator makes no other such spelling), unless the Rust
/// SDK cannot read the file at all (then only botocore's reading counts).
fn ambiguous(flavor: Flavor, text: &str, name: &str) -> bool {
    flavor == Flavor::Config
        && text.contains(&format!("[profile \"{name}\"]"))
        && rust_sdk_reads(text)
}

/// Does the Rust SDK parse `text` as a config file?
fn rust_sdk_reads(text: &str) -> bool {
    use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
    use aws_types::os_shim_internal::{Env, Fs};
    let fs = Fs::from_slice(&[("/config", text), ("/credentials", "")]);
    let files = EnvConfigFiles::builder()
        .with_file(EnvConfigFileKind::Config, "/config")
        .with_file(EnvConfigFileKind::Credentials, "/credentials")
        .build();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(aws_config::profile::load(
        &fs,
        &Env::from_slice(&[]),
        &files,
        None,
    ))
    .is_ok()
}

/// The editor's guard may refuse an edit that would change how the Rust SDK reads a file
/// with lone CR line ends (it splits lines only at LF, so a CR-separated run is one line to
/// it): a refusal, with the file untouched, is a correct answer there.
fn guarded(text: &str, result: &Result<(), EditError>) -> bool {
    let lone_cr = text.replace("\r\n", "").contains('\r');
    lone_cr && matches!(result, Err(EditError::WouldChangeOthers { .. }))
}

fn expected(flavor: Flavor, before: &str, edit: &Edit) -> Model {
    let mut m = model(flavor, before);
    let section = m.entry(edit.name.clone()).or_default();
    for k in &edit.remove {
        section.remove(k);
    }
    for (k, v) in &edit.entries {
        section.insert(k.clone(), vec![v.trim().to_string()]);
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The properties.

proptest! {
    #[test]
    fn any_text_renders_back_unchanged(text in any::<String>()) {
        prop_assert_eq!(Document::parse(&text).render(), text);
    }

    #[test]
    fn generated_files_render_back_unchanged(f in file()) {
        let text = f.text();
        prop_assert_eq!(Document::parse(&text).render(), text);
    }

    #[test]
    fn an_edit_changes_exactly_what_it_names((f, edit) in file_and_edit()) {
        let before = f.text();
        let mut doc = Document::parse(&before);
        if ambiguous(f.flavor, &before, &edit.name) {
            let refused = edit.apply(&mut doc, f.flavor);
            prop_assert!(matches!(refused, Err(EditError::Ambiguous { .. })), "{:?}", refused);
            prop_assert_eq!(doc.render(), before);
            return Ok(());
        }
        let result = edit.apply(&mut doc, f.flavor);
        if guarded(&before, &result) {
            prop_assert_eq!(doc.render(), before);
            return Ok(());
        }
        result.unwrap();
        let after = doc.render();
        prop_assert_eq!(model(f.flavor, &after), expected(f.flavor, &before, &edit), "after:\n{:?}", after);
    }

    #[test]
    fn an_edit_applied_twice_is_applied_once((f, edit) in file_and_edit()) {
        // A quoted spelling may become ambiguous once the first edit makes the file readable
        // to the Rust SDK (by removing the line it refused): refused then, not applied twice.
        prop_assume!(!f.text().contains(&format!("[profile \"{}\"]", edit.name)));
        let mut doc = Document::parse(&f.text());
        let result = edit.apply(&mut doc, f.flavor);
        prop_assume!(!guarded(&f.text(), &result));
        result.unwrap();
        let once = doc.render();
        edit.apply(&mut doc, f.flavor).unwrap();
        prop_assert_eq!(doc.render(), once);
    }

    #[test]
    fn a_duplicated_section_is_refused_untouched(
        (f, edit) in file_and_edit(),
        spelling in 0..3usize,
        at in any::<Index>(),
        items in prop::collection::vec(item(), 0..3),
    ) {
        let mut f = f;
        // Another spelling of the same profile, so that only the name makes it a duplicate.
        let header = match (f.flavor, edit.name.as_str(), spelling) {
            (Flavor::Credentials, n, _) => n.to_string(),
            (Flavor::Config, "default", _) => "default".to_string(),
            (Flavor::Config, n, 0) => format!("profile {n}"),
            (Flavor::Config, n, 1) => format!("profile \"{n}\""),
            (Flavor::Config, n, _) => format!("profile\t{n}"),
        };
        let dup = Section { header, items };
        let at = at.index(f.sections.len() + 1);
        f.sections.insert(at, dup.clone());
        if f.sections.iter().filter(|s| f.id(s) == edit.name).count() < 2 {
            // The edit named a new section: make it exist twice.
            f.sections.insert(at, dup);
        }
        let text = f.text();
        let mut doc = Document::parse(&text);
        let refused = edit.apply(&mut doc, f.flavor);
        // A quoted spelling is refused as ambiguous before it can count as a duplicate.
        let refusal = |r: &Result<_, EditError>| guarded(&text, r) || matches!(r, Err(EditError::DuplicateSection { .. } | EditError::Ambiguous { .. }));
        // Two identical quoted headers: botocore refuses the file for the repeat, and the Rust
        // SDK reads neither as the profile, so writing the real section is safe.
        let quoted = spelling == 1 && f.flavor == Flavor::Config;
        if refused.is_ok() && quoted {
            return Ok(());
        }
        prop_assert!(refusal(&refused), "{:?}", refused);
        prop_assert_eq!(doc.render(), text.clone());
        let removed = doc.remove_section(f.flavor, &edit.name).map(|_| ());
        // (Nothing to remove, for the same reason: the file must then be untouched.)
        prop_assert!(refusal(&removed) || (quoted && removed.is_ok()), "{:?}", removed);
        prop_assert_eq!(doc.render(), text);
    }
}
