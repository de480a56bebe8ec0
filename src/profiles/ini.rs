//! A format-preserving editor for the AWS shared files, after the aws-cli's writer: every line
//! keeps its raw text and its own line end; PoolPass changes only the keys and sections it
//! names, and everything else comes back out byte for byte (comments, blank lines, order,
//! spacing, CRLF, a BOM, a missing final newline, indented sub-sections).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The same section twice: botocore refuses such a file, and which one "wins" differs
    /// between SDKs, so PoolPass will not guess.
    DuplicateSection {
        header: String,
        lines: (usize, usize),
    },
    DuplicateKey {
        key: String,
        lines: (usize, usize),
    },
    /// A line break in a name or value would let it write a section of its own.
    LineBreak {
        what: String,
    },
    /// A header that some SDKs read as this profile and others as another (`[ name]`).
    Ambiguous {
        header: String,
        line: usize,
    },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::DuplicateSection { header, lines } => write!(
                f,
                "the section [{header}] appears twice (lines {} and {}); AWS tools reject such a file. Merge or rename one of them",
                lines.0, lines.1
            ),
            EditError::DuplicateKey { key, lines } => write!(
                f,
                "the key {key} appears twice in one section (lines {} and {}); AWS tools reject such a file. Remove one of them",
                lines.0, lines.1
            ),
            EditError::LineBreak { what } => write!(f, "{what} contains a line break, which the file format cannot hold"),
            EditError::Ambiguous { header, line } => write!(
                f,
                "the section [{header}] on line {line} is this profile to some AWS SDKs and another profile to others (they differ on spaces inside the brackets). Rename or remove that section"
            ),
        }
    }
}

#[derive(Debug, Clone)]
struct Line {
    /// The text without its line end (and, for the first line, with any BOM).
    text: String,
    /// "\n", "\r\n", "\r" or "" (last line without a newline).
    eol: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Blank,
    Comment,
    Section(String),
    Key(String),
    /// An indented line: a value's continuation or a nested sub-section key (`s3 =` + lines).
    Continuation,
    Other,
}

/// Which file a section name is read from: it decides how `[profile NAME]` headers match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `~/.aws/credentials`: `[NAME]`.
    Credentials,
    /// `~/.aws/config`: `[profile NAME]`, or `[default]`.
    Config,
}

#[derive(Debug, Clone)]
pub struct Document {
    lines: Vec<Line>,
}

