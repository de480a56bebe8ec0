//! The few lines of a file that failed to import, for showing beside the error. People drop
//! whatever file is at hand on the window (`~/.aws/credentials`, a token pasted into a text
//! file), so only the lines around the fault are shown, and the value of any line that looks
//! like a secret is hidden: the error view must not become a way to display keys on screen.

use crate::text;

/// Lines shown before and after the line at fault.
pub const CONTEXT: usize = 2;
/// Characters kept of each line: enough to see the fault, not a whole pasted token.
const MAX_LINE_CHARS: usize = 160;
const MASK: &str = "••••••••";

/// Lines `first_line..first_line + lines.len()` of the file (1-based), some hidden.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt {
    pub first_line: usize,
    pub lines: Vec<String>,
    /// How many of `lines` had their value replaced by a mask.
    pub hidden: usize,
}

/// The lines around `line` (1-based). Without a line there is nothing to point at, so nothing
/// is shown: the message says what is wrong.
pub fn around(text: &str, line: Option<usize>) -> Excerpt {
    let Some(line) = line.filter(|&l| l > 0) else {
        return Excerpt::default();
    };
    let first_line = line.saturating_sub(CONTEXT).max(1);
    let mut hidden = 0;
    let lines = text
        .lines()
        .enumerate()
        .skip(first_line - 1)
        .take(line + CONTEXT + 1 - first_line)
        .map(|(_, l)| {
            let (shown, masked) = mask_line(l);
            hidden += usize::from(masked);
            shown
        })
        .collect();
    Excerpt {
        first_line,
        lines,
        hidden,
    }
}

/// The line as it may be shown, and whether its value was hidden. A `key = value` (or
/// `key: value`) line keeps its key so the user sees which line it is.
pub fn mask_line(line: &str) -> (String, bool) {
    let split = line
        .char_indices()
        .find(|&(_, c)| c == '=' || c == ':')
        .map(|(i, _)| i);
    let masked = match split {
        Some(i) => {
            let (key, value) = (&line[..i], &line[i + 1..]);
            (secret_key(key) || secret_value(value))
                .then(|| format!("{key}{} {MASK}", &line[i..=i]))
        }
        None => secret_value(line).then(|| MASK.to_string()),
    };
    match masked {
        Some(m) => (text::escaped(&m, MAX_LINE_CHARS), true),
        None => (text::escaped(line, MAX_LINE_CHARS), false),
    }
}

/// Key names of secrets in AWS files, `.env` files, Cognito app client settings and the like.
fn secret_key(key: &str) -> bool {
    let key = key.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    const WORDS: [&str; 9] = [
        "secret",
        "password",
        "passwd",
        "token",
        "credential",
        "private",
        "access_key",
        "api_key",
        "apikey",
    ];
    WORDS.iter().any(|w| key.contains(w)) || key.ends_with("key") || key.ends_with("key_id")
}

/// Values that are secrets whatever their key: AWS access key ids, JWTs, and long runs of
/// base64 (a 40-character secret key, a client secret, a refresh token). Ids a PoolPass
/// configuration holds are shorter (a 26-character client id) or have `:`/`-`/`.` in them.
fn secret_value(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']).trim();
    let access_key_id = v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let jwt = v.starts_with("eyJ") && v.matches('.').count() >= 2;
    let long_base64 = v.len() >= 40
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=_".contains(&b));
    access_key_id || jwt || long_base64
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDENTIALS: &str = "[default]\n\
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
        aws_session_token = IQoJb3JpZ2luX2VjEKj//////////wEaCXVzLWVhc3QtMSJHMEUCIQ\n\
        region = us-east-1\n\
        \n\
        [work]\n\
        output = json\n";

    #[test]
    fn only_the_lines_around_the_fault_are_shown() {
        let e = around(CREDENTIALS, Some(7));
        assert_eq!(e.first_line, 5);
        assert_eq!(
            e.lines,
            ["region = us-east-1", "", "[work]", "output = json"]
        );
        assert_eq!(e.hidden, 0);
        let e = around(CREDENTIALS, Some(1));
        assert_eq!(e.first_line, 1);
        assert_eq!(e.lines.len(), 3);
        assert_eq!(around(CREDENTIALS, None), Excerpt::default());
        assert!(around(CREDENTIALS, Some(99)).lines.is_empty());
    }

    #[test]
    fn keys_and_tokens_never_appear() {
        let e = around(CREDENTIALS, Some(2));
        let shown = e.lines.join("\n");
        for secret in ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "IQoJb3JpZ2lu"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("aws_secret_access_key = ••••"), "{shown}");
        assert_eq!(e.hidden, 3);
        for line in [
            "token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
            "client_secret = \"1example23456789012345678901234567890123456789abcdef\"",
            "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "password = hunter2",
            "x = \"AKIAIOSFODNN7EXAMPLE\"",
        ] {
            let (shown, masked) = mask_line(line);
            assert!(masked, "{line}");
            assert!(
                !shown.contains("EXAMPLE") && !shown.contains("hunter2") && !shown.contains(".eyJ"),
                "{shown}"
            );
        }
    }

    #[test]
    fn what_a_configuration_holds_stays_readable() {
        for line in [
            "client_id = \"1example23456789abcdefghij\"",
            "id = \"us-west-2:11111111-2222-3333-4444-555555555555\"",
            "domain = \"https://acme.auth.us-west-2.amazoncognito.com\"",
            "profile = \"acme-{role}\"",
            "region = \"Tokyo\"",
            "[[connection.identity_pool]]",
        ] {
            assert_eq!(mask_line(line), (line.to_string(), false), "{line}");
        }
    }

    #[test]
    fn lines_are_escaped_and_cut() {
        let (shown, _) = mask_line("name = \"a\u{1b}[2Jb\"");
        assert!(!shown.contains('\u{1b}'));
        let (shown, _) = mask_line(&"a ".repeat(500));
        assert!(shown.chars().count() <= MAX_LINE_CHARS + 1);
    }
}
