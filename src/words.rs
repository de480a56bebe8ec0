//! The words PoolPass's Rust front ends show outside the window (the tray's menu, title and
//! tooltip, and desktop notifications), in the languages the window speaks. They follow the
//! same `language` setting as the window: `auto` follows the OS, as the window follows
//! `navigator.language`.
//!
//! Sentences are whole per language (never English fragments glued into Japanese), and a
//! variable part is passed in as a fact (a profile name, a count, a time), so that word order
//! can differ between languages.

use time::{Duration, OffsetDateTime};

/// A language PoolPass speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    /// The language for a `language` setting (`auto`, `en`, `ja`); `auto` reads the locale
    /// variables in POSIX's order of precedence (LC_ALL, LC_MESSAGES, LANG).
    pub fn from_setting(setting: &str) -> Lang {
        match setting {
            "ja" => Lang::Ja,
            "en" => Lang::En,
            _ => {
                let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
                let locale = var("LC_ALL")
                    .or_else(|| var("LC_MESSAGES"))
                    .or_else(|| var("LANG"))
                    .unwrap_or_default();
                Lang::from_locale(&locale)
            }
        }
    }

    /// `ja_JP.UTF-8`, `ja` → Japanese; anything else English, as in the window.
    pub fn from_locale(locale: &str) -> Lang {
        let base = locale.split(['_', '-', '.', '@']).next().unwrap_or("");
        if base.eq_ignore_ascii_case("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }
}

/// Every fixed phrase, per language. Adding one means adding it to both: the struct makes a
/// missing translation fail to compile.
#[derive(Debug)]
pub struct Words {
    pub lang: Lang,
    /// The tray menu.
    pub refresh_all: &'static str,
    pub open: &'static str,
    pub sign_out: &'static str,
    pub quit: &'static str,
    /// The menu's first line when no profile was written yet.
    pub nothing_yet: &'static str,
    /// A notification's button that refreshes everything.
    pub refresh: &'static str,
    /// Notifications.
    pub could_not_renew: &'static str,
    pub refresh_failed: &'static str,
    pub refreshed: &'static str,
}

static EN: Words = Words {
    lang: Lang::En,
    refresh_all: "Refresh all",
    open: "Open PoolPass",
    sign_out: "Sign out…",
    quit: "Quit PoolPass",
    nothing_yet: "No credentials yet",
    refresh: "Refresh",
    could_not_renew: "PoolPass could not renew it by itself. Refresh now, or sign in again.",
    refresh_failed: "PoolPass could not refresh credentials",
    refreshed: "Credentials refreshed",
};

static JA: Words = Words {
    lang: Lang::Ja,
    refresh_all: "すべて更新",
    open: "PoolPass を開く",
    sign_out: "サインアウト…",
    quit: "PoolPass を終了",
    nothing_yet: "認証情報はまだありません",
    refresh: "更新",
    could_not_renew:
        "PoolPass は自動で更新できませんでした。今すぐ更新するか、もう一度サインインしてください。",
    refresh_failed: "PoolPass は認証情報を更新できませんでした",
    refreshed: "認証情報を更新しました",
};

impl Words {
    /// How long until `expires_at`, short enough for a panel: "12 min", "1 h 05 min".
    pub fn left(&self, expires_at: OffsetDateTime, now: OffsetDateTime) -> String {
        let left = expires_at - now;
        if left <= Duration::ZERO {
            return self.expired().into();
        }
        let minutes = left.whole_minutes();
        match (self.lang, minutes) {
            (Lang::En, 0) => "< 1 min".into(),
            (Lang::En, m) if m < 60 => format!("{m} min"),
            (Lang::En, m) => format!("{} h {:02} min", m / 60, m % 60),
            (Lang::Ja, 0) => "1分未満".into(),
            (Lang::Ja, m) if m < 60 => format!("{m}分"),
            (Lang::Ja, m) => format!("{}時間{:02}分", m / 60, m % 60),
        }
    }

    pub fn expired(&self) -> &'static str {
        match self.lang {
            Lang::En => "expired",
            Lang::Ja => "期限切れ",
        }
    }

    /// "dev: expires in 12 min" / "dev: expired".
    pub fn profile_expires(
        &self,
        profile: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> String {
        if expires_at <= now {
            return format!("{profile}: {}", self.expired());
        }
        let left = self.left(expires_at, now);
        match self.lang {
            Lang::En => format!("{profile}: expires in {left}"),
            Lang::Ja => format!("{profile}: あと{left}で期限切れ"),
        }
    }

    /// The title of the warning that a profile is about to run out.
    pub fn expires_soon(&self, profile: &str, left: &str) -> String {
        match self.lang {
            Lang::En => format!("{profile} expires in {left}"),
            Lang::Ja => format!("{profile} はあと{left}で期限切れになります"),
        }
    }

    /// The body of "credentials refreshed".
    pub fn profiles_renewed(&self, n: usize) -> String {
        match (self.lang, n) {
            (Lang::En, 1) => "1 profile renewed.".into(),
            (Lang::En, n) => format!("{n} profiles renewed."),
            (Lang::Ja, n) => format!("{n} 件のプロファイルを更新しました。"),
        }
    }

    /// A failure's line in a notification: `what` (a connection or profile) and the error,
    /// whose message comes from the core; its code is added so that support can look it up
    /// whatever the language.
    pub fn failure(&self, what: &str, message: &str, code: &str) -> String {
        let head = if what.is_empty() {
            String::new()
        } else {
            format!("{what}: ")
        };
        match self.lang {
            Lang::En => format!("{head}{message}"),
            Lang::Ja => format!("{head}{message}（エラーコード: {code}）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_setting_or_the_locale_chooses_the_language() {
        assert_eq!(Lang::from_setting("ja"), Lang::Ja);
        assert_eq!(Lang::from_setting("en"), Lang::En);
        for (locale, lang) in [
            ("ja_JP.UTF-8", Lang::Ja),
            ("ja", Lang::Ja),
            ("JA-jp", Lang::Ja),
            ("en_US.UTF-8", Lang::En),
            ("C", Lang::En),
            ("", Lang::En),
            ("jav_ID", Lang::En),
        ] {
            assert_eq!(Lang::from_locale(locale), lang, "{locale:?}");
        }
    }

    #[test]
    fn times_left_are_said_in_each_language() {
        let now = datetime!(2026-11-22 10:00 UTC);
        let (en, ja) = (Lang::En.words(), Lang::Ja.words());
        for (secs, e, j) in [
            (-1, "expired", "期限切れ"),
            (30, "< 1 min", "1分未満"),
            (12 * 60, "12 min", "12分"),
            (65 * 60, "1 h 05 min", "1時間05分"),
        ] {
            let at = now + Duration::seconds(secs);
            assert_eq!(en.left(at, now), e);
            assert_eq!(ja.left(at, now), j);
        }
        let at = now + Duration::minutes(12);
        assert_eq!(en.profile_expires("dev", at, now), "dev: expires in 12 min");
        assert_eq!(
            ja.profile_expires("dev", at, now),
            "dev: あと12分で期限切れ"
        );
        assert_eq!(ja.profile_expires("dev", now, now), "dev: 期限切れ");
        assert_eq!(en.profiles_renewed(1), "1 profile renewed.");
        assert_eq!(en.profiles_renewed(3), "3 profiles renewed.");
    }

    /// Japanese phrases hold no English words (names and codes passed in aside).
    #[test]
    fn japanese_phrases_are_japanese() {
        let ja = Lang::Ja.words();
        let fixed = [
            ja.refresh_all,
            ja.open,
            ja.sign_out,
            ja.quit,
            ja.nothing_yet,
            ja.refresh,
            ja.could_not_renew,
            ja.refresh_failed,
            ja.refreshed,
        ];
        let now = datetime!(2026-11-22 10:00 UTC);
        let made = [
            ja.left(now + Duration::minutes(90), now),
            ja.expires_soon("", "5分"),
            ja.profiles_renewed(2),
            ja.failure("", "", ""),
        ];
        for s in fixed.iter().copied().chain(made.iter().map(String::as_str)) {
            let english: String = s
                .replace("PoolPass", "")
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .collect();
            assert!(english.is_empty(), "{s:?} holds English: {english:?}");
        }
    }
}
