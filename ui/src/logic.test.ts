// The window's pure decisions: countdowns, statuses, progress lines, remedies.

import { describe, expect, it } from "vitest";

import {
  errorView,
  formatCountdown,
  msLeft,
  progressLine,
  providerLabel,
  signInLink,
  signOutNotes,
  statusOf,
  toIpcError,
} from "./logic";
import type { Progress } from "./bindings/Progress";
import { setLang } from "./i18n";

const now = Date.parse("2026-01-01T12:00:00Z");
const at = (secondsFromNow: number) => new Date(now + secondsFromNow * 1000).toISOString();

describe("formatCountdown", () => {
  it("shows hours and minutes above an hour", () => {
    expect(formatCountdown(3_900_000)).toBe("1 h 05 min");
    expect(formatCountdown(3_600_000)).toBe("1 h 00 min");
  });
  it("shows minutes and seconds under an hour", () => {
    expect(formatCountdown(12 * 60_000 + 5_000)).toBe("12 min 05 s");
    expect(formatCountdown(60_000)).toBe("1 min 00 s");
  });
  it("shows seconds under a minute, rounding down", () => {
    expect(formatCountdown(45_999)).toBe("45 s");
    expect(formatCountdown(999)).toBe("0 s");
  });
  it("says expired at and after zero, unknown for NaN", () => {
    expect(formatCountdown(0)).toBe("expired");
    expect(formatCountdown(-5_000)).toBe("expired");
    expect(formatCountdown(Number.NaN)).toBe("unknown");
  });
});

describe("statusOf", () => {
  it("is fresh with five minutes or more left", () => {
    expect(statusOf(at(3600), now)).toBe("fresh");
    expect(statusOf(at(300), now)).toBe("fresh");
  });
  it("is expiring under five minutes (the core refreshes then)", () => {
    expect(statusOf(at(299), now)).toBe("expiring");
    expect(statusOf(at(1), now)).toBe("expiring");
  });
  it("is expired at and after the expiry", () => {
    expect(statusOf(at(0), now)).toBe("expired");
    expect(statusOf(at(-60), now)).toBe("expired");
  });
  it("reads the core's RFC 3339 with an offset", () => {
    expect(msLeft("2026-01-01T13:00:00+01:00", now)).toBe(0);
  });
  it("is unknown for an unreadable date", () => {
    expect(statusOf("soon", now)).toBe("unknown");
  });
});

describe("errors", () => {
  it("keeps the shell's {code, message}", () => {
    expect(toIpcError({ code: "network", message: "Cannot reach", extra: 1 })).toEqual({
      code: "network",
      message: "Cannot reach",
    });
    // The catalogue entry the core chose, and the facts, come through.
    const full = { code: "no_role", key: "error_no_role_not_looked_up", message: "m", facts: { pool: "p" } };
    expect(toIpcError(full)).toEqual(full);
  });
  it("turns anything else into an internal error", () => {
    expect(toIpcError("Command foo not found")).toEqual({
      code: "internal",
      message: "Command foo not found",
    });
    expect(toIpcError(new Error("boom")).code).toBe("internal");
    expect(toIpcError({ code: 3, message: "x" }).code).toBe("internal");
  });
  it("stays quiet about a cancelled sign-in", () => {
    expect(errorView({ code: "cancelled", message: "cancelled" }).show).toBe(false);
  });
  it("chooses the remedy by code, not by message", () => {
    expect(errorView({ code: "sign_in_again", message: "network" }).remedy).toBe("signIn");
    expect(errorView({ code: "not_signed_in", message: "" }).remedy).toBe("signIn");
    expect(errorView({ code: "config_invalid", message: "" }).remedy).toBe("configure");
    expect(errorView({ code: "network", message: "sign in again" }).remedy).toBe("retry");
    expect(errorView({ code: "no_free_port", message: "" }).remedy).toBe("retry");
    const unknown = errorView({ code: "something_new", message: "Said by the core" });
    expect(unknown).toEqual({ show: true, message: "Said by the core", remedy: "none" });
  });
  it("words a stale import preview in the window's language", () => {
    setLang("ja");
    const gone = errorView({ code: "import_preview_gone", message: "English from the shell" });
    expect(gone.message).toContain("プレビュー");
    setLang("en");
    expect(errorView({ code: "import_preview_gone", message: "x" }).message).toMatch(/Open the configuration again/);
  });
});

