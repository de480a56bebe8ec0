//! The tray icon: the soonest expiry at a glance (title, tooltip and the menu's first line),
//! and Refresh all / Open / Sign out / Quit without opening the window. A click on the icon
//! opens the window.
//!
//! A StatusNotifierItem on D-Bus: what KDE, XFCE, most panels and GNOME's AppIndicator
//! extension show, and what libappindicator itself speaks. Without a StatusNotifierWatcher
//! (a bare X server, GNOME without the extension) the item still exists on the bus, and
//! appears when a watcher starts; the timer and notifications work either way.

use std::sync::Weak;

use poolpass::schedule::Expiring;
use poolpass::words::Words;
use time::OffsetDateTime;

use crate::Agent;

pub use imp::Tray;

/// The menu's first line and the short label for the title, at `now`, in `words`' language.
pub fn soonest_text(
    soonest: Option<&Expiring>,
    now: OffsetDateTime,
    words: &Words,
) -> (String, String) {
    match soonest {
        Some(e) => (
            words.profile_expires(&e.profile, e.expires_at, now),
            words.left(e.expires_at, now),
        ),
        None => (words.nothing_yet.to_string(), String::new()),
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use super::*;
    use crate::log;
    use ksni::menu::StandardItem;
    use ksni::{MenuItem, TrayMethods};

    /// The running tray item.
    pub struct Tray {
        handle: ksni::Handle<Item>,
        runtime: tokio::runtime::Handle,
    }

    struct Item {
        agent: Weak<Agent>,
        /// "profile: expires in 12 min".
        line: String,
        /// "12 min": the title's suffix.
        label: String,
        /// Something expires within the warning time (or has expired): panels that know the
        /// "needs attention" state make the icon stand out.
        urgent: bool,
        icons: Vec<ksni::Icon>,
        /// The menu's language: the setting as of the last update.
        words: &'static Words,
    }

    impl Tray {
        /// Puts the item on the session bus; `None` (and the reason logged) without one.
        pub async fn spawn(agent: Weak<Agent>) -> Option<Tray> {
            let words = agent
                .upgrade()
                .map_or(poolpass::words::Lang::En.words(), |a| a.words());
            let item = Item {
                agent,
                words,
                line: words.nothing_yet.to_string(),
                label: String::new(),
                urgent: false,
                icons: icons(),
            };
            // Assumed available: at login the panel may start after PoolPass, and the item
            // registers itself as soon as a watcher appears.
            match item.assume_sni_available(true).spawn().await {
                Ok(handle) => Some(Tray {
                    handle,
                    runtime: tokio::runtime::Handle::current(),
                }),
                Err(e) => {
                    log!("no tray icon ({e}); PoolPass still refreshes and notifies");
                    None
                }
            }
        }

        pub fn show_soonest(
            &self,
            soonest: Option<&Expiring>,
            now: OffsetDateTime,
            words: &'static Words,
        ) {
            let (line, label) = super::soonest_text(soonest, now, words);
            let urgent =
                soonest.is_some_and(|e| e.expires_at - now <= poolpass::schedule::WARN_AHEAD);
            let handle = self.handle.clone();
            self.runtime.spawn(async move {
                handle
                    .update(|item| {
                        item.line = line;
                        item.label = label;
                        item.urgent = urgent;
                        item.words = words;
                    })
                    .await;
            });
        }

        pub async fn shut_down(&self) {
            self.handle.shutdown().await;
        }
    }

    impl Item {
        fn with_agent(&self, f: impl FnOnce(&std::sync::Arc<Agent>)) {
            if let Some(agent) = self.agent.upgrade() {
                f(&agent);
            }
        }

        fn host(&self, f: impl FnOnce(&dyn crate::Host)) {
            self.with_agent(|agent| match agent.host() {
                Some(host) => f(host.as_ref()),
                None => log!("the tray is not started; nothing done"),
            });
        }
    }

    impl ksni::Tray for Item {
        fn id(&self) -> String {
            "poolpass".into()
        }

        fn title(&self) -> String {
            if self.label.is_empty() {
                "PoolPass".into()
            } else {
                format!("PoolPass {}", self.label)
            }
        }

        fn icon_pixmap(&self) -> Vec<ksni::Icon> {
            self.icons.clone()
        }

        fn status(&self) -> ksni::Status {
            if self.urgent {
                ksni::Status::NeedsAttention
            } else {
                ksni::Status::Active
            }
        }

        fn tool_tip(&self) -> ksni::ToolTip {
            ksni::ToolTip {
                title: "PoolPass".into(),
                description: self.line.clone(),
                ..Default::default()
            }
        }

        fn activate(&mut self, _x: i32, _y: i32) {
            self.host(|h| h.open());
        }

        fn menu(&self) -> Vec<MenuItem<Self>> {
            let item = |label: &str, activate: fn(&mut Item)| {
                StandardItem {
                    label: label.into(),
                    activate: Box::new(activate),
                    ..Default::default()
                }
                .into()
            };
            vec![
                StandardItem {
                    label: self.line.clone(),
                    enabled: false,
                    ..Default::default()
                }
                .into(),
                MenuItem::Separator,
                item(self.words.refresh_all, |t| {
                    t.with_agent(|a| a.refresh_now())
                }),
                item(self.words.open, |t| t.host(|h| h.open())),
                item(self.words.sign_out, |t| t.host(|h| h.sign_out())),
                MenuItem::Separator,
                item(self.words.quit, |t| t.host(|h| h.quit())),
            ]
        }
    }

    /// The app's icon at the two sizes panels ask for, as the ARGB32 pixels the protocol
    /// carries (PNG decoding here spares the panel a file lookup).
    fn icons() -> Vec<ksni::Icon> {
        [
            &include_bytes!("../../icons/32x32.png")[..],
            &include_bytes!("../../icons/64x64.png")[..],
        ]
        .into_iter()
        .filter_map(|png| match argb(png) {
            Ok(icon) => Some(icon),
            Err(e) => {
                log!("the tray icon's image is unreadable ({e})");
                None
            }
        })
        .collect()
    }

    fn argb(png_bytes: &[u8]) -> Result<ksni::Icon, png::DecodingError> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buf)?;
        let rgba: Vec<u8> = match info.color_type {
            png::ColorType::Rgba => buf[..info.buffer_size()].to_vec(),
            png::ColorType::Rgb => buf[..info.buffer_size()]
                .chunks(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            _ => Vec::new(),
        };
        let data = rgba
            .chunks(4)
            .flat_map(|p| [p[3], p[0], p[1], p[2]])
            .collect();
        Ok(ksni::Icon {
            width: info.width as i32,
            height: info.height as i32,
            data,
        })
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::*;

    /// No tray outside Linux yet (macOS and Windows builds are not shipped).
    pub struct Tray;

    impl Tray {
        pub async fn spawn(_agent: Weak<Agent>) -> Option<Tray> {
            None
        }
        pub fn show_soonest(
            &self,
            _soonest: Option<&Expiring>,
            _now: OffsetDateTime,
            _words: &'static Words,
        ) {
        }
        pub async fn shut_down(&self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poolpass::words::Lang;
    use time::macros::datetime;

    #[test]
    fn says_what_expires_first_and_when_in_the_users_language() {
        let now = datetime!(2026-11-22 10:00 UTC);
        let e = Expiring {
            profile: "dev".into(),
            connection: "work".into(),
            expires_at: datetime!(2026-11-22 10:12 UTC),
        };
        let (en, ja) = (Lang::En.words(), Lang::Ja.words());
        assert_eq!(
            soonest_text(Some(&e), now, en),
            ("dev: expires in 12 min".into(), "12 min".into())
        );
        assert_eq!(
            soonest_text(Some(&e), now, ja),
            ("dev: あと12分で期限切れ".into(), "12分".into())
        );
        let past = Expiring {
            expires_at: datetime!(2026-11-22 09:59 UTC),
            ..e
        };
        assert_eq!(
            soonest_text(Some(&past), now, en),
            ("dev: expired".into(), "expired".into())
        );
        assert_eq!(soonest_text(None, now, en).0, "No credentials yet");
        assert_eq!(soonest_text(None, now, ja).0, "認証情報はまだありません");
    }
}
