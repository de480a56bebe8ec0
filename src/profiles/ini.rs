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
    /// Neither botocore nor the Rust SDK can read the file as it is: whatever PoolPass wrote
    /// into it, no AWS tool would see.
    Unreadable {
        line: usize,
        reason: String,
    },
    /// The edit would change how an AWS SDK reads the file outside PoolPass's own section, or
    /// would not be read as written (a guard: the editor should never produce such a file).
    WouldChangeOthers {
        line: usize,
        reason: String,
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
                "the section [{header}] on line {line} is this profile to some AWS SDKs and another profile to others (they differ on spaces and quotes inside the brackets). Rename or remove that section"
            ),
            EditError::Unreadable { line, reason } => write!(
                f,
                "line {line} {reason}. Neither botocore (the AWS CLI) nor the Rust SDK can read this file, so no AWS tool could use a profile PoolPass wrote into it. Fix that line, then try again"
            ),
            EditError::WouldChangeOthers { line, reason } => write!(
                f,
                "PoolPass's change would make AWS tools read the file differently near line {line} ({reason}), so PoolPass did not make it. Please report this file's shape"
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

/// How botocore's reader (Python's configparser) takes a line. In a file the Rust SDK can read
/// at all, it takes every line the same way; only values differ (see `rust_sdk_error`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Blank,
    Comment,
    /// The header's text between the brackets, as configparser reads it.
    Section(String),
    /// The key, lowercase.
    Key(String),
    /// A line indented deeper than the key above it: part of that key's value (a multi-line
    /// value, or the sub-keys of `s3 =`). Even `  [name]` is one.
    Continuation,
    /// A line configparser refuses: before any header, or neither header nor `key = value`.
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
    /// One per line, recomputed whenever lines change: a line's kind depends on the lines
    /// above it (the indentation of the last key).
    kinds: Vec<Kind>,
}

/// Python's `str.strip()` whitespace (configparser strips lines with it).
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

/// configparser's `\[(?P<header>.+)\]`, matched at the start of the stripped line.
fn configparser_header(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('[')?;
    let end = inner.rfind(']')?;
    (end > 0).then(|| &inner[..end])
}

/// configparser's `_read`, with botocore's settings (strict, `=` and `:`, `#` and `;` full-line
/// comments, empty lines allowed in values): a line is a continuation when it is indented
/// deeper than the last header or key line, whatever blank or comment lines come between.
fn classify(lines: &[Line]) -> Vec<Kind> {
    let mut kinds = Vec::with_capacity(lines.len());
    let (mut in_section, mut in_key, mut indent_level) = (false, false, 0usize);
    for l in lines {
        let value = py_strip(&l.text);
        if value.is_empty() {
            kinds.push(Kind::Blank);
            continue;
        }
        if value.starts_with(['#', ';']) {
            kinds.push(Kind::Comment);
            continue;
        }
        let indent = l.text.chars().take_while(|&c| py_space(c)).count();
        if in_section && in_key && indent > indent_level {
            kinds.push(Kind::Continuation);
            continue;
        }
        indent_level = indent;
        if let Some(h) = configparser_header(value) {
            in_section = true;
            in_key = false;
            kinds.push(Kind::Section(h.to_string()));
        } else if !in_section {
            kinds.push(Kind::Other);
        } else {
            match value.find(['=', ':']) {
                Some(at) if !value[..at].trim_end_matches(py_space).is_empty() => {
                    in_key = true;
                    kinds.push(Kind::Key(
                        value[..at].trim_end_matches(py_space).to_lowercase(),
                    ));
                }
                Some(_) => {
                    in_key = false;
                    kinds.push(Kind::Other);
                }
                None => kinds.push(Kind::Other),
            }
        }
    }
    kinds
}

