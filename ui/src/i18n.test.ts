// Both languages complete and alike, and the core's errors and warnings worded from facts.

import { describe, expect, it } from "vitest";

import { allKeys, configReason, errorText, resolveLang, setLang, t, translations, warningText } from "./i18n";

describe("i18n", () => {
  it("has every English text in Japanese, with the same placeholders", () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of allKeys) {
      const ja = translations.ja[k];
      expect(ja, k).toBeTruthy();
      expect(holes(ja), k).toEqual(holes(translations.en[k]));
      // A text left in English by mistake (names and codes aside).
      if (/[a-z]{4,} [a-z]{4,}/.test(translations.en[k])) expect(ja, k).not.toBe(translations.en[k]);
    }
  });

  it("follows the OS unless the user chose", () => {
    expect(resolveLang("auto", ["ja-JP", "en-US"])).toBe("ja");
    expect(resolveLang("auto", ["fr-FR", "en-GB"])).toBe("en");
    expect(resolveLang("auto", ["de-DE"])).toBe("en");
    expect(resolveLang("en", ["ja-JP"])).toBe("en");
    expect(resolveLang("ja", [])).toBe("ja");
  });

  it("fills placeholders and switches language", () => {
    setLang("en");
    expect(t("signInTo", { name: "acme" })).toBe("Sign in: acme");
    setLang("ja");
    expect(t("signInTo", { name: "acme" })).toBe("サインイン: acme");
    setLang("en");
  });
});