describe("progress", () => {
  it("offers the link from BrowserOpened and OpenLinkYourself only", () => {
    expect(signInLink({ kind: "browserOpened", url: "https://h/oauth2/authorize?x" })).toBe(
      "https://h/oauth2/authorize?x",
    );
    expect(signInLink({ kind: "openLinkYourself", url: "https://h/a", reason: null })).toBe(
      "https://h/a",
    );
    expect(signInLink({ kind: "callbackReceived" })).toBeNull();
  });
  it("describes the waiting time and failures", () => {
    expect(progressLine({ kind: "waiting", timeoutSeconds: 300 })).toBe(
      "Waiting up to 5 min 00 s.",
    );
    expect(
      progressLine({
        kind: "profileFailed",
        profile: "acme",
        error: { code: "no_role", message: "no role" },
      }),
    ).toBe("acme: no role");
  });
});

describe("settings and import helpers", () => {
  it("shows the profile names an import writes, per-role parts in words, in both languages", async () => {
    const { previewProfile } = await import("./logic");
    const pool = { id: "p", region: "r", roles: "all", profile: "acme-dev-{role_name}", perRole: true };
    setLang("en");
    expect(previewProfile(pool)).toBe("acme-dev-<role name> (one per role you have)");
    expect(previewProfile({ ...pool, profile: "acme-dev", perRole: false })).toBe("acme-dev");
    setLang("ja");
    expect(previewProfile({ ...pool, profile: "{account_id}-{role_name}" })).toBe(
      "<アカウント ID>-<ロール名> (お持ちのロールごとに 1 つ)",
    );
    setLang("en");
  });

  it("reads sign-in ports or refuses the list", async () => {
    const { parsePorts } = await import("./logic");
    expect(parsePorts("")).toEqual([]);
    expect(parsePorts("49152, 49153")).toEqual([49152, 49153]);
    expect(parsePorts("8080 8081")).toEqual([8080, 8081]);
    expect(parsePorts("0")).toBeNull();
    expect(parsePorts("70000")).toBeNull();
    expect(parsePorts("80a")).toBeNull();
    expect(parsePorts("-1")).toBeNull();
  });

  it("says plainly where a non-AWS endpoint sends the sign-in", async () => {
    const { endpointNote } = await import("./logic");
    const { t } = await import("./i18n");
    const base = { service: "hostedUi" as const, url: "https://auth.evil.example/", host: "auth.evil.example" };
    expect(endpointNote({ ...base, kind: "other" }, t)).toContain("Not an AWS address: auth.evil.example");
    expect(endpointNote({ ...base, kind: "aws" }, t)).toBe("sign-in page (hosted UI): AWS");
    expect(endpointNote({ ...base, kind: "aws", connection: "work" }, t)).toBe("sign-in page (hosted UI) (work): AWS");
    expect(endpointNote({ ...base, kind: "loopback", host: "127.0.0.1" }, t)).toContain("This computer");
  });
});

describe("the countdown and progress lines follow the language", () => {
  it("speaks Japanese when asked", () => {
    setLang("ja");
    try {
      expect(formatCountdown(3_900_000)).toBe("1 時間 05 分");
      expect(formatCountdown(12 * 60_000 + 5_000)).toBe("12 分 05 秒");
      expect(formatCountdown(0)).toBe("期限切れ");
      expect(progressLine({ kind: "fetching", profile: "dev" } as Progress)).toBe("dev の認証情報を取得しています…");
    } finally {
      setLang("en");
    }
  });
});

describe("providerLabel", () => {
  it("words each provider's button as its guidelines do, in the window's language", () => {
    setLang("en");
    expect(providerLabel("Google")).toBe("Sign in with Google");
    expect(providerLabel("Facebook")).toBe("Continue with Facebook");
    expect(providerLabel("LoginWithAmazon")).toBe("Login with Amazon");
    expect(providerLabel("SignInWithApple")).toBe("Sign in with Apple");
    expect(providerLabel("COGNITO")).toBe("Sign in with your pool account");
    setLang("ja");
    expect(providerLabel("Google")).toBe("Google でログイン");
    expect(providerLabel("SignInWithApple")).toBe("Appleでサインイン");
    setLang("en");
  });

  it("names a SAML or OIDC provider by the administrator's name for it", () => {
    setLang("en");
    expect(providerLabel("AcmeOkta")).toBe("Sign in with AcmeOkta");
    setLang("ja");
    expect(providerLabel("AcmeOkta")).toBe("AcmeOkta でサインイン");
    setLang("en");
  });
});

