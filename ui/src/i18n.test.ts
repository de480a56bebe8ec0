import { describe, expect, it } from "vitest";

import { allKeys, resolveLang, setLang, t, translations } from "./i18n";

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
