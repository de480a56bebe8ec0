// The window's state and every change the shell's answers make to it. No DOM and no calls to
// the shell: actions.ts calls the shell and applies these, screens and dialogs only read the
// state, and Vitest checks each transition directly (state.test.ts).

import type { AppState } from "./bindings/AppState";
import type { ConnectionRefresh } from "./bindings/ConnectionRefresh";
import type { ImportCheck } from "./bindings/ImportCheck";
import type { IpcError } from "./bindings/IpcError";
import type { Progress } from "./bindings/Progress";
import type { ProfileResult } from "./bindings/ProfileResult";
import type { SettingsView } from "./bindings/SettingsView";
import type { SignInResult } from "./bindings/SignInResult";
import type { SignOutResult } from "./bindings/SignOutResult";
import { errorText, t } from "./i18n";
import { EXPORT_FORMATS, progressLine, signInLink, signOutNotes, type ExportFormat } from "./logic";

export type Dialog =
  | { kind: "remove"; profile: string }
  | { kind: "takeOver"; connection: string; provider: string; label: string; message: string }
  | { kind: "otherUser"; connection: string; provider: string; label: string; previous: string; now: string }
  | { kind: "signOut"; connection: string }
  | { kind: "import"; check: ImportCheck }
  | { kind: "settings"; settings: SettingsView; note: string | null; focus?: string };

/** What a sign-in button asks for: the same request again after a dialog's answer. */
export interface SignInAsk {
  connection: string;
  provider: string;
  label: string;
}

export interface View {
  app: AppState | null;
  signingIn: { connection: string; label: string } | null;
  link: string | null;
  copied: boolean;
  lines: string[];
  /** Connections being refreshed; "*" while "Refresh all" runs. */
  refreshing: Set<string>;
  notes: string[];
  warnings: string[];
  /** The reason a profile's last refresh failed, shown as its status. */
  failed: Map<string, string>;
  /** What the last action met, shown until the next action or Dismiss. */
  error: IpcError | null;
  /** Why the state could not be read, until it can again. Kept apart from `error`, so reading
   * the state after a failed action does not wipe out that action's error. */
  readError: IpcError | null;
  dialog: Dialog | null;
  dropping: boolean;
  /** The export format chosen per profile, kept when the list is drawn again (after a copy's note). */
  formats: Map<string, ExportFormat>;
}

export function newView(): View {
  return {
    app: null,
    signingIn: null,
    link: null,
    copied: false,
    lines: [],
    refreshing: new Set(),
    notes: [],
    warnings: [],
    failed: new Map(),
    error: null,
    readError: null,
    dialog: null,
    dropping: false,
    formats: new Map(),
  };
}

/** The state read again: it replaces what was there, and a read error is kept to be shown. */
export function loaded(v: View, app: AppState | IpcError): void {
  if ("config" in app) {
    v.app = app;
    v.readError = null;
  } else v.readError = app;
}

/** The error on screen: the last action's, else why the state could not be read. */
export function shownError(v: View): IpcError | null {
  return v.error ?? v.readError;
}

/** A new action starts: the last one's error goes. */
export function begun(v: View): void {
  v.error = null;
}

/** The waiting screen, cleared of the last attempt's lines, link and warnings. */
export function signInStarted(v: View, connection: string, label: string): void {
  v.signingIn = { connection, label };
  v.link = null;
  v.copied = false;
  v.lines = [];
  v.error = null;
  v.warnings = [];
}

/** One profile's outcome: a failure becomes its row's status and a note (returned); a success
 * clears the status and returns null. */
function outcome(v: View, p: ProfileResult): string | null {
  if (!p.error) {
    v.failed.delete(p.profile);
    return null;
  }
  const why = errorText(p.error);
  v.failed.set(p.profile, why);
  return `${p.profile}: ${why}`;
}

export function signInDone(v: View, r: SignInResult): void {
  v.notes = r.profiles.flatMap((p) => outcome(v, p) ?? []);
  v.signingIn = null;
}

/** A refused sign-in: a question for the user when nothing was written yet (someone else's
 * profiles, or another person than last time), otherwise the error. Returns the dialog to open. */
export function signInFailed(v: View, ask: SignInAsk, err: IpcError): Dialog | null {
  v.signingIn = null;
  if (err.code === "profile_not_owned") return { kind: "takeOver", ...ask, message: errorText(err) };
  if (err.code === "other_user" && err.facts?.previous && err.facts?.now)
    return { kind: "otherUser", ...ask, previous: err.facts.previous, now: err.facts.now };
  v.error = err;
  return null;
}

/** `connection` null: every connection ("Refresh all"). */
export function refreshStarted(v: View, connection: string | null): void {
  v.error = null;
  v.refreshing.add(connection ?? "*");
  v.notes = [];
}

export function refreshDone(v: View, connection: string | null, rows: ConnectionRefresh[]): void {
  v.refreshing.delete(connection ?? "*");
  v.notes = rows.flatMap((r) => {
    if (r.error) return [`${r.connection}: ${errorText(r.error)}`];
    return r.profiles.map((p) => outcome(v, p) ?? t("refreshed", { profile: p.profile }));
  });
}

export function refreshFailed(v: View, connection: string | null, err: IpcError): void {
  v.refreshing.delete(connection ?? "*");
  v.error = err;
}

/** Progress from the shell, in one batch. Returns whether anything on screen changed. */
export function progressed(v: View, batch: Progress[]): boolean {
  for (const p of batch) {
    const link = signInLink(p);
    if (link) v.link = link;
    const line = progressLine(p);
    if (line) v.lines.push(line);
    if (p.kind === "warning" || p.kind === "tookOver" || p.kind === "keychainUnavailable") {
      if (line && !v.warnings.includes(line)) v.warnings.push(line);
    }
  }
  return v.signingIn !== null || v.warnings.length > 0;
}

/** The browser is sent to the sign-in service's logout page: waited for as a sign-in is. */
export function signOutStarted(v: View, connection: string): void {
  v.signingIn = { connection, label: t("signOutConfirm") };
  v.lines = [];
  v.link = null;
  v.error = null;
}

export function signOutDone(v: View, connection: string, r: SignOutResult): void {
  v.signingIn = null;
  v.notes = [t("signedOut", { name: connection }), ...signOutNotes(r)];
  for (const p of [...v.failed.keys()]) {
    if (v.app?.profiles.some((row) => row.profile === p && row.connection === connection)) v.failed.delete(p);
  }
}

export function signOutFailed(v: View, err: IpcError): void {
  v.signingIn = null;
  v.error = err;
}

export function exportCopied(v: View, profile: string, format: ExportFormat): void {
  const label = EXPORT_FORMATS.find((f) => f.id === format)?.label ?? format;
  v.notes = [t("copiedTo", { profile, format: label })];
}

export function importApplied(v: View, path: string): void {
  v.notes = [t("importApplied", { path })];
}

/** The connection the sign-out dialog opens on: the first, or none when nothing is configured. */
export function signOutDialog(v: View): Dialog | null {
  const first = v.app?.connections[0]?.name;
  return first ? { kind: "signOut", connection: first } : null;
}
