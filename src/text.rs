//! Text from outside (the network, tokens, other processes) made safe to show: control
//! characters, which could move a terminal's cursor or fake a line, are escaped, and long
//! text is cut.

/// `s` with control characters escaped (`\u{1b}`) and at most `max` characters kept.
pub fn escaped(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_and_cuts() {
        assert_eq!(escaped("a\u{1b}[2Jb\nc", 100), "a\\u{1b}[2Jb\\nc");
        assert_eq!(escaped("abcdef", 3), "abc…");
        assert_eq!(escaped("日本語", 3), "日本語");
    }
}