impl Document {
    pub fn parse(text: &str) -> Document {
        let mut lines = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let (end, eol_len) = match rest.find(['\n', '\r']) {
                None => (rest.len(), 0),
                Some(i) if rest[i..].starts_with("\r\n") => (i, 2),
                Some(i) => (i, 1),
            };
            lines.push(Line {
                text: rest[..end].to_string(),
                eol: rest[end..end + eol_len].to_string(),
            });
            rest = &rest[end + eol_len..];
        }
        Document { lines }
    }

    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.text.len() + 2).sum());
        for l in &self.lines {
            out.push_str(&l.text);
            out.push_str(&l.eol);
        }
        out
    }

    /// The line end new lines get: the file's own (CRLF if it uses CRLF), else "\n".
    fn newline(&self) -> &'static str {
        let count = |e: &str| self.lines.iter().filter(|l| l.eol == e).count();
        let (lf, crlf, cr) = (count("\n"), count("\r\n"), count("\r"));
        if crlf > lf && crlf >= cr {
            "\r\n"
        } else if cr > lf && cr > crlf {
            "\r"
        } else {
            "\n"
        }
    }

    fn kind(&self, i: usize) -> Kind {
        let mut t = self.lines[i].text.as_str();
        if i == 0 {
            t = t.strip_prefix('\u{feff}').unwrap_or(t);
        }
        let trimmed = t.trim();
        if trimmed.is_empty() {
            return Kind::Blank;
        }
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            return Kind::Comment;
        }
        // A header is a header even when indented: configparser reads `  [x]` after a blank
        // line as a section, and missing one would make PoolPass append a duplicate.
        if let Some(inner) = trimmed.strip_prefix('[') {
            if let Some(end) = inner.rfind(']') {
                return Kind::Section(inner[..end].to_string());
            }
        }
        if t.starts_with([' ', '\t']) {
            return Kind::Continuation;
        }
        match t.split_once(['=', ':']) {
            Some((k, _)) if !k.trim().is_empty() => Kind::Key(k.trim().to_ascii_lowercase()),
            _ => Kind::Other,
        }
    }

    /// Line indexes of the sections named `name`, each with the index one past its end.
    fn sections(&self, flavor: Flavor, name: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut open: Option<usize> = None;
        for i in 0..self.lines.len() {
            if let Kind::Section(h) = self.kind(i) {
                if let Some(s) = open.take() {
                    found.push((s, i));
                }
                if header_names(flavor, &h, name) {
                    open = Some(i);
                }
            }
        }
        if let Some(s) = open {
            found.push((s, self.lines.len()));
        }
        found
    }

    fn one_section(&self, flavor: Flavor, name: &str) -> Result<Option<(usize, usize)>, EditError> {
        for i in 0..self.lines.len() {
            if let Kind::Section(h) = self.kind(i) {
                if !header_names(flavor, &h, name) && loosely_names(flavor, &h, name) {
                    return Err(EditError::Ambiguous {
                        header: h,
                        line: i + 1,
                    });
                }
            }
        }
        let s = self.sections(flavor, name);
        if s.len() > 1 {
            return Err(EditError::DuplicateSection {
                header: header_for(flavor, name),
                lines: (s[0].0 + 1, s[1].0 + 1),
            });
        }
        Ok(s.first().copied())
    }

    pub fn has_section(&self, flavor: Flavor, name: &str) -> bool {
        !self.sections(flavor, name).is_empty()
    }

    /// The value of `key` in the section, as botocore would read it (first line only).
    pub fn get(&self, flavor: Flavor, name: &str, key: &str) -> Option<String> {
        let (start, end) = *self.sections(flavor, name).first()?;
        let key = key.to_ascii_lowercase();
        (start + 1..end).find_map(|i| match self.kind(i) {
            Kind::Key(k) if k == key => self.lines[i]
                .text
                .split_once(['=', ':'])
                .map(|(_, v)| v.trim().to_string()),
            _ => None,
        })
    }

    /// The section's raw text (header through its last line), for backups.
    pub fn section_text(&self, flavor: Flavor, name: &str) -> Option<String> {
        let (start, end) = *self.sections(flavor, name).first()?;
        Some(
            self.lines[start..end]
                .iter()
                .map(|l| format!("{}{}", l.text, l.eol))
                .collect(),
        )
    }

    /// The section's keys (lowercase), first-level only.
    pub fn keys(&self, flavor: Flavor, name: &str) -> Vec<String> {
        let Some(&(start, end)) = self.sections(flavor, name).first() else {
            return Vec::new();
        };
        (start + 1..end)
            .filter_map(|i| match self.kind(i) {
                Kind::Key(k) => Some(k),
                _ => None,
            })
            .collect()
    }

    /// Sets `entries` in the section (creating it at the end when missing) and removes the keys
    /// in `remove`. Lines of other keys and sections are not touched.
    pub fn upsert(
        &mut self,
        flavor: Flavor,
        name: &str,
        entries: &[(&str, &str)],
        remove: &[&str],
    ) -> Result<(), EditError> {
        check_no_break("the profile name", name)?;
        for (k, v) in entries {
            check_no_break(&format!("the key {k}"), k)?;
            check_no_break(&format!("the value of {k}"), v)?;
        }
        // All or nothing: an error part-way leaves the document as it was.
        let mut work = self.clone();
        work.upsert_unchecked(flavor, name, entries, remove)?;
        *self = work;
        Ok(())
    }

    fn upsert_unchecked(
        &mut self,
        flavor: Flavor,
        name: &str,
        entries: &[(&str, &str)],
        remove: &[&str],
    ) -> Result<(), EditError> {
        let nl = self.newline();
        // A missing section gets its header, then the keys go in as into any section (so a key
        // named twice is written once, with its last value).
        let (start, mut end) = match self.one_section(flavor, name)? {
            Some(range) => range,
            None => {
                self.append_header(flavor, name, nl);
                (self.lines.len() - 1, self.lines.len())
            }
        };
        // Key lines (not indented) of this section, checked for duplicates among the ones we edit.
        let keyed = |doc: &Document,
                     start: usize,
                     end: usize,
                     key: &str|
         -> Result<Option<usize>, EditError> {
            let hits: Vec<usize> = (start + 1..end)
                .filter(|&i| doc.kind(i) == Kind::Key(key.to_ascii_lowercase()))
                .collect();
            if hits.len() > 1 {
                return Err(EditError::DuplicateKey {
                    key: key.into(),
                    lines: (hits[0] + 1, hits[1] + 1),
                });
            }
            Ok(hits.first().copied())
        };
        for key in remove {
            if let Some(i) = keyed(self, start, end, key)? {
                let n = 1 + self.continuation_len(i + 1, end);
                self.lines.drain(i..i + n);
                end -= n;
            }
        }
        for (key, value) in entries {
            match keyed(self, start, end, key)? {
                Some(i) => {
                    // A nested value (`key =` + indented lines) becomes a plain one.
                    let n = self.continuation_len(i + 1, end);
                    self.lines.drain(i + 1..i + 1 + n);
                    end -= n;
                    self.lines[i].text = format!("{key} = {value}");
                }
                None => {
                    let at = self.insertion_point(start, end);
                    let mut eol = nl.to_string();
                    // Inserting after a last line that has no newline: it gets one, and the
                    // new last line goes without, so the file still ends the way it did.
                    if self.lines[at - 1].eol.is_empty() {
                        self.lines[at - 1].eol = nl.into();
                        eol.clear();
                    }
                    self.lines.insert(
                        at,
                        Line {
                            text: format!("{key} = {value}"),
                            eol,
                        },
                    );
                    end += 1;
                }
            }
        }
        Ok(())
    }

    /// Removes the whole section (header through the line before the next header), but keeps
    /// blank and comment lines at its end: they usually introduce the next section.
    pub fn remove_section(&mut self, flavor: Flavor, name: &str) -> Result<bool, EditError> {
        let Some((start, end)) = self.one_section(flavor, name)? else {
            return Ok(false);
        };
        let keep_from = self.insertion_point(start, end);
        let bom = start == 0 && self.lines[0].text.starts_with('\u{feff}');
        self.lines.drain(start..keep_from);
        // The BOM belongs to the file, not to the section that happened to come first.
        if bom {
            match self.lines.first_mut() {
                Some(first) => first.text.insert(0, '\u{feff}'),
                None => self.lines.push(Line {
                    text: "\u{feff}".into(),
                    eol: String::new(),
                }),
            }
        }
        Ok(true)
    }

    /// Blank and comment lines do not end a multi-line value for configparser (botocore's
    /// reader): an indented line after them still continues it. Stopping at them would leave
    /// that line behind, to be read as part of the previous key's value, or as a key.
    /// Blank and comment lines after the last indented one are not part of the value.
    fn continuation_len(&self, from: usize, end: usize) -> usize {
        let mut len = 0;
        for i in from..end {
            match self.kind(i) {
                Kind::Continuation => len = i + 1 - from,
                Kind::Blank | Kind::Comment => {}
                _ => break,
            }
        }
        len
    }

    /// After the section's last key (or its continuation lines), before trailing blanks and
    /// comments.
    fn insertion_point(&self, start: usize, end: usize) -> usize {
        let mut at = start + 1;
        for i in start + 1..end {
            if matches!(
                self.kind(i),
                Kind::Key(_) | Kind::Continuation | Kind::Other
            ) {
                at = i + 1;
            }
        }
        at
    }

    fn append_header(&mut self, flavor: Flavor, name: &str, nl: &str) {
        if let Some(last) = self.lines.last_mut() {
            if last.eol.is_empty() {
                last.eol = nl.into();
            }
        }
        self.lines.push(Line {
            text: format!("[{}]", header_for(flavor, name)),
            eol: nl.into(),
        });
    }
}