/// The whitespace a line starts with.
fn indentation(text: &str) -> &str {
    &text[..text.len() - text.trim_start_matches(py_space).len()]
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
        let kinds = classify(&lines);
        Document { lines, kinds }
    }

    fn reclassify(&mut self) {
        self.kinds = classify(&self.lines);
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
        self.kinds[i].clone()
    }

    /// Why botocore refuses the file, with the line (1-based), or `None` when it reads it.
    fn botocore_error(&self) -> Option<(usize, String)> {
        use std::collections::HashSet;
        let mut headers: HashSet<&str> = HashSet::new();
        let mut keys: HashSet<(&str, &str)> = HashSet::new();
        let mut section: Option<&str> = None;
        let mut first_header = None;
        for (i, k) in self.kinds.iter().enumerate() {
            match k {
                Kind::Section(h) => {
                    first_header.get_or_insert(i);
                    // configparser's defaults section may repeat; its keys still may not.
                    if h != "DEFAULT" && !headers.insert(h) {
                        return Some((i + 1, format!("repeats the section [{h}]")));
                    }
                    section = Some(h);
                }
                Kind::Key(key) => {
                    if !keys.insert((section.unwrap_or(""), key)) {
                        return Some((i + 1, format!("repeats the key {key} in its section")));
                    }
                    // botocore reads `key =` followed by indented lines as sub-keys, each of
                    // which must have an `=`.
                    let t = &self.lines[i].text;
                    let after =
                        t[t.find(['=', ':']).map_or(t.len(), |p| p + 1)..].trim_matches(py_space);
                    if after.is_empty() {
                        for j in i + 1..self.kinds.len() {
                            match self.kinds[j] {
                                Kind::Continuation if !self.lines[j].text.contains('=') => {
                                    return Some((j + 1, format!("is under the key {key} =, which makes it a sub-key, but it has no =")));
                                }
                                Kind::Continuation | Kind::Blank | Kind::Comment => {}
                                _ => break,
                            }
                        }
                    }
                }
                Kind::Other => {
                    let t = self.lines[i].text.as_str();
                    let reason = if i == 0 && t.starts_with('\u{feff}') {
                        "starts the file with a byte-order mark (U+FEFF), which botocore reads as text before the first section and the Rust SDK refuses; save the file as UTF-8 without a BOM".to_string()
                    } else if first_header.is_none() {
                        "comes before any [section] header".to_string()
                    } else if py_strip(t).starts_with('[') {
                        "opens a [section] header that is not closed with ]".to_string()
                    } else {
                        "is neither a [section] header, a `key = value` line nor a comment"
                            .to_string()
                    };
                    return Some((i + 1, reason));
                }
                _ => {}
            }
        }
        None
    }

    /// Both SDKs' verdicts: (botocore reads it, the Rust SDK reads it).
    fn readers(&self) -> (bool, bool) {
        (
            self.botocore_error().is_none(),
            rust_sdk_error(&self.render()).is_none(),
        )
    }

    /// `Some` when no AWS SDK can read the file as it is (the line and reason botocore gives).
    pub fn unreadable(&self) -> Option<EditError> {
        let (line, reason) = self.botocore_error()?;
        rust_sdk_error(&self.render())?;
        Some(EditError::Unreadable { line, reason })
    }

    /// Does the header on line `i` name this profile, for each SDK that reads the file?
    /// `(ours, ambiguous)`: ours when every reader takes it for the profile; ambiguous when
    /// some do and others do not. A lookalike no reader takes for it is neither.
    fn header_match(
        &self,
        i: usize,
        flavor: Flavor,
        name: &str,
        readers: (bool, bool),
    ) -> (bool, bool) {
        let Kind::Section(h) = &self.kinds[i] else {
            return (false, false);
        };
        // Where neither SDK reads the file, both views count (PoolPass refuses such a file
        // before editing; this keeps the editor's own answers defined).
        let readers = if readers == (false, false) {
            (true, true)
        } else {
            readers
        };
        let b = botocore_name(flavor, h).as_deref() == Some(name);
        let r = rust_name(flavor, &self.lines[i].text).as_deref() == Some(name);
        let ours = (b || !readers.0) && (r || !readers.1) && (b || r);
        let claimed = (b && readers.0) || (r && readers.1);
        (ours, !ours && claimed)
    }

    /// Line indexes of the sections named `name`, each with the index one past its end.
    fn sections_with(
        &self,
        flavor: Flavor,
        name: &str,
        readers: (bool, bool),
    ) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut open: Option<usize> = None;
        for i in 0..self.lines.len() {
            if let Kind::Section(_) = self.kinds[i] {
                if let Some(s) = open.take() {
                    found.push((s, i));
                }
                if self.header_match(i, flavor, name, readers).0 {
                    open = Some(i);
                }
            }
        }
        if let Some(s) = open {
            found.push((s, self.lines.len()));
        }
        found
    }

    fn sections(&self, flavor: Flavor, name: &str) -> Vec<(usize, usize)> {
        self.sections_with(flavor, name, self.readers())
    }

    fn one_section(&self, flavor: Flavor, name: &str) -> Result<Option<(usize, usize)>, EditError> {
        let readers = self.readers();
        for i in 0..self.lines.len() {
            if let (_, true) = self.header_match(i, flavor, name, readers) {
                if let Kind::Section(h) = &self.kinds[i] {
                    return Err(EditError::Ambiguous {
                        header: h.clone(),
                        line: i + 1,
                    });
                }
            }
        }
        let s = self.sections_with(flavor, name, readers);
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
        self.get_with(flavor, name, key, self.readers())
    }

    fn get_with(
        &self,
        flavor: Flavor,
        name: &str,
        key: &str,
        readers: (bool, bool),
    ) -> Option<String> {
        let (start, end) = *self.sections_with(flavor, name, readers).first()?;
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

    /// The keys of configparser's `[DEFAULT]` section, which botocore gives every section of
    /// the file as if written there (the Rust SDK reads it as a profile named DEFAULT).
    pub fn inherited_keys(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut in_default = false;
        for k in &self.kinds {
            match k {
                Kind::Section(h) => in_default = h == "DEFAULT",
                Kind::Key(key) if in_default => out.push(key.clone()),
                _ => {}
            }
        }
        out
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
        work.check_against(self, flavor, name)?;
        let readers = self.readers();
        for (n, (k, v)) in entries.iter().enumerate() {
            let later = entries[n + 1..]
                .iter()
                .any(|(l, _)| l.eq_ignore_ascii_case(k));
            if !later && work.get_with(flavor, name, k, readers).as_deref() != Some(v.trim()) {
                return Err(EditError::WouldChangeOthers {
                    line: work.lines.len(),
                    reason: format!("the new {k} would not be read as written"),
                });
            }
        }
        *self = work;
        Ok(())
    }

    /// The guard after an edit: every line outside the profile's sections is still there and
    /// read the same way (a header stays a header, a key a key), and an SDK that could read
    /// the file still can.
    fn check_against(
        &self,
        before: &Document,
        flavor: Flavor,
        name: &str,
    ) -> Result<(), EditError> {
        // Which sections are the profile's is decided as the file was read before the edit:
        // the edit itself may make the file readable to one more SDK.
        let readers = before.readers();
        let outside = |d: &Document| -> Vec<(usize, String, Kind)> {
            let ours = d.sections_with(flavor, name, readers);
            // Blank and comment lines are read the same wherever they are; the ones at the end
            // of a removed section stay, and then are outside it.
            (0..d.lines.len())
                .filter(|&i| !matches!(d.kinds[i], Kind::Blank | Kind::Comment))
                .filter(|i| !ours.iter().any(|&(s, e)| (s..e).contains(i)))
                .map(|i| (i, d.lines[i].text.clone(), d.kinds[i].clone()))
                .collect()
        };
        let (was, now) = (outside(before), outside(self));
        for (n, (b, a)) in was
            .iter()
            .zip(
                now.iter()
                    .chain(std::iter::repeat(&(0, String::new(), Kind::Blank))),
            )
            .enumerate()
        {
            if (&b.1, &b.2) != (&a.1, &a.2) {
                return Err(EditError::WouldChangeOthers {
                    line: was.get(n).map_or(0, |w| w.0 + 1),
                    reason: "a line outside its own section would be read differently".into(),
                });
            }
        }
        if now.len() != was.len() {
            return Err(EditError::WouldChangeOthers {
                line: self.lines.len(),
                reason: "lines outside its own section would be added".into(),
            });
        }
        let (b0, r0) = readers;
        if b0 {
            if let Some((line, reason)) = self.botocore_error() {
                return Err(EditError::WouldChangeOthers {
                    line,
                    reason: format!("botocore would refuse the file: the line {reason}"),
                });
            }
        }
        if r0 {
            if let Some((line, reason)) = rust_sdk_error(&self.render()) {
                return Err(EditError::WouldChangeOthers {
                    line,
                    reason: format!("the Rust SDK would refuse the file: {reason}"),
                });
            }
        }
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
        // Key lines of this section, checked for duplicates among the ones we edit.
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
                self.reclassify();
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
                    let indent = indentation(&self.lines[i].text).to_string();
                    self.lines[i].text = format!("{indent}{key} = {value}");
                    self.reclassify();
                }
                None => {
                    let at = self.insertion_point(start, end);
                    let indent = self.new_key_indent(start, at, end);
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
                            text: format!("{indent}{key} = {value}"),
                            eol,
                        },
                    );
                    self.reclassify();
                    end += 1;
                }
            }
        }
        Ok(())
    }

    /// The indentation a new key at `at` needs in an indented file: no deeper than the key
    /// above it (or it would continue that key's value), and no shallower than the next
    /// header (or that header would become part of the new key's value).
    fn new_key_indent(&self, start: usize, at: usize, end: usize) -> String {
        if let Some(i) = (start + 1..at)
            .rev()
            .find(|&i| matches!(self.kinds[i], Kind::Key(_)))
        {
            return indentation(&self.lines[i].text).to_string();
        }
        match self.kinds.get(end) {
            Some(Kind::Section(_)) => indentation(&self.lines[end].text).to_string(),
            _ => String::new(),
        }
    }

    /// Removes the whole section (header through the line before the next header), but keeps
    /// blank and comment lines at its end: they usually introduce the next section.
    pub fn remove_section(&mut self, flavor: Flavor, name: &str) -> Result<bool, EditError> {
        let Some((start, end)) = self.one_section(flavor, name)? else {
            return Ok(false);
        };
        let before = self.clone();
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
        self.reclassify();
        if let Err(e) = self.check_against(&before, flavor, name) {
            *self = before;
            return Err(e);
        }
        Ok(true)
    }

    /// Blank and comment lines do not end a multi-line value for configparser (botocore's
    /// reader): an indented line after them still continues it. Stopping at them would leave
    /// that line behind, to be read as part of the previous key's value, or as a key.
    /// Blank and comment lines after the last indented one are not part of the value, but an
    /// indented comment is: the Rust SDK reads it as one more line of the value.
    fn continuation_len(&self, from: usize, end: usize) -> usize {
        let mut len = 0;
        for i in from..end {
            match self.kind(i) {
                Kind::Continuation => len = i + 1 - from,
                Kind::Comment if self.lines[i].text.starts_with(py_space) => len = i + 1 - from,
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
            // An indented comment belongs to what is above it (the Rust SDK reads it as a line
            // of a value), so a new key goes after it.
            let indented_comment =
                self.kinds[i] == Kind::Comment && self.lines[i].text.starts_with(py_space);
            if indented_comment
                || matches!(
                    self.kind(i),
                    Kind::Key(_) | Kind::Continuation | Kind::Other
                )
            {
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
        self.reclassify();
    }
}

/// Why the Rust SDK (aws-runtime's profile parser) refuses the file, or `None`. It splits
/// lines at "\n" only, takes only unindented `#`/`;` lines as comments, only unindented `[`
/// lines as headers, and any other indented line as the continuation of the key above.
fn rust_sdk_error(text: &str) -> Option<(usize, String)> {
    // (a key has been read in this section, that key's value was empty: sub-keys follow)
    let mut state: Option<(bool, bool)> = None;
    let ws: &[char] = &[' ', '\t'];
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim_matches(ws).is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with('[') {
            let l = rust_prepare(line, false);
            if l.len() < 2 || !l.ends_with(']') {
                return Some((
                    n,
                    "opens a [section] header that does not end with ]".into(),
                ));
            }
            state = Some((false, false));
        } else if line.starts_with(ws) {
            match state {
                None => return Some((n, "is indented before any [section] header".into())),
                Some((false, _)) => {
                    return Some((
                        n,
                        "is indented right after a [section] header, where a key must come first"
                            .into(),
                    ))
                }
                Some((true, true)) => {
                    if rust_property(line).is_none() {
                        return Some((n, "is a sub-key without =".into()));
                    }
                }
                Some((true, false)) => {}
            }
        } else {
            if state.is_none() {
                return Some((n, "comes before any [section] header".into()));
            }
            let Some(empty) = rust_property(line) else {
                return Some((n, "is not a `key = value` line".into()));
            };
            state = Some((true, empty));
        }
    }
    None
}

/// aws-runtime's `prepare_line`: trimmed, and cut at a comment character (which in a key line
/// must follow whitespace).
fn rust_prepare(line: &str, comments_need_whitespace: bool) -> &str {
    let line = line.trim_matches([' ', '\t']);
    let mut prev_ws = false;
    for (i, c) in line.char_indices() {
        if (c == '#' || c == ';') && (prev_ws || !comments_need_whitespace) {
            return line[..i].trim_matches([' ', '\t']);
        }
        prev_ws = c.is_whitespace();
    }
    line
}

/// A key line as the Rust SDK reads it: `Some(value is empty)`, or `None` when it refuses it.
fn rust_property(line: &str) -> Option<bool> {
    let (k, v) = rust_prepare(line, true).split_once('=')?;
    (!k.trim_matches([' ', '\t']).is_empty()).then(|| v.trim_matches([' ', '\t']).is_empty())
}

/// The profile botocore reads from a header's text (configparser's section name), if any.
fn botocore_name(flavor: Flavor, header: &str) -> Option<String> {
    // configparser's defaults section is no section at all.
    if header == "DEFAULT" {
        return None;
    }
    match flavor {
        // The credentials file's sections are profiles by their exact text: `[ a ]` is " a ".
        Flavor::Credentials => Some(header.to_string()),
        Flavor::Config if header == "default" => Some("default".into()),
        // botocore's `build_profile_map`: any section starting with "profile", split like a
        // shell line, naming exactly two words.
        Flavor::Config if header.starts_with("profile") => match shlex_split(header)?.as_slice() {
            [_, name] => Some(name.clone()),
            _ => None,
        },
        Flavor::Config => None,
    }
}

/// The profile the Rust SDK reads from a header line, if any (its `SectionPair` rules).
fn rust_name(flavor: Flavor, line: &str) -> Option<String> {
    if !line.starts_with('[') {
        return None;
    }
    let inner = rust_prepare(line, false)
        .strip_prefix('[')?
        .strip_suffix(']')?;
    let input = inner.trim_matches([' ', '\t']);
    let (prefix, suffix) = match input.split_once([' ', '\t']) {
        Some((p, s)) => (Some(p.trim()), s.trim()),
        None => (None, input.trim()),
    };
    let valid = !suffix.is_empty()
        && suffix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c));
    match (flavor, prefix) {
        (Flavor::Credentials, None) if valid => Some(suffix.into()),
        (Flavor::Config, Some("profile")) if valid => Some(suffix.into()),
        (Flavor::Config, None) if suffix == "default" => Some("default".into()),
        _ => None,
    }
}

