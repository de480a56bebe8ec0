// The typed wrapper: each command reaches the shell under its name with its request.

import { afterEach, describe, expect, it } from "vitest";

// The mocks install themselves on `window`; Vitest runs in Node, where the global object
// stands in for it (set before the modules below load).
(globalThis as unknown as { window: typeof globalThis }).window = globalThis;

const { clearMocks, mockIPC } = await import("@tauri-apps/api/mocks");
const { emit } = await import("@tauri-apps/api/event");
const { api } = await import("./api");

afterEach(() => clearMocks());

describe("api", () => {
  it("calls the shell's commands by name with their arguments", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "cancel_sign_in" ? true : null;
    });
    await api.signIn({ connection: "acme", provider: "Google", takeOver: false, otherUser: false });
    await api.signIn({ connection: "acme", provider: "Google", takeOver: true, otherUser: false });
    await api.removeProfile({ profile: "acme-dev" });
    await api.copyExport({ profile: "acme-dev", format: "fish" });
    await api.importPreview({ source: { kind: "link", link: "poolpass://import?config=x" } });
    expect(await api.cancelSignIn()).toBe(true);
    expect(calls).toEqual([
      ["sign_in", { request: { connection: "acme", provider: "Google", takeOver: false, otherUser: false } }],
      ["sign_in", { request: { connection: "acme", provider: "Google", takeOver: true, otherUser: false } }],
      ["remove_profile", { request: { profile: "acme-dev" } }],
      ["copy_export", { request: { profile: "acme-dev", format: "fish" } }],
      ["import_preview", { request: { source: { kind: "link", link: "poolpass://import?config=x" } } }],
      ["cancel_sign_in", {}],
    ]);
  });

  it("rejects with the shell's {code, message}", async () => {
    mockIPC(() => {
      throw { code: "not_signed_in", message: "Not signed in to acme." };
    });
    await expect(api.refreshAll()).rejects.toEqual({
      code: "not_signed_in",
      message: "Not signed in to acme.",
    });
  });

  it("turns a rejection of another shape into code internal", async () => {
    mockIPC(() => Promise.reject("Command app_state not allowed"));
    await expect(api.appState()).rejects.toEqual({
      code: "internal",
      message: "Command app_state not allowed",
    });
  });

  it("delivers progress batches to the listener", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const seen: unknown[] = [];
    await api.onProgress((batch) => seen.push(batch));
    await emit("progress", [
      { kind: "listening", redirectUri: "http://localhost:1/callback" },
      { kind: "browserOpened", url: "https://h/oauth2/authorize" },
    ]);
    expect(seen).toEqual([
      [
        { kind: "listening", redirectUri: "http://localhost:1/callback" },
        { kind: "browserOpened", url: "https://h/oauth2/authorize" },
      ],
    ]);
  });
});