fn check_no_break(what: &str, s: &str) -> Result<(), EditError> {
    if s.contains(['\n', '\r']) {
        return Err(EditError::LineBreak { what: what.into() });
    }
    Ok(())
}

/// The header text PoolPass writes for a new section.
fn header_for(flavor: Flavor, name: &str) -> String {
    match flavor {
        Flavor::Credentials => name.to_string(),
        Flavor::Config if name == "default" => "default".into(),
        Flavor::Config => format!("profile {name}"),
    }
}

/// Does a header's inner text name this profile, for botocore and the Rust SDK alike?
fn header_names(flavor: Flavor, header: &str, name: &str) -> bool {
    match flavor {
        // configparser keeps the header's text as it is: `[ a ]` is the profile " a ".
        Flavor::Credentials => header == name,
        Flavor::Config => {
            if header == "default" {
                return name == "default";
            }
            // `profile NAME`, trailing spaces allowed (both SDKs drop them). Quotes are left
            // to `loosely_names`: botocore strips them, the Rust SDK does not.
            match header.strip_prefix("profile") {
                Some(rest) if rest.starts_with([' ', '\t']) => rest.trim() == name,
                _ => false,
            }
        }
    }
}

/// Would some SDK read this header as this profile (spaces trimmed, quotes removed)? Such a
/// header that does not name it exactly is read differently by different SDKs.
fn loosely_names(flavor: Flavor, header: &str, name: &str) -> bool {
    let h = header.trim();
    match flavor {
        Flavor::Credentials => h == name,
        Flavor::Config => {
            (h == "default" && name == "default")
                || h.strip_prefix("profile").is_some_and(|rest| {
                    rest.starts_with([' ', '\t']) && rest.trim().trim_matches('"').trim() == name
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Flavor::*;

    fn edit(
        text: &str,
        flavor: Flavor,
        name: &str,
        entries: &[(&str, &str)],
        remove: &[&str],
    ) -> String {
        let mut d = Document::parse(text);
        d.upsert(flavor, name, entries, remove).unwrap();
        d.render()
    }

    #[test]
    fn untouched_documents_render_byte_for_byte() {
        for t in [
            "",
            "\n",
            "a",
            "\u{feff}[x]\r\nk=v\r\n",
            "[a]\n  s3 =\n    x = 1\n# c\n\n;d\n[b]\nk:v",
            "\r\r\n\n",
        ] {
            assert_eq!(Document::parse(t).render(), t);
        }
    }

    #[test]
    fn replaces_in_place_and_keeps_everything_else() {
        let before = "# top\n[other]\naws_access_key_id = OTHER\n\n[me]\n; mine\naws_access_key_id = OLD\nregion=x\n\n# next\n[z]\nk = v";
        let after = edit(
            before,
            Credentials,
            "me",
            &[("aws_access_key_id", "NEW"), ("aws_session_token", "T")],
            &[],
        );
        assert_eq!(
            after,
            "# top\n[other]\naws_access_key_id = OTHER\n\n[me]\n; mine\naws_access_key_id = NEW\nregion=x\naws_session_token = T\n\n# next\n[z]\nk = v"
        );
    }

    #[test]
    fn appends_a_missing_section_after_adding_the_missing_newline() {
        assert_eq!(
            edit("[a]\nk = v", Credentials, "b", &[("x", "1")], &[]),
            "[a]\nk = v\n[b]\nx = 1\n"
        );
        assert_eq!(
            edit("", Config, "b", &[("region", "r")], &[]),
            "[profile b]\nregion = r\n"
        );
        assert_eq!(
            edit("[a]\r\nk = v\r\n", Config, "default", &[("x", "1")], &[]),
            "[a]\r\nk = v\r\n[default]\r\nx = 1\r\n"
        );
    }

    #[test]
    fn config_headers_match_as_both_sdks_read_them() {
        let t = "[profile   me]\nregion = a\n[profile \"you\"]\nregion = b\n[me]\nregion = c\n";
        assert_eq!(
            edit(t, Config, "me", &[("region", "x")], &[]),
            t.replace("region = a", "region = x")
        );
        // botocore reads `[profile "you"]` as `you`, the Rust SDK does not: refused.
        let mut d = Document::parse(t);
        assert!(matches!(
            d.upsert(Config, "you", &[("region", "x")], &[]),
            Err(EditError::Ambiguous { line: 3, .. })
        ));
        assert!(!Document::parse("[profileme]\n").has_section(Config, "me"));
    }

    #[test]
    fn keys_match_in_any_case_and_nested_blocks_stay_whole() {
        let t = "[me]\nAWS_Session_Token = old\ns3 =\n  max_concurrent_requests = 20\nregion = r\n";
        let out = edit(
            t,
            Credentials,
            "me",
            &[("aws_session_token", "new"), ("x", "1")],
            &[],
        );
        assert_eq!(out, "[me]\naws_session_token = new\ns3 =\n  max_concurrent_requests = 20\nregion = r\nx = 1\n");
    }

    #[test]
    fn removes_keys_with_their_continuations() {
        let t = "[me]\naws_security_token = stale\n  more\nk = v\n";
        assert_eq!(
            edit(t, Credentials, "me", &[], &["aws_security_token"]),
            "[me]\nk = v\n"
        );
    }

    #[test]
    fn nested_blocks_go_whole_past_their_blank_and_comment_lines() {
        let t = "[me]\nregion = r\ns3 =\n  a = 1\n  # note\n\n  b = 2\n\n# next\nk = v\n";
        assert_eq!(
            edit(t, Credentials, "me", &[], &["s3"]),
            "[me]\nregion = r\n\n# next\nk = v\n"
        );
        assert_eq!(
            edit(t, Credentials, "me", &[("s3", "x")], &[]),
            "[me]\nregion = r\ns3 = x\n\n# next\nk = v\n"
        );
    }

    #[test]
    fn refuses_duplicates_and_line_breaks() {
        let mut d = Document::parse("[me]\na=1\n[x]\n[me]\nb=2\n");
        assert_eq!(
            d.upsert(Credentials, "me", &[("a", "2")], &[]),
            Err(EditError::DuplicateSection {
                header: "me".into(),
                lines: (1, 4)
            })
        );
        let mut d = Document::parse("[me]\na=1\nA=2\n");
        assert!(matches!(
            d.upsert(Credentials, "me", &[("a", "2")], &[]),
            Err(EditError::DuplicateKey { .. })
        ));
        let mut d = Document::parse("");
        assert!(matches!(
            d.upsert(Credentials, "me", &[("a", "x\n[evil]")], &[]),
            Err(EditError::LineBreak { .. })
        ));
    }

    #[test]
    fn headers_the_sdks_read_differently_are_refused() {
        for (text, flavor) in [
            ("[a]\n[poolpass ]\n", Credentials),
            ("[ poolpass]\n", Credentials),
            ("[ profile poolpass]\n", Config),
            ("[default ]\n", Config),
        ] {
            let name = if text.contains("default") {
                "default"
            } else {
                "poolpass"
            };
            let mut d = Document::parse(text);
            let e = d.upsert(flavor, name, &[("k", "v")], &[]).unwrap_err();
            assert!(matches!(e, EditError::Ambiguous { .. }), "{text:?}: {e}");
            assert_eq!(d.render(), text);
        }
        // Trailing spaces after a config profile's name are dropped by every SDK alike.
        assert!(Document::parse("[profile poolpass  ]\n").has_section(Config, "poolpass"));
    }

    #[test]
    fn a_key_named_twice_is_written_once_with_its_last_value() {
        // Found by the ini_edit fuzz target (fuzz/regressions/ini_edit-new-section-repeated-key).
        assert_eq!(
            edit("", Credentials, "y", &[("a", "a"), ("a", "")], &[]),
            "[y]\na = \n"
        );
        assert_eq!(
            edit("[y]\n", Credentials, "y", &[("a", "a"), ("a", "")], &[]),
            "[y]\na = \n"
        );
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let t = "[me]\na=1\nb=1\nB=2\n";
        let mut d = Document::parse(t);
        assert!(d
            .upsert(Credentials, "me", &[("c", "3"), ("b", "2")], &["a"])
            .is_err());
        assert_eq!(d.render(), t);
    }

    #[test]
    fn removing_the_first_section_keeps_the_bom() {
        let mut d = Document::parse("\u{feff}[me]\nk = v\n[other]\nk = w\n");
        d.remove_section(Credentials, "me").unwrap();
        assert_eq!(d.render(), "\u{feff}[other]\nk = w\n");
        let mut d = Document::parse("\u{feff}[me]\nk = v\n");
        d.remove_section(Credentials, "me").unwrap();
        assert_eq!(d.render(), "\u{feff}");
    }

    #[test]
    fn an_indented_header_is_still_a_header() {
        let d = Document::parse("[a]\nk = v\n\n  [me]\nx = 1\n");
        assert!(d.has_section(Credentials, "me"));
        assert_eq!(d.keys(Credentials, "me"), ["x"]);
        assert_eq!(
            d.section_text(Credentials, "me").unwrap(),
            "  [me]\nx = 1\n"
        );
    }

    #[test]
    fn removing_a_section_keeps_its_neighbours() {
        let mut d = Document::parse("[a]\nk=1\n\n# about b\n[me]\nk=2\n\n# about c\n[c]\nk=3\n");
        assert!(d.remove_section(Credentials, "me").unwrap());
        assert_eq!(d.render(), "[a]\nk=1\n\n# about b\n\n# about c\n[c]\nk=3\n");
    }
}
