//! Desktop notifications, with a "Refresh" action that refreshes every connection.
//!
//! A notification is a courtesy: when no notification service is running (a bare X server,
//! some tiling desktops) the reason goes to stderr and the tray and window still show the
//! state.

use crate::Agent;

/// Shows `summary`/`body`; with `refresh_action` (the button's label, in the user's language)
/// the notification offers the same refresh as the tray's "Refresh all".
pub fn show(agent: &Agent, summary: &str, body: &str, refresh_action: Option<&str>) {
    imp::show(agent, summary, body, refresh_action)
}

#[cfg(target_os = "linux")]
mod imp {
    use notify_rust::{Notification, Timeout};

    use crate::{log, Agent};

    pub fn show(agent: &Agent, summary: &str, body: &str, refresh_action: Option<&str>) {
        let mut n = Notification::new();
        n.appname("PoolPass")
            .summary(summary)
            .body(body)
            .icon("dialog-password")
            .timeout(Timeout::Milliseconds(60_000));
        if let Some(label) = refresh_action {
            n.action("refresh", label);
        }
        let agent = agent.me();
        // Waiting for the user's answer blocks: a thread of its own per notification, which
        // ends when the notification is closed or times out.
        let spawned = std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || match n.show() {
                Ok(handle) => handle.wait_for_action(|action| {
                    if let (Some(agent), "refresh") = (agent.upgrade(), action) {
                        agent.refresh_now();
                    }
                }),
                Err(e) => log!("no desktop notification ({e})"),
            });
        if let Err(e) = spawned {
            log!("no desktop notification ({e})");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use crate::{log, Agent};

    // macOS and Windows builds are not shipped yet; the window carries the state there.
    pub fn show(_agent: &Agent, summary: &str, body: &str, _refresh: Option<&str>) {
        log!("{summary}: {body}");
    }
}
