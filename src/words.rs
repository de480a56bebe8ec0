//! The words PoolPass's Rust front ends show outside the window (the tray's menu, title and
//! tooltip, and desktop notifications), in the languages the window speaks. They follow the
//! same `language` setting as the window: `auto` follows the OS, as the window follows
//! `navigator.language`.
//!
//! Sentences are whole per language (never English fragments glued into Japanese), and a
//! variable part is passed in as a fact (a profile name, a count, a time), so that word order
//! can differ between languages.

use std::collections::HashMap;
use std::sync::LazyLock;

use time::{Duration, OffsetDateTime};

use crate::profiles::Warning;
use crate::Error;

/// The messages both front ends word from facts: the core's errors, the warnings about what
/// was written, and the names they use for services. One file, `i18n/messages.json`, which
/// the window's catalogue (ui/src/i18n.ts) takes in as well, so a notification and the window
/// say the same thing in the same words.
#[derive(serde::Deserialize)]
struct Messages {
    en: HashMap<String, String>,
    ja: HashMap<String, String>,
}

static MESSAGES: LazyLock<Messages> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../i18n/messages.json"))
        .expect("i18n/messages.json is read by the tests, so it parses")
});

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

    /// A failure's line in a notification: `what` (a connection or profile) and the error
    /// (worded by [`Words::error`]); its code is added so that support can look it up
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

    fn message(&self, key: &str) -> Option<&'static str> {
        let m = &*MESSAGES;
        match self.lang {
            Lang::En => m.en.get(key),
            Lang::Ja => m.ja.get(key),
        }
        .map(String::as_str)
    }

    /// The core's error in this language, from its facts; its own (English) message when the
    /// catalogue has no entry for it or a fact is missing.
    pub fn error(&self, e: &Error) -> String {
        let mut facts: HashMap<&str, String> = e.facts().into_iter().collect();
        // Facts that are ids or optional parts, turned into words (as the window's wordFacts).
        if let Some(id) = facts.get("service").cloned() {
            let name = self
                .message(&format!("service_{id}"))
                .or_else(|| self.message("service_other"))
                .unwrap_or(id.as_str())
                .to_string();
            facts.insert("service", name);
        }
        if let Some(d) = facts.get_mut("description") {
            if !d.is_empty() {
                *d = format!(" ({d})");
            }
        }
        if let Error::SignOutIncomplete { done, cause, .. } = e {
            let parts: Vec<String> = done
                .parts()
                .into_iter()
                .filter_map(|p| {
                    self.message(&format!("sign_out_done_{p}"))
                        .map(|t| t.replace("{profiles}", &done.removed.join(", ")))
                })
                .collect();
            if parts.len() == done.parts().len() {
                let joiner = if self.lang == Lang::Ja { "、" } else { "; " };
                facts.insert("done", parts.join(joiner));
            }
            facts.insert("cause", self.error(cause));
        }
        if matches!(e.code(), "config_invalid" | "import_not_utf8") {
            let line = facts.get("line").cloned().unwrap_or_default();
            let field = facts.get("field").cloned().unwrap_or_default();
            let at = match (line.is_empty(), field.is_empty()) {
                (true, _) => Some(String::new()),
                (false, true) => self
                    .message("config_where_line")
                    .map(|t| t.replace("{line}", &line)),
                (false, false) => self
                    .message("config_where")
                    .map(|t| t.replace("{line}", &line).replace("{field}", &field)),
            };
            if let Some(at) = at {
                facts.insert("where", at);
            }
            if let Some(reason) = self.config_reason(&facts) {
                facts.insert("reason", reason);
            }
        }
        if e.code() == "busy" {
            let holder = facts.get("holder").cloned().unwrap_or_default();
            let worded = if holder.is_empty() {
                self.message("busyHolderUnknown").map(str::to_string)
            } else {
                self.message("busyHolder")
                    .map(|t| t.replace("{holder}", &holder))
            };
            if let Some(w) = worded {
                facts.insert("holder", w);
            }
        }
        self.fill(&e.message_key(), &facts)
            .unwrap_or_else(|| e.to_string())
    }

    /// Why a configuration is refused, by the rule it breaks (`config_<rule>`); None for the
    /// TOML parser's own words, which have no rule.
    pub fn config_reason(&self, facts: &HashMap<&str, String>) -> Option<String> {
        let rule = facts.get("rule")?;
        self.fill(&format!("config_{rule}"), facts)
    }

    /// A warning about what was written, in this language.
    pub fn warning(&self, w: &Warning) -> String {
        let facts: HashMap<&str, String> = w.facts().into_iter().collect();
        self.fill(&format!("warning_{}", w.id()), &facts)
            .unwrap_or_else(|| w.to_string())
    }

    /// The entry `key` with each `{name}` filled in from `facts`; None when there is no such
    /// entry or a fact it names is missing (a sentence with a hole is worse than English).
    fn fill(&self, key: &str, facts: &HashMap<&str, String>) -> Option<String> {
        let text = self.message(key)?;
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if name_len > 0 && after[name_len..].starts_with('}') {
                out.push_str(facts.get(&after[..name_len])?);
                rest = &after[name_len + 1..];
            } else {
                out.push('{');
                rest = after;
            }
        }
        out.push_str(rest);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{NoRoleReason, PoolAdvice};
    use crate::Error;
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

    /// The errors both front ends word from their facts (i18n/messages.json, by
    /// `Error::message_key`): each names the entry its advice chooses, and gives every fact
    /// the entry uses in either language, so none shows a `{hole}` or falls back to English.
    #[test]
    fn errors_the_window_words_give_every_fact_it_uses() {
        let mut checked = Vec::new();
        let cause = Box::new(Error::Keychain { reason: "r".into() });
        let errors = [
            Error::NotSignedIn {
                connection: "c".into(),
            },
            Error::SignInAgain {
                connection: "c".into(),
                reason: "r".into(),
            },
            Error::ProfileNotOwned {
                profile: "p".into(),
                path: "/f".into(),
            },
            Error::NotPoolPassProfile {
                profile: "p".into(),
            },
            Error::KeychainLocked,
            Error::SignOutKeychain {
                connection: "c".into(),
                reason: "r".into(),
            },
            Error::SignOutIncomplete {
                connection: "c".into(),
                done: crate::error::SignOutDone {
                    revoked: true,
                    deleted: true,
                    removed: vec!["p".into()],
                },
                cause,
            },
            Error::RevokeFailed {
                url: "u".into(),
                reason: "r".into(),
            },
            Error::SignInTimedOut {
                seconds: 300,
                redirect_uri: "http://localhost:1/callback".into(),
            },
            Error::RoleNotGranted {
                pool: "p".into(),
                role: "r".into(),
            },
            Error::Keychain { reason: "r".into() },
            Error::Network {
                what: "AWS STS",
                url: "u".into(),
                reason: "r".into(),
            },
            Error::BadResponse {
                what: "AWS STS",
                url: "u".into(),
                reason: "r".into(),
            },
            Error::Busy {
                what: "w".into(),
                holder: None,
                waited_seconds: 5,
            },
            Error::ProfileFile {
                path: "/f".into(),
                reason: "r".into(),
            },
            Error::State {
                path: "/f".into(),
                reason: "r".into(),
            },
            Error::Settings {
                path: "/f".into(),
                reason: "r".into(),
            },
            Error::ImportFailed {
                path: "/f".into(),
                reason: "r".into(),
            },
            Error::ProfileNameUnsafe {
                profile: "p".into(),
                reason: "r".into(),
            },
            Error::IdTokenRejected {
                issuer: "i".into(),
                reason: "r".into(),
            },
            Error::NoFreePort { ports: vec![1, 2] },
            Error::BrowserFailed {
                reason: "r".into(),
                url: "u".into(),
            },
            Error::UnknownConnection {
                name: "n".into(),
                known: vec!["k".into()],
            },
            Error::ProviderNotOffered {
                provider: "p".into(),
                connection: "c".into(),
                offered: vec!["o".into()],
            },
            Error::Cancelled,
            Error::StateMismatch,
            Error::MissingCode,
        ];
        // Codes whose entry a fact chooses: each choice, under its own key.
        let refused = |error: &str, grant| Error::TokenRefused {
            url: "u".into(),
            grant,
            error: error.into(),
            description: None,
        };
        let no_role = |reason| Error::NoRole {
            pool: "p".into(),
            reason,
        };
        let pool = |advice: PoolAdvice| {
            let key = format!("identity_pool_{}", advice.id());
            let e = Error::IdentityPool {
                pool: "p".into(),
                code: "c".into(),
                message: "m".into(),
                advice,
            };
            (e, key)
        };
        let advice = [
            PoolAdvice::ClassicWithRoleMappings,
            PoolAdvice::ClassicDisabled,
            PoolAdvice::Refused,
            PoolAdvice::NoUsableRole,
            PoolAdvice::NotFound,
            PoolAdvice::Throttled,
            PoolAdvice::ServiceFailed,
            PoolAdvice::BadRequest,
            PoolAdvice::RoleNotTrusted { role: "r".into() },
            PoolAdvice::SessionTooLong,
            PoolAdvice::SignInAgain,
            PoolAdvice::Unreadable,
            PoolAdvice::Other,
        ];
        let authorization = |error: &str| Error::AuthorizationRefused {
            error: error.into(),
            description: Some("d".into()),
        };
        let chosen = [
            (refused("x", "refresh token"), "token_refused"),
            (
                refused("invalid_grant", "refresh token"),
                "token_refused_sign_in_again",
            ),
            (
                refused("invalid_grant", "authorization code"),
                "token_refused_code",
            ),
            (
                refused("invalid_client", "refresh token"),
                "token_refused_client",
            ),
            (authorization("x"), "authorization_refused"),
            (authorization("access_denied"), "authorization_denied"),
            (
                no_role(NoRoleReason::ClassicNeedsPreferredRole),
                "no_role_classic_needs_preferred_role",
            ),
            (
                no_role(NoRoleReason::NoRolesInSignIn),
                "no_role_no_roles_in_sign_in",
            ),
            (
                no_role(NoRoleReason::TwoRolesOneProfile {
                    profile: "p".into(),
                }),
                "no_role_two_roles_one_profile",
            ),
            (
                no_role(NoRoleReason::ProfileNeedsRoleName),
                "no_role_profile_needs_role_name",
            ),
            (no_role(NoRoleReason::NotLookedUp), "no_role_not_looked_up"),
        ];
        let all = errors
            .into_iter()
            .map(|e| {
                let key = e.code().to_string();
                (e, key)
            })
            .chain(chosen.into_iter().map(|(e, k)| (e, k.to_string())))
            .chain(advice.into_iter().map(pool));
        for (e, name) in all {
            assert_eq!(e.message_key(), format!("error_{name}"), "{e:?}");
            let ja = Lang::Ja.words().error(&e);
            assert_ne!(ja, e.to_string(), "{name} is worded in Japanese");
            assert!(!ja.contains('{'), "{name}: {ja}");
            checked.push((format!("error_{name}"), e.facts()));
        }
        // Warnings about what was written are worded the same way (`warning_<id>`).
        let path = std::path::PathBuf::from("/f");
        let warnings = [
            crate::profiles::Warning::ReadableByOthers {
                path: path.clone(),
                mode: 0o644,
            },
            crate::profiles::Warning::EnvironmentKeys,
            crate::profiles::Warning::DefaultNotSelected {
                aws_profile: "p".into(),
            },
            crate::profiles::Warning::LinkInSharedFolder {
                path: path.clone(),
                link: path.clone(),
                folder: path.clone(),
            },
            crate::profiles::Warning::ShadowedInConfig {
                profile: "p".into(),
                key: "role_arn".into(),
                path,
            },
        ]
        .map(|w| (format!("warning_{}", w.id()), w.facts()));
        for (name, facts) in checked.into_iter().chain(warnings) {
            let facts: Vec<&str> = facts.into_iter().map(|(k, _)| k).collect();
            for (lang, entries) in [("en", &MESSAGES.en), ("ja", &MESSAGES.ja)] {
                let text = entries
                    .get(&name)
                    .unwrap_or_else(|| panic!("{name} is not in i18n/messages.json ({lang})"));
                for hole in holes(text) {
                    assert!(
                        facts.contains(&hole),
                        "{name} ({lang}) uses {{{hole}}}, which is not among the facts ({facts:?})"
                    );
                }
            }
        }
    }

    /// The `{name}` holes of a catalogue entry.
    fn holes(text: &str) -> Vec<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(h, _)| h))
            .collect()
    }

    /// Both languages hold every entry, with the same holes (a translation that drops a fact
    /// loses it; one that adds a fact shows a hole).
    #[test]
    fn the_shared_catalogue_has_every_entry_in_both_languages() {
        assert!(MESSAGES.en.len() > 50, "the catalogue was read");
        let keys = |m: &HashMap<String, String>| {
            let mut k: Vec<String> = m.keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(&MESSAGES.en), keys(&MESSAGES.ja));
        for (key, en) in &MESSAGES.en {
            let (mut a, mut b) = (holes(en), holes(&MESSAGES.ja[key]));
            a.sort();
            a.dedup();
            b.sort();
            b.dedup();
            assert_eq!(a, b, "{key}");
        }
    }

    /// Facts that are ids or optional parts are worded as the window words them.
    #[test]
    fn errors_are_worded_from_facts_in_each_language() {
        let (en, ja) = (Lang::En.words(), Lang::Ja.words());
        let network = Error::Network {
            what: "AWS STS",
            url: "https://sts.example".into(),
            reason: "connection refused".into(),
        };
        assert_eq!(
            ja.error(&network),
            "https://sts.example のAWS STSに接続できません (connection refused)。ネットワーク接続 (VPN やプロキシも) を確認してから、もう一度お試しください。"
        );
        let busy = |holder: Option<&str>| Error::Busy {
            what: "connection \"work\"".into(),
            holder: holder.map(Into::into),
            waited_seconds: 30,
        };
        assert!(ja
            .error(&busy(None))
            .starts_with("別の PoolPass プロセスが 30 秒以上"));
        assert!(ja
            .error(&busy(Some("4242 poolpass")))
            .starts_with("PoolPass (プロセス 4242 poolpass)"));
        let refused = |description: Option<&str>| Error::TokenRefused {
            url: "u".into(),
            grant: "refresh token",
            error: "invalid_client".into(),
            description: description.map(Into::into),
        };
        assert!(en
            .error(&refused(Some("bad secret")))
            .contains("refused: invalid_client (bad secret). The app client"));
        assert!(en
            .error(&refused(None))
            .contains("refused: invalid_client. The app client"));
        // Without an entry (or with a hole the facts do not fill): no sentence, so the core's
        // own message is shown.
        assert_eq!(ja.fill("error_no_such_entry", &HashMap::new()), None);
        let too_large = Error::Config(crate::ConfigError::ImportTooLarge {
            what: "w".into(),
            limit: 1,
        });
        assert!(ja
            .error(&too_large)
            .starts_with("構成 w は 1 バイトを超えている"));
        // A sign-out that stopped part way: each part done, and the cause worded as its own.
        let incomplete = Error::SignOutIncomplete {
            connection: "work".into(),
            done: crate::error::SignOutDone {
                revoked: true,
                deleted: false,
                removed: vec!["work-a".into()],
            },
            cause: Box::new(Error::KeychainLocked),
        };
        let said = ja.error(&incomplete);
        assert!(
            said.contains("完了したこと: 保存されたサインインをサインインサービスで無効にしました、プロファイル work-a を削除しました。"),
            "{said}"
        );
        assert!(
            said.contains("OS のキーチェーンがロックされています"),
            "{said}"
        );
        assert!(en.error(&incomplete).contains(
            "Done: the saved sign-in was revoked at the sign-in service; the profiles work-a were removed."
        ));
        let w = Warning::DefaultNotSelected {
            aws_profile: "dev".into(),
        };
        assert!(ja
            .warning(&w)
            .starts_with("AWS_PROFILE が dev に設定されているため"));
        assert_eq!(
            en.fill("error_not_signed_in", &HashMap::new()),
            None,
            "a missing fact is no sentence"
        );
    }

    /// Each rule the configuration's validator names has its entry in both languages, and a
    /// refused file is said in Japanese with the rule's own facts; the TOML parser's own
    /// complaints (no rule) keep their words inside a Japanese sentence.
    #[test]
    fn every_rule_of_the_configuration_is_worded_in_both_languages() {
        let sources = [
            include_str!("config/validate.rs"),
            include_str!("config/mod.rs"),
        ];
        let ids: Vec<&str> = sources
            .iter()
            .flat_map(|s| s.split("Rule::new(\"").skip(1))
            .map(|r| r.split('"').next().unwrap())
            .collect();
        assert!(ids.len() >= 30, "{ids:?}");
        for id in &ids {
            for entries in [&MESSAGES.en, &MESSAGES.ja] {
                assert!(entries.contains_key(&format!("config_{id}")), "config_{id}");
            }
        }
        let good = "[[connection]]\nname = \"acme\"\nuser_pool_id = \"us-west-2_AbC123\"\nclient_id = \"1example23456789\"\ndomain = \"https://acme.auth.us-west-2.amazoncognito.com\"\nproviders = [\"Google\"]\n\n[[connection.identity_pool]]\nid = \"ap-northeast-1:00000000-0000-0000-0000-000000000000\"\nprofile = \"acme\"\n";
        let path = std::path::Path::new("/c.toml");
        assert!(crate::config::Config::parse(path, good).is_ok());
        let refused =
            |text: &str| Error::Config(crate::config::Config::parse(path, text).unwrap_err());
        let ja = Lang::Ja.words();
        let long = "G".repeat(40);
        let unknown = refused(&good.replace("[\"Google\"]", &format!("[\"{long}\"]")));
        assert_eq!(
            ja.error(&unknown).replace(&long, "G…"),
            "構成 /c.toml は使えません (6 行目、providers): G… はプロバイダー名ではありません。\"Google\"、\"Facebook\"、\"LoginWithAmazon\"、\"SignInWithApple\"、\"COGNITO\" またはユーザープールの SAML/OIDC IdP の名前 (1〜32 文字) が必要です。修正したファイルを管理者に依頼してください。"
        );
        let templated =
            refused(&good.replace("profile = \"acme\"", "profile = \"acme\"\nroles = \"all\""));
        assert!(
            ja.error(&templated)
                .contains("名前に {role_name} を入れてください"),
            "{}",
            ja.error(&templated)
        );
        let toml = refused("[[connection]]\nname = 3\n");
        let said = ja.error(&toml);
        assert!(
            said.starts_with("構成 /c.toml は使えません (2 行目): "),
            "{said}"
        );
        assert!(said.contains("invalid type"), "{said}");
    }
}
