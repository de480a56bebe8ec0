#![no_main]

//! Builds an AWS-style file and one edit from the input, then checks what must hold for any
//! file: the untouched round trip, that an edit reads back and stays inside its own section,
//! and that removing the section removes it.

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use poolpass::aws::safe_profile_name as valid_profile_name;
use poolpass::profiles::ini::{Document, EditError, Flavor};

#[derive(Arbitrary, Debug)]
enum Eol {
    Lf,
    CrLf,
    Cr,
    None,
}

/// Ways of spelling a header that names the edited profile, so that random inputs hit it
/// often instead of almost never.
#[derive(Arbitrary, Debug)]
enum Spelling {
    Exact,
    Profile,
    ProfileSpaced,
    ProfileQuoted,
    Padded,
}

#[derive(Arbitrary, Debug)]
enum Piece {
    Target(Spelling),
    Header(String),
    Key(String, String),
    Indented(String),
    Comment(String),
    /// Anything at all, line breaks included.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    bom: bool,
    pieces: Vec<(Piece, Eol)>,
    config: bool,
    name: String,
    entries: Vec<(String, String)>,
    remove: Vec<String>,
}

impl Input {
    /// The keys to set and the keys to remove, as `upsert` takes them.
    fn edit(&self) -> (Vec<(&str, &str)>, Vec<&str>) {
        (
            self.entries
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            self.remove.iter().map(String::as_str).collect(),
        )
    }
}

/// The profile to edit: the input's name cut down to what PoolPass ever writes (letters, digits
/// and `_ . % @ : + -`, aws::safe_profile_name). Other names never reach the editor, and
/// botocore reads names with spaces or quotes through shlex, which this model does not follow.
fn profile_name(input: &Input) -> String {
    let name: String = input
        .name
        .chars()
        .filter(|c| valid_profile_name(&c.to_string()))
        .collect();
    if name.is_empty() {
        "p".into()
    } else {
        name
    }
}

fn text_of(input: &Input) -> String {
    let mut t = String::new();
    if input.bom {
        t.push('\u{feff}');
    }
    for (piece, eol) in &input.pieces {
        let name = &profile_name(input);
        match piece {
            Piece::Target(Spelling::Exact) => t.push_str(&format!("[{name}]")),
            Piece::Target(Spelling::Profile) => t.push_str(&format!("[profile {name}]")),
            Piece::Target(Spelling::ProfileSpaced) => t.push_str(&format!("[ profile\t {name} ]")),
            Piece::Target(Spelling::ProfileQuoted) => t.push_str(&format!("[profile \"{name}\"]")),
            Piece::Target(Spelling::Padded) => t.push_str(&format!("[ {name} ]")),
            Piece::Header(h) => t.push_str(&format!("[{h}]")),
            Piece::Key(k, v) => t.push_str(&format!("{k} = {v}")),
            Piece::Indented(s) => t.push_str(&format!("  {s}")),
            Piece::Comment(s) => t.push_str(&format!("# {s}")),
            Piece::Raw(s) => t.push_str(s),
        }
        t.push_str(match eol {
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
            Eol::Cr => "\r",
            Eol::None => "",
        });
    }
    t
}

/// The file's lines with their line ends, split the way the format defines them.
fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = match rest.find(['\n', '\r']) {
            None => rest.len(),
            Some(i) if rest[i..].starts_with("\r\n") => i + 2,
            Some(i) => i + 1,
        };
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Python's whitespace (str.isspace, and `\s` in its regular expressions): Rust's, and the
/// four separator controls U+001C..U+001F.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The header's inner text, if the (stripped, non-continuation) line is a section header:
/// configparser's `\[(?P<header>.+)\]`, matched at the start, greedy. A first line that starts
/// with a BOM is not one: botocore reads the BOM as text before the first section.
fn header(stripped: &str) -> Option<&str> {
    let inner = stripped.strip_prefix('[')?;
    let inner = &inner[..inner.rfind(']')?];
    (!inner.is_empty()).then_some(inner)
}

