// Contrast of the window's colours, light and dark, read from style.css itself: WCAG 2.2's
// 4.5:1 for text (1.4.3) and 3:1 for what shows a control or focus (1.4.11). A colour
// changed in the stylesheet is judged here, not by eye.
/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

import css from "./style.css?raw";

type Rgb = [number, number, number];

function hex(value: string): Rgb {
  let h = value.trim().replace(/^#/, "");
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  if (!/^[0-9a-f]{6}$/i.test(h)) throw new Error(`not a #rgb/#rrggbb colour: ${value}`);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function ratio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `color-mix(in srgb, top P%, transparent)` drawn over `under`. */
function over(top: Rgb, share: number, under: Rgb): Rgb {
  return top.map((c, i) => Math.round(c * share + under[i] * (1 - share))) as Rgb;
}

/** The custom properties of the first rule whose text starts at `from`. */
function variables(from: number): Record<string, Rgb> {
  const start = css.indexOf("{", from);
  const body = css.slice(start + 1, css.indexOf("}", start));
  const out: Record<string, Rgb> = {};
  for (const m of body.matchAll(/--([\w-]+):\s*([^;]+);/g)) out[m[1]] = hex(m[2]);
  return out;
}

/** The declarations of `selector`'s rule, inside the dark media query or outside any. */
function rule(selector: string, dark: boolean): Record<string, string> {
  const media = "@media (prefers-color-scheme: dark)";
  const out: Record<string, string> = {};
  let at = 0;
  for (;;) {
    const i = css.indexOf(`${selector} {`, at);
    if (i < 0) break;
    at = i + 1;
    const lastMedia = css.lastIndexOf(media, i);
    // Inside a media block when the block opened after the last rule that closed it.
    const inDark = lastMedia >= 0 && css.slice(lastMedia, i).split("{").length - css.slice(lastMedia, i).split("}").length > 0;
    if (inDark !== dark) continue;
    const body = css.slice(css.indexOf("{", i) + 1, css.indexOf("}", i));
    for (const m of body.matchAll(/([\w-]+):\s*([^;]+);/g)) out[m[1]] = m[2].trim();
  }
  return out;
}

const light = variables(css.indexOf(":root"));
const dark = { ...light, ...variables(css.indexOf(":root", css.indexOf("@media (prefers-color-scheme: dark)"))) };

const TEXT = 4.5;
const NON_TEXT = 3;

describe.each([
  ["light", light, false],
  ["dark", dark, true],
] as const)("the %s theme", (_name, v, isDark) => {
  it("has readable text on every surface", () => {
    const surfaces = { bg: v.bg, panel: v.panel };
    for (const [surface, bg] of Object.entries(surfaces)) {
      for (const text of ["fg", "muted", "fresh", "expiring", "expired", "focus"]) {
        expect(ratio(v[text], bg), `--${text} on --${surface}`).toBeGreaterThanOrEqual(TEXT);
      }
    }
    expect(ratio(v["accent-fg"], v.accent), "button text on --accent").toBeGreaterThanOrEqual(TEXT);
    // The line at fault in an invalid configuration: tinted with --expired over the source's --bg.
    const badLine = over(v.expired, 0.18, v.bg);
    expect(ratio(v.fg, badLine), "the bad line's text").toBeGreaterThanOrEqual(TEXT);
    expect(ratio(v.expired, badLine), "the error under it").toBeGreaterThanOrEqual(TEXT);
  });

  it("shows fields, buttons and focus against their surroundings", () => {
    for (const bg of [v.bg, v.panel]) {
      expect(ratio(v.control, bg), "the edge of fields and quiet buttons").toBeGreaterThanOrEqual(NON_TEXT);
      expect(ratio(v.focus, bg), "the focus ring").toBeGreaterThanOrEqual(NON_TEXT);
      expect(ratio(v.accent, bg), "a filled button").toBeGreaterThanOrEqual(NON_TEXT);
    }
  });

  it("keeps the providers' buttons readable", () => {
    for (const provider of ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"]) {
      const own = { ...rule(`.provider-${provider}`, false), ...(isDark ? rule(`.provider-${provider}`, true) : {}) };
      expect(own.background, provider).toBeTruthy();
      expect(ratio(hex(own.color), hex(own.background)), `${provider}'s label`).toBeGreaterThanOrEqual(TEXT);
    }
  });
});
