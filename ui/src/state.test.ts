// Each transition of the window's state, as the shell's answers drive it.

import { afterEach, describe, expect, it } from "vitest";

import type { AppState } from "./bindings/AppState";
import type { IpcError } from "./bindings/IpcError";
import type { ProfileView } from "./bindings/ProfileView";
import { setLang } from "./i18n";
import {
  exportCopied,
  loaded,
  newView,
  progressed,
  refreshDone,
  refreshFailed,
  refreshStarted,
  shownError,
  signInDone,
  signInFailed,
  signInStarted,
  signOutDialog,
  signOutDone,
  signOutStarted,
} from "./state";

const profile = (name: string, connection = "work"): ProfileView => ({
  profile: name,
  connection,
  accountId: "111122223333",
  roleName: "Reader",
  roleArn: "arn:aws:iam::111122223333:role/Reader",
  identityPoolId: "eu-west-1:0000",
  expiresAt: "2026-01-01T13:00:00Z",
  user: "ana@example.com",
});

const app = (profiles: ProfileView[], connections = ["work"]): AppState => ({
  config: { path: "/c.toml", present: true, error: null },
  connections: connections.map((name) => ({ name, providers: [{ id: "Google" }] })),
  profiles,
});

const signInAgain: IpcError = {
  code: "sign_in_again",
  message: "core text",
  facts: { connection: "work", reason: "invalid_grant" },
};
const ask = { connection: "work", provider: "Google", label: "Google" };

afterEach(() => setLang("en"));

describe("sign-in", () => {
  it("starts on a clean waiting screen", () => {
    const v = newView();
    v.lines = ["old"];
    v.link = "https://old";
    v.copied = true;
    v.warnings = ["old warning"];
    v.error = signInAgain;
    signInStarted(v, "work", "Google");
    expect(v.signingIn).toEqual({ connection: "work", label: "Google" });
    expect([v.lines, v.link, v.copied, v.warnings, v.error]).toEqual([[], null, false, [], null]);
  });

  it("marks the rows that failed and clears those that were written", () => {
    const v = newView();
    v.failed.set("work-a", "earlier failure");
    signInStarted(v, "work", "Google");
    signInDone(v, {
      user: "ana",
      profiles: [
        { profile: "work-a", written: profile("work-a"), error: null },
        { profile: "work-b", written: null, error: signInAgain },
      ],
    });
    expect(v.signingIn).toBeNull();
    expect(v.failed.has("work-a")).toBe(false);
    expect(v.failed.get("work-b")).toContain("no longer valid");
    expect(v.notes).toEqual([`work-b: ${v.failed.get("work-b")}`]);
  });

  it("asks before taking over someone else's profile, with the same request to repeat", () => {
    const v = newView();
    signInStarted(v, "work", "Google");
    const d = signInFailed(v, ask, { code: "profile_not_owned", message: "m", facts: { profile: "p", path: "/x" } });
    expect(d).toMatchObject({ kind: "takeOver", connection: "work", provider: "Google", label: "Google" });
    expect(v.error).toBeNull();
    expect(v.signingIn).toBeNull();
  });

  it("asks when another person signed in, and shows the error when the facts are missing", () => {
    const v = newView();
    const d = signInFailed(v, ask, { code: "other_user", message: "m", facts: { previous: "ana", now: "bo" } });
    expect(d).toMatchObject({ kind: "otherUser", previous: "ana", now: "bo" });
    const none = signInFailed(v, ask, { code: "other_user", message: "m" });
    expect(none).toBeNull();
    expect(v.error?.code).toBe("other_user");
  });

  it("keeps a failed sign-in's error on screen after the state is read again", () => {
    const v = newView();
    signInFailed(v, ask, signInAgain);
    loaded(v, app([]));
    expect(shownError(v)).toBe(signInAgain);
  });
});

describe("reading the state", () => {
  it("shows why it could not be read until it can", () => {
    const v = newView();
    const broken = { code: "state_unreadable", message: "m" };
    loaded(v, broken);
    expect(v.app).toBeNull();
    expect(shownError(v)).toBe(broken);
    loaded(v, app([profile("work-a")]));
    expect(shownError(v)).toBeNull();
    expect(v.app?.profiles).toHaveLength(1);
  });
});

