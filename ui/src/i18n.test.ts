import { describe, expect, it } from "vitest";

import { allKeys, errorText, resolveLang, setLang, t, translations, wordedErrorCodes } from "./i18n";

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
    for (const code of wordedErrorCodes) {
      for (const lang of ["en", "ja"] as const) {
        const text = translations[lang][`error_${code}` as keyof typeof translations.en];
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

  it("fall back to the core's message without their facts, or for other codes", () => {
    expect(errorText({ code: "sign_in_again", message: "core text" })).toBe("core text");
    expect(errorText({ code: "sign_in_again", message: "core text", facts: { connection: "w" } })).toBe("core text");
    expect(errorText({ code: "network", message: "core text", facts: {} })).toBe("core text");
  });
});
