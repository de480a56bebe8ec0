#![no_main]

//! Builds an AWS-style file and one edit from the input, then checks what must hold for any
//! file: the untouched round trip, that an edit reads back and stays inside its own section,
//! and that removing the section removes it.

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use poolpass::config::valid_profile_name;
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

fn text_of(input: &Input) -> String {
    let mut t = String::new();
    if input.bom {
        t.push('\u{feff}');
    }
    for (piece, eol) in &input.pieces {
        let name = &input.name;
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

/// The header's inner text, if the line is a section header.
fn header(line: &str, first: bool) -> Option<&str> {
    let mut t = line.trim_end_matches(['\n', '\r']);
    if first {
        t = t.strip_prefix('\u{feff}').unwrap_or(t);
    }
    if t.starts_with([' ', '\t']) {
        return None;
    }
    let inner = t.trim().strip_prefix('[')?;
    Some(&inner[..inner.rfind(']')?])
}

fn names(flavor: Flavor, header: &str, name: &str) -> bool {
    match flavor {
        Flavor::Credentials => header == name,
        Flavor::Config => {
            let h = header.trim();
            if h == "default" {
                return name == "default";
            }
            let Some(rest) = h.strip_prefix("profile") else {
                return false;
            };
            if !rest.starts_with([' ', '\t']) {
                return false;
            }
            let rest = rest.trim();
            let quoted = rest.len() >= 2 && rest.starts_with('"') && rest.ends_with('"');
            (if quoted {
                &rest[1..rest.len() - 1]
            } else {
                rest
            }) == name
        }
    }
}

/// Line ranges (start, one past the end) of the sections that name the profile.
fn sections(flavor: Flavor, lines: &[&str], name: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut open = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(h) = header(l, i == 0) {
            if let Some(s) = open.take() {
                found.push((s, i));
            }
            if names(flavor, h, name) {
                open = Some(i);
            }
        }
    }
    if let Some(s) = open {
        found.push((s, lines.len()));
    }
    found
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

fuzz_target!(|input: Input| {
    let text = text_of(&input);
    let flavor = if input.config {
        Flavor::Config
    } else {
        Flavor::Credentials
    };
    let name = input.name.as_str();
    let doc = Document::parse(&text);
    assert_eq!(doc.render(), text, "round trip");

    let ls = lines(&text);
    let found = sections(flavor, &ls, name);
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
        (r, n) => panic!("remove_section gave {r:?} with {n} matching sections"),
    }

    // The edit.
    let entries: Vec<(&str, &str)> = input
        .entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let remove: Vec<&str> = input.remove.iter().map(String::as_str).collect();
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
        // A duplicate key is refused too; the caller drops the document then.
        Err(EditError::DuplicateKey { .. }) if !has_break && found.len() == 1 => return,
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

    // Reading back is defined only for what PoolPass can write.
    if !valid_profile_name(name) || !entries.iter().all(|(k, _)| valid_key(k)) {
        return;
    }
    for (k, _) in &entries {
        let expected = entries
            .iter()
            .rev()
            .find(|(k2, _)| k2.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim().to_string());
        assert_eq!(edited.get(flavor, name, k), expected, "key {k:?}");
    }
    for r in &remove {
        if !entries.iter().any(|(k, _)| k.eq_ignore_ascii_case(r)) {
            assert_eq!(edited.get(flavor, name, r), None, "removed key {r:?}");
        }
    }
    assert!(edited.has_section(flavor, name));
    assert_eq!(edited.remove_section(flavor, name), Ok(true));
    assert!(!edited.has_section(flavor, name));
});