/// Python's `shlex.split` (POSIX mode), or `None` where it raises.
fn shlex_split(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        x => cur.push(x),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\')) => cur.push(chars.next()?),
                        x => cur.push(x),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            x => {
                in_word = true;
                cur.push(x);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
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
    fn files_neither_sdk_reads_are_unreadable_with_their_line() {
        for (text, line, why) in [
            ("\u{feff}[me]\nk = v\n", 1, "byte-order mark"),
            ("\u{feff}# c\n[me]\n", 1, "byte-order mark"),
            ("# c\nk = v\n[me]\n", 2, "before any [section]"),
            ("[a]\nk = v\n[me\nx = 1\n", 3, "not closed"),
            ("[a]\nk = v\njunk\n", 3, "neither"),
        ] {
            let e = Document::parse(text).unreadable().expect(text).to_string();
            assert!(
                e.starts_with(&format!("line {line} ")) && e.contains(why),
                "{text:?}: {e}"
            );
        }
        // One SDK is enough: the Rust SDK reads a repeated section, botocore an indented
        // comment before the first header, a `key: value` or a header with text after it.
        for text in [
            "[a]\nk=1\n[a]\nk=2\n",
            "  # c\n[a]\nk = 1\n",
            "[a]\nk: v\n",
            "[a]\nk = v\n[me] x\n",
        ] {
            assert!(Document::parse(text).unreadable().is_none(), "{text:?}");
        }
    }

    #[test]
    fn an_indented_header_below_a_key_continues_its_value() {
        // Both SDKs read `  [me]` here as the second line of k's value, and x as a key of [a].
        let t = "[a]\nk = v\n\n  [me]\nx = 1\n";
        let d = Document::parse(t);
        assert!(!d.has_section(Credentials, "me"));
        assert_eq!(d.keys(Credentials, "a"), ["k", "x"]);
        assert_eq!(
            edit(t, Credentials, "me", &[("y", "2")], &[]),
            format!("{t}[me]\ny = 2\n")
        );
        // Right below a header (no key to continue) it is a header, for botocore.
        let d = Document::parse("[a]\n  [me]\nx = 1\n");
        assert!(d.has_section(Credentials, "me"));
        assert_eq!(
            d.section_text(Credentials, "me").unwrap(),
            "  [me]\nx = 1\n"
        );
    }

    #[test]
    fn keys_go_in_with_the_indentation_of_an_indented_file() {
        let t = "  [work]\n  k = v\n  [me]\n  aws_access_key_id = OLD\n  [z]\n  k = v\n";
        assert_eq!(
            edit(
                t,
                Credentials,
                "me",
                &[("aws_access_key_id", "NEW"), ("token", "T")],
                &[]
            ),
            "  [work]\n  k = v\n  [me]\n  aws_access_key_id = NEW\n  token = T\n  [z]\n  k = v\n"
        );
        // A header with no keys yet: as deep as the next header, so that stays a header.
        assert_eq!(
            edit(
                "[me]\n  [z]\n  k = v\n",
                Credentials,
                "me",
                &[("x", "1")],
                &[]
            ),
            "[me]\n  x = 1\n  [z]\n  k = v\n"
        );
    }

    #[test]
    fn only_headers_an_sdk_reads_as_the_profile_are_ambiguous() {
        // Neither SDK reads these as the profile poolpass: the real section can be written.
        let t = "[profile \"poolpass \"]\nregion = a\n[profile poolpass extra]\nregion = b\n";
        assert_eq!(
            edit(t, Config, "poolpass", &[("region", "x")], &[]),
            format!("{t}[profile poolpass]\nregion = x\n")
        );
        // botocore reads these as poolpass (split like a shell line, any "profile..." prefix);
        // the Rust SDK does not.
        for t in [
            "[profile 'poolpass']\n",
            "[profilex poolpass]\n",
            "[profile pool\"pass\"]\n",
        ] {
            let mut d = Document::parse(t);
            assert!(
                matches!(
                    d.upsert(Config, "poolpass", &[("region", "x")], &[]),
                    Err(EditError::Ambiguous { .. })
                ),
                "{t:?}"
            );
        }
    }

    #[test]
    fn an_edit_that_would_change_a_neighbour_is_refused() {
        // Removing [me] would put `  [z]` under a's key k, turning it into k's value.
        let t = "[a]\nk = v\n[me]\n  x = 1\n  [z]\n  y = 2\n";
        let mut d = Document::parse(t);
        assert!(matches!(
            d.remove_section(Credentials, "me"),
            Err(EditError::WouldChangeOthers { .. })
        ));
        assert_eq!(d.render(), t);
    }

    #[test]
    fn the_defaults_section_is_no_profile_and_its_keys_are_inherited() {
        let d = Document::parse("[DEFAULT]\naws_security_token = x\n[me]\nk = v\n");
        assert!(!d.has_section(Credentials, "DEFAULT"));
        assert_eq!(d.inherited_keys(), ["aws_security_token"]);
    }

    #[test]
    fn removing_a_section_keeps_its_neighbours() {
        let mut d = Document::parse("[a]\nk=1\n\n# about b\n[me]\nk=2\n\n# about c\n[c]\nk=3\n");
        assert!(d.remove_section(Credentials, "me").unwrap());
        assert_eq!(d.render(), "[a]\nk=1\n\n# about b\n\n# about c\n[c]\nk=3\n");
    }
}