describe("refresh", () => {
  it("marks what runs, then notes each row and clears it", () => {
    const v = newView();
    v.error = signInAgain;
    v.notes = ["old"];
    refreshStarted(v, "work");
    expect([...v.refreshing]).toEqual(["work"]);
    expect(v.notes).toEqual([]);
    expect(v.error).toBeNull();
    v.failed.set("work-a", "earlier");
    refreshDone(v, "work", [
      {
        connection: "work",
        error: null,
        profiles: [
          { profile: "work-a", written: profile("work-a"), error: null },
          { profile: "work-b", written: null, error: signInAgain },
        ],
      },
    ]);
    expect(v.refreshing.size).toBe(0);
    expect(v.failed.has("work-a")).toBe(false);
    expect(v.notes[0]).toBe("work-a: refreshed.");
    expect(v.notes[1]).toMatch(/^work-b: The saved sign-in for work is no longer valid/);
  });

  it("'Refresh all' runs as '*', and a connection that failed is one note", () => {
    const v = newView();
    refreshStarted(v, null);
    expect(v.refreshing.has("*")).toBe(true);
    refreshDone(v, null, [{ connection: "home", error: signInAgain, profiles: [] }]);
    expect(v.refreshing.size).toBe(0);
    expect(v.notes).toHaveLength(1);
    expect(v.notes[0]).toMatch(/^home: /);
  });

  it("a refused call ends the refresh and shows its error", () => {
    const v = newView();
    refreshStarted(v, "work");
    refreshFailed(v, "work", signInAgain);
    expect(v.refreshing.size).toBe(0);
    expect(shownError(v)).toBe(signInAgain);
  });

  it("words its notes in the user's language", () => {
    setLang("ja");
    const v = newView();
    refreshDone(v, "work", [
      { connection: "work", error: null, profiles: [{ profile: "work-a", written: profile("work-a"), error: null }] },
    ]);
    expect(v.notes).toEqual(["work-a: 更新しました。"]);
  });
});

describe("progress", () => {
  it("takes the link, a line per step, and each warning once", () => {
    const v = newView();
    signInStarted(v, "work", "Google");
    const redraw = progressed(v, [
      { kind: "listening", redirectUri: "http://127.0.0.1:53682/" },
      { kind: "openLinkYourself", url: "https://auth.example/authorize", reason: null },
      { kind: "warning", code: "environment_keys", message: "core text", facts: {} },
      { kind: "warning", code: "environment_keys", message: "core text", facts: {} },
    ]);
    expect(redraw).toBe(true);
    expect(v.link).toBe("https://auth.example/authorize");
    expect(v.lines).toHaveLength(4);
    expect(v.warnings).toHaveLength(1);
  });

  it("asks for no drawing when nothing it shows changed", () => {
    const v = newView();
    expect(progressed(v, [{ kind: "callbackReceived" }])).toBe(false);
  });
});

describe("sign-out", () => {
  it("opens on the first connection, and not at all without one", () => {
    const v = newView();
    expect(signOutDialog(v)).toBeNull();
    v.app = app([], ["work", "home"]);
    expect(signOutDialog(v)).toEqual({ kind: "signOut", connection: "work" });
  });

  it("waits as a sign-in does, then notes what it did and forgets that connection's failures", () => {
    const v = newView();
    v.app = app([profile("work-a"), profile("home-a", "home")], ["work", "home"]);
    v.failed.set("work-a", "x");
    v.failed.set("home-a", "y");
    signOutStarted(v, "work");
    expect(v.signingIn?.connection).toBe("work");
    signOutDone(v, "work", {
      connection: "work",
      revocation: "revoked",
      removedProfiles: ["work-a"],
      keptProfiles: [],
      browser: "ended",
    });
    expect(v.signingIn).toBeNull();
    expect(v.notes[0]).toBe("Signed out of work.");
    expect(v.notes.length).toBeGreaterThan(2);
    expect([...v.failed.keys()]).toEqual(["home-a"]);
  });
});

describe("copy", () => {
  it("names the profile and the format's label, in the user's language", () => {
    const v = newView();
    exportCopied(v, "work-a", "fish");
    expect(v.notes[0]).toMatch(/^Credentials of work-a copied for fish\./);
    setLang("ja");
    exportCopied(v, "work-a", "fish");
    expect(v.notes[0]).not.toMatch(/Credentials/);
    expect(v.notes[0]).toContain("work-a");
  });
});