describe("errors the window words itself", () => {
  it("name no command-line step, in either language", () => {
    const keys = allKeys.filter((k) => k.startsWith("error_"));
    // The shared catalogue (i18n/messages.json) is part of the window's.
    expect(keys.length).toBeGreaterThan(50);
    expect(keys).toContain("error_sign_in_again");
    for (const key of keys) {
      for (const lang of ["en", "ja"] as const) {
        const code = key;
        const text = translations[lang][key];
        expect(text, `${lang} ${code}`).toBeTruthy();
        expect(text, `${lang} ${code}`).not.toMatch(/--[a-z]|`|\bpoolpass [a-z]/);
      }
    }
  });

  it("are worded from their facts, in the window's language", () => {
    const err = {
      code: "sign_in_again",
      message: "The saved sign-in ... `poolpass login --connection work`.",
      facts: { connection: "work", reason: "invalid_grant" },
    };
    setLang("en");
    expect(errorText(err)).toBe(
      "The saved sign-in for work is no longer valid (invalid_grant). Your profiles were left as they were. Sign in again with one of its buttons.",
    );
    setLang("ja");
    expect(errorText(err)).toContain("work の保存されたサインインは無効になりました (invalid_grant)");
    setLang("en");
  });

  it("word ids among the facts: the service, the holder, the choice of advice", () => {
    setLang("ja");
    const network = errorText({
      code: "network",
      message: "Cannot reach AWS STS at https://sts.example ...",
      facts: { service: "sts", url: "https://sts.example", reason: "connection refused" },
    });
    expect(network).toBe(
      "https://sts.example のAWS STSに接続できません (connection refused)。ネットワーク接続 (VPN やプロキシも) を確認してから、もう一度お試しください。",
    );
    const hostedUi = errorText({
      code: "bad_response",
      message: "core text",
      facts: { service: "hosted_ui", url: "u", reason: "r" },
    });
    expect(hostedUi).toContain("サインインサービス");
    const unknownService = errorText({
      code: "network",
      message: "core text",
      facts: { service: "newer", url: "u", reason: "r" },
    });
    expect(unknownService).toContain("u のサービスに接続できません");
    const busy = (holder: string) =>
      errorText({ code: "busy", message: "core text", facts: { what: 'connection "work"', holder, seconds: "30" } });
    expect(busy("")).toMatch(/^別の PoolPass プロセスが 30 秒以上/);
    expect(busy("4242 poolpass since 2026-12-03T10:00:00Z")).toMatch(/^PoolPass \(プロセス 4242 poolpass/);
    // The core chooses the entry by the facts (Error::message_key, tested there); the window
    // words the entry it names.
    const refused = (key: string, error: string, grant: string, description = "") =>
      errorText({ code: "token_refused", key, message: "core text", facts: { url: "u", grant, error, description } });
    expect(refused("error_token_refused_sign_in_again", "invalid_grant", "refresh")).toContain(
      "保存されたサインインを受け付けなくなりました: invalid_grant。",
    );
    expect(refused("error_token_refused_code", "invalid_grant", "code")).toContain("有効期間は 5 分");
    expect(refused("error_token_refused_client", "invalid_client", "refresh", "bad secret")).toContain(
      "invalid_client (bad secret)。アプリクライアント",
    );
    expect(refused("error_token_refused", "slow_down", "refresh")).toContain("もう一度お試しください");
    setLang("en");
    expect(
      errorText({
        code: "no_role",
        key: "error_no_role_two_roles_one_profile",
        message: "core text",
        facts: { pool: "p", kind: "two_roles_one_profile", profile: "dev" },
      }),
    ).toBe(
      "Identity pool p: two of your roles would both be written to the profile dev. Ask your administrator to put the role name in the profile name.",
    );
    // A choice this window does not know yet: the core's own message.
    expect(errorText({ code: "no_role", key: "error_no_role_newer", message: "core text", facts: { pool: "p" } })).toBe(
      "core text",
    );
    expect(errorText({ code: "no_role", message: "core text", facts: { pool: "p" } })).toBe("core text");
    expect(errorText({ code: "autostart", key: "error_autostart_failed", message: "core text", facts: { reason: "r" } })).toBe(
      "The other settings are saved, but starting at login could not be changed (r).",
    );
    expect(errorText({ code: "cancelled", message: "core text" })).toBe("The sign-in was cancelled. Nothing was changed.");
  });

  it("word an identity pool's refusal with AWS's words and the advice the core chose", () => {
    const pool = (advice: string, extra: Record<string, string> = {}) =>
      errorText({
        code: "identity_pool",
        key: `error_identity_pool_${advice}`,
        message: "core text",
        facts: { pool: "eu-west-1:1", code: "ResourceNotFoundException", detail: "IdentityPool 'x' not found.", advice, ...extra },
      });
    expect(pool("not_found")).toBe(
      "Identity pool eu-west-1:1 refused: IdentityPool 'x' not found. (ResourceNotFoundException). The pool, or your identity in it, does not exist. Ask your administrator to check the pool id and region in the configuration.",
    );
    expect(pool("role_not_trusted", { role: "Reader" })).toContain("the role Reader");
    expect(pool("newer")).toBe("core text");
    setLang("ja");
    expect(pool("throttled")).toBe(
      "ID プール eu-west-1:1: AWS が現在リクエストを制限しています (ResourceNotFoundException)。1 分ほど待ってから、もう一度お試しください。",
    );
    setLang("en");
  });

  it("word warnings about what was written from their facts, and keep unknown ones", () => {
    setLang("ja");
    const w = warningText({
      code: "default_not_selected",
      message: "AWS_PROFILE is set to \"dev\", so tools run without --profile ...",
      facts: { aws_profile: "dev" },
    });
    expect(w).toMatch(/^AWS_PROFILE が dev に設定されているため/);
    expect(w).not.toMatch(/--profile/);
    expect(warningText({ code: "newer", message: "core text", facts: {} })).toBe("core text");
    expect(warningText({ code: "readable_by_others", message: "core text", facts: { path: "/f" } })).toBe("core text");
    setLang("en");
    const keys = allKeys.filter((k) => k.startsWith("warning_"));
    expect(keys).toHaveLength(5);
    for (const key of keys) expect(translations.ja[key], key).not.toMatch(/--[a-z]|`/);
  });

  it("word a sign-out that stopped part way: what was done, and its cause as an error of its own", () => {
    setLang("ja");
    const text = errorText({
      code: "sign_out_incomplete",
      key: "error_sign_out_incomplete",
      message: "core text",
      facts: {
        connection: "work",
        done: "the saved sign-in was revoked at the hosted UI",
        done_parts: "revoked,removed",
        removed: "work-a",
        cause: "The OS keychain is locked. ...",
        cause_code: "keychain_locked",
        cause_key: "error_keychain_locked",
        cause_facts: "{}",
      },
    });
    expect(text).toContain("完了したこと: 保存されたサインインをサインインサービスで無効にしました、プロファイル work-a を削除しました。");
    expect(text).toContain("OS のキーチェーン");
    expect(text.replaceAll("work-a", "").replaceAll("work", "").replace(/OS|PoolPass|Linux/g, "")).not.toMatch(
      /[A-Za-z]{3,}/,
    );
    setLang("en");
  });

  it("word a refused configuration by the rule it breaks, where it is, in the window's language", () => {
    setLang("ja");
    const facts = { path: "/c.toml", line: "6", field: "providers", where: " (line 6, providers)", reason: "core", rule: "provider_unknown", provider: "Gogle!" };
    const text = errorText({ code: "config_invalid", key: "error_config_invalid", message: "core text", facts });
    expect(text).toMatch(/^構成 \/c\.toml は使えません \(6 行目、providers\): Gogle! はプロバイダー名ではありません。/);
    expect(configReason(facts)).toMatch(/^Gogle! はプロバイダー名ではありません/);
    // The TOML parser's own words have no rule: they stay, inside a Japanese sentence.
    const toml = { path: "/c.toml", line: "2", field: "", where: " (line 2)", reason: "invalid type: integer `3`" };
    expect(configReason(toml)).toBeNull();
    expect(errorText({ code: "config_invalid", key: "error_config_invalid", message: "m", facts: toml })).toBe(
      "構成 /c.toml は使えません (2 行目): invalid type: integer `3`。修正したファイルを管理者に依頼してください。",
    );
    setLang("en");
  });

  it("fall back to the core's message without their facts, or for other codes", () => {
    expect(errorText({ code: "sign_in_again", message: "core text" })).toBe("core text");
    expect(errorText({ code: "sign_in_again", message: "core text", facts: { connection: "w" } })).toBe("core text");
    expect(errorText({ code: "network", message: "core text", facts: {} })).toBe("core text");
  });
});
