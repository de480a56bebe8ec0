//! Opening the user's own browser (never a webview: Google refuses OAuth in embedded
//! webviews, and the user's browser already holds their IdP session).
//!
//! `BROWSER` is honoured first, as many command-line tools do: it lets a user pick a browser,
//! and lets the tests play the user with a scripted Chromium.

use std::process::{Command, Stdio};

use crate::Error;

pub fn open(url: &str) -> Result<(), Error> {
    let fail = |reason: String| Error::BrowserFailed {
        reason,
        url: url.to_string(),
    };
    match std::env::var("BROWSER") {
        Ok(list) if !list.trim().is_empty() => {
            let mut last = String::from("BROWSER names no command");
            // The convention: a ':'-separated list of commands, `%s` standing for the URL.
            for cmd in list.split(':').filter(|c| !c.trim().is_empty()) {
                match spawn(cmd, url) {
                    Ok(()) => return Ok(()),
                    Err(e) => last = format!("{cmd}: {e}"),
                }
            }
            Err(fail(last))
        }
        _ => open::that_detached(url).map_err(|e| fail(e.to_string())),
    }
}

fn spawn(cmd: &str, url: &str) -> std::io::Result<()> {
    let mut words: Vec<String> = cmd.split_whitespace().map(String::from).collect();
    if words.is_empty() {
        return Err(std::io::Error::other("empty command"));
    }
    if words.iter().any(|w| w.contains("%s")) {
        for w in &mut words {
            *w = w.replace("%s", url);
        }
    } else {
        words.push(url.to_string());
    }
    let mut child = Command::new(&words[0])
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()?;
    // Reap it whenever it exits, so no zombie lingers; its exit code is not ours to judge.
    std::thread::spawn(move || child.wait());
    Ok(())
}