/// The headers botocore's configparser reads, by line: a line is a comment or blank when its
/// stripped text starts with `#`/`;` or is empty; a continuation when it is indented deeper
/// than the key above it in the same section (blank and comment lines do not end the value);
/// then a header, then a key (anything with `=` or `:` after a name). `None` when configparser
/// refuses the file (a line that is none of these, a key before any header, a section or a key
/// twice): PoolPass then goes by the Rust SDK alone, which this model does not follow.
fn headers<'a>(lines: &[&'a str]) -> Option<Vec<(usize, &'a str)>> {
    let mut out: Vec<(usize, &str)> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let (mut in_section, mut in_key, mut indent_level) = (false, false, 0usize);
    let mut nested = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_end_matches(['\n', '\r']);
        let stripped = t.trim_matches(py_space);
        if stripped.is_empty() || stripped.starts_with(['#', ';']) {
            continue;
        }
        let indent = t.chars().take_while(|&c| py_space(c)).count();
        if in_section && in_key && indent > indent_level {
            // Under `key =` botocore reads the lines as sub-keys, Python's splitlines apart,
            // and each one needs an `=`.
            let pieces = stripped.split([
                '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
            ]);
            if nested
                && pieces
                    .map(|p| p.trim_matches(py_space))
                    .any(|p| !p.is_empty() && !p.contains('='))
            {
                return None;
            }
            continue;
        }
        indent_level = indent;
        if let Some(h) = header(stripped) {
            // configparser's inherited defaults may repeat; no SDK reads them as a profile.
            if h != "DEFAULT" && out.iter().any(|&(_, seen)| seen == h) {
                return None;
            }
            out.push((i, h));
            keys.clear();
            in_section = true;
            in_key = false;
        } else {
            let at = stripped.find(['=', ':'])?;
            let key = stripped[..at].trim_end_matches(py_space).to_lowercase();
            if !in_section || key.is_empty() || keys.contains(&key) {
                return None;
            }
            keys.push(key);
            in_key = true;
            nested = stripped[at + 1..].trim_matches(py_space).is_empty();
        }
    }
    Some(out)
}