describe("signOutNotes", () => {
  const base = {
    connection: "work",
    revocation: "revoked" as const,
    removedProfiles: ["dev"],
    keptProfiles: [],
    browser: "ended" as const,
  };

  it("words each fact of a sign-out in the window's language", () => {
    setLang("en");
    expect(signOutNotes(base)).toEqual([
      "The saved sign-in was revoked at the sign-in service.",
      "Removed profiles: dev.",
      "The browser's sign-in session was ended.",
    ]);
    setLang("ja");
    const ja = signOutNotes({ ...base, keptProfiles: ["ops"], browser: "may_be_open", browserReason: "timeout" });
    expect(ja).toEqual([
      "保存されたサインインをサインインサービスで無効にしました。",
      "削除したプロファイル: dev。",
      "残したプロファイル: ops (認証情報は期限が切れるまで使えます。必要なら一覧から削除してください)。",
      "ブラウザーのサインインセッションがまだ開いているかもしれません (timeout)。そのブラウザーでの次のサインインではパスワードを求められないことがあります。",
    ]);
    setLang("en");
  });

  it("shows a failed revocation from its code and facts", () => {
    setLang("ja");
    const notes = signOutNotes({
      ...base,
      revocation: "failed",
      revocationError: { code: "revoke_failed", message: "English", facts: { url: "https://x", reason: "503" } },
      removedProfiles: [],
      browser: "not_needed",
    });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^https:\/\/x のサインインサービスは.*\(503\)/);
    setLang("en");
  });
});

describe("the import preview is worded in the window's language", () => {
  it("words concerns, changes and the origin, once per address", async () => {
    const { importWarnings, importChanges, importOrigin } = await import("./logic");
    const { t } = await import("./i18n");
    const other = { service: "hostedUi" as const, url: "https://login.acme.example", host: "login.acme.example", kind: "other" as const, concern: "notAws" as const };
    const sts = { service: "sts" as const, url: "https://sts.x.s3.amazonaws.com", host: "sts.x.s3.amazonaws.com", kind: "aws" as const, concern: "unexpectedAws" as const };
    const fine = { service: "issuer" as const, url: "https://cognito-idp.us-east-1.amazonaws.com", host: "cognito-idp.us-east-1.amazonaws.com", kind: "aws" as const };
    setLang("en");
    const en = importWarnings([other, { ...other, connection: "b" }, sts, fine], t);
    expect(en).toHaveLength(2);
    expect(en[0]).toMatch(/^Sign-in would go to login\.acme\.example, which is not an AWS domain/);
    expect(en[1]).toMatch(/^The AWS STS would be sts\.x\.s3\.amazonaws\.com: an AWS domain/);
    expect(importChanges({ added: ["a"], removed: [], changed: ["b", "c"], sameText: false }, t)).toEqual([
      "Added: a.",
      "Changed: b, c.",
    ]);
    expect(importOrigin({ kind: "link", label: "Acme" }, t)).toMatch(/labelled "Acme"/);
    expect(importOrigin({ kind: "file", path: "/x/c.toml" }, t)).toBe("/x/c.toml");
    setLang("ja");
    try {
      const ja = importWarnings([other, sts], t);
      expect(ja[0]).toContain("AWS のドメインではない login.acme.example");
      for (const line of [...ja, ...importChanges({ added: ["a"], removed: ["b"], changed: [], sameText: true, unreadable: "EACCES" }, t), importOrigin({ kind: "link" }, t)]) {
        // Nothing English but names, hosts and product names.
        expect(line.replace(/AWS|STS|S3|API Gateway|Cognito|http|poolpass|EACCES|[a-z.]+\.example|sts\.x\.s3\.amazonaws\.com/g, "")).not.toMatch(/[A-Za-z]{3,}/);
      }
    } finally {
      setLang("en");
    }
  });
});