/// Python's `shlex.split` (POSIX mode, no comments); `None` where it raises (an open quote
/// or a trailing backslash).
fn shlex_split(s: &str) -> Option<Vec<String>> {
    let (mut words, mut word, mut in_word) = (Vec::new(), String::new(), false);
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                word.push(chars.next()?);
                in_word = true;
            }
            '\'' => {
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
                in_word = true;
            }
            '"' => {
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('\\' | '"') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
                in_word = true;
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Does botocore read a section with this header as the profile? In the credentials file the
/// header is the name as it is; in the config file `default`, or a header starting `profile`
/// that shlex splits into exactly `profile` and the name.
fn names(flavor: Flavor, header: &str, name: &str) -> bool {
    if header == "DEFAULT" {
        return false;
    }
    match flavor {
        Flavor::Credentials => header == name,
        Flavor::Config if header == "default" => name == "default",
        Flavor::Config => {
            header.starts_with("profile")
                && shlex_split(header).is_some_and(|w| w.len() == 2 && w[1] == name)
        }
    }
}

/// Line ranges (start, one past the end) of the sections that name the profile.
/// `None` when botocore cannot read the file at all.
fn sections(flavor: Flavor, lines: &[&str], name: &str) -> Option<Vec<(usize, usize)>> {
    let mut found = Vec::new();
    let mut open = None;
    for (i, h) in headers(lines)? {
        if let Some(s) = open.take() {
            found.push((s, i));
        }
        if names(flavor, h, name) {
            open = Some(i);
        }
    }
    if let Some(s) = open {
        found.push((s, lines.len()));
    }
    Some(found)
}

/// Keys PoolPass could write: one token that reads back as itself.
fn valid_key(k: &str) -> bool {
    valid_profile_name(k) && !k.contains(':')
}

/// The new text keeps `before` (lines ahead of the section) and `after` (lines behind it)
/// untouched around whatever replaced the section.
fn confined(new: &str, before: &str, after: &str) -> bool {
    new.len() >= before.len() + after.len() && new.starts_with(before) && new.ends_with(after)
}

/// Refusals that depend on how botocore and the Rust SDK read the whole file (a BOM, a key
/// before any header, an indented line where neither reads one, a header they read apart): this
/// model does not predict them, so for these it checks only that nothing was changed.
fn judged_by_readers(e: &EditError) -> bool {
    matches!(
        e,
        EditError::Ambiguous { .. }
            | EditError::Unreadable { .. }
            | EditError::WouldChangeOthers { .. }
    )
}

/// What PoolPass wrote reads back, and the section goes again when removed.
fn read_back(
    edited: &mut Document,
    flavor: Flavor,
    name: &str,
    entries: &[(&str, &str)],
    remove: &[&str],
) {
    // Reading back is defined only for what PoolPass can write.
    if !valid_profile_name(name) || !entries.iter().all(|(k, _)| valid_key(k)) {
        return;
    }
    for (k, _) in entries {
        let expected = entries
            .iter()
            .rev()
            .find(|(k2, _)| k2.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim().to_string());
        assert_eq!(edited.get(flavor, name, k), expected, "key {k:?}");
    }
    for r in remove {
        if !entries.iter().any(|(k, _)| k.eq_ignore_ascii_case(r)) {
            assert_eq!(edited.get(flavor, name, r), None, "removed key {r:?}");
        }
    }
    assert!(edited.has_section(flavor, name));
    let before = edited.render();
    match edited.remove_section(flavor, name) {
        Ok(true) => assert!(!edited.has_section(flavor, name)),
        // Taking the section out can leave what is around it read differently by one SDK (a
        // lone CR splits lines for botocore only); the guard then refuses, changing nothing.
        Err(e) if judged_by_readers(&e) => {
            assert_eq!(edited.render(), before, "refused, yet changed")
        }
        r => panic!("removing the section just written gave {r:?}"),
    }
}

/// A file botocore refuses: PoolPass goes by the Rust SDK alone, which this model does not
/// follow; what must still hold is that a refusal changes nothing and an edit reads back.
fn unpredicted(doc: &Document, text: &str, flavor: Flavor, name: &str, input: &Input) {
    let mut removed = doc.clone();
    if removed.remove_section(flavor, name).is_err() {
        assert_eq!(removed.render(), text, "refused, yet changed");
    }
    let (entries, remove) = input.edit();
    let mut edited = doc.clone();
    if edited.upsert(flavor, name, &entries, &remove).is_err() {
        assert_eq!(edited.render(), text, "refused, yet changed");
        return;
    }
    read_back(&mut edited, flavor, name, &entries, &remove);
}

fuzz_target!(|input: Input| {
    let text = text_of(&input);
    let flavor = if input.config {
        Flavor::Config
    } else {
        Flavor::Credentials
    };
    let name = profile_name(&input);
    let name = name.as_str();
    let doc = Document::parse(&text);
    assert_eq!(doc.render(), text, "round trip");

    let ls = lines(&text);
    let Some(found) = sections(flavor, &ls, name) else {
        unpredicted(&doc, &text, flavor, name, &input);
        return;
    };
    let outside = |(start, end): (usize, usize)| (ls[..start].concat(), ls[end..].concat());

    // Removing the section on its own.
    let mut removed = doc.clone();
    match (removed.remove_section(flavor, name), found.len()) {
        (Ok(false), 0) => assert_eq!(removed.render(), text),
        (Ok(true), 1) => {
            let (before, after) = outside(found[0]);
            assert!(
                confined(&removed.render(), &before, &after),
                "remove_section reached outside"
            );
            assert!(!removed.has_section(flavor, name));
        }
        (Err(EditError::DuplicateSection { .. }), n) if n > 1 => {
            assert_eq!(removed.render(), text, "refused, yet changed")
        }
        (Err(e), _) if judged_by_readers(&e) => {
            assert_eq!(removed.render(), text, "refused, yet changed")
        }
        (r, n) => panic!("remove_section gave {r:?} with {n} matching sections"),
    }

    // The edit.
    let (entries, remove) = input.edit();
    let breaks = |s: &str| s.contains(['\n', '\r']);
    let has_break = breaks(name) || entries.iter().any(|(k, v)| breaks(k) || breaks(v));

    let mut edited = doc.clone();
    let result = edited.upsert(flavor, name, &entries, &remove);
    let new = edited.render();
    match result {
        Err(EditError::LineBreak { .. }) if has_break => {
            assert_eq!(new, text, "refused, yet changed");
            return;
        }
        Err(EditError::DuplicateSection { .. }) if !has_break && found.len() > 1 => {
            assert_eq!(new, text, "refused, yet changed");
            return;
        }
        Err(e) if judged_by_readers(&e) => {
            assert_eq!(new, text, "refused, yet changed");
            return;
        }
        // A duplicate key is refused too; the caller drops the document then.
        Err(EditError::DuplicateKey { .. }) if !has_break && found.len() == 1 => return,
        // Keys PoolPass never writes (`V\x0c` reads as `V`) can collide once read.
        Err(EditError::DuplicateKey { .. }) if !entries.iter().all(|(k, _)| valid_key(k)) => return,
        Ok(()) if !has_break && found.len() == 1 => {
            let (before, after) = outside(found[0]);
            assert!(
                confined(&new, &before, &after),
                "upsert reached outside its section"
            );
        }
        Ok(()) if !has_break && found.is_empty() => {
            assert!(
                new.starts_with(&text),
                "appending changed the file before it"
            );
        }
        r => panic!("upsert gave {r:?} with {} matching sections", found.len()),
    }

    read_back(&mut edited, flavor, name, &entries, &remove);
});
