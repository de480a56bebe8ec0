// What the window decides without the DOM: countdowns, statuses, and what to do about an error.
// Kept pure so Vitest checks it directly.

import type { ExportFormat } from "./bindings/ExportFormat";
import type { IpcError } from "./bindings/IpcError";
import type { Endpoint } from "./bindings/Endpoint";
import type { ImportChanges } from "./bindings/ImportChanges";
import type { ImportOrigin } from "./bindings/ImportOrigin";
import type { ServiceView } from "./bindings/ServiceView";
import type { Progress } from "./bindings/Progress";
import type { PreviewPool } from "./bindings/PreviewPool";
import type { SignOutResult } from "./bindings/SignOutResult";
import { t, type Key, errorText, warningText } from "./i18n";

/** Matches the core's REFRESH_MARGIN: under this, AWS tools get a refresh before use. */
export const EXPIRING_MS = 5 * 60 * 1000;

export type Status = "fresh" | "expiring" | "expired" | "unknown";

/** Time left until `expiresAt` (RFC 3339), or NaN when the date cannot be read. */
export function msLeft(expiresAt: string, now: number): number {
  const t = Date.parse(expiresAt);
  return Number.isNaN(t) ? Number.NaN : t - now;
}

export function statusOf(expiresAt: string, now: number): Status {
  const left = msLeft(expiresAt, now);
  if (Number.isNaN(left)) return "unknown";
  if (left <= 0) return "expired";
  if (left < EXPIRING_MS) return "expiring";
  return "fresh";
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "1 h 05 min", "12 min 05 s", "45 s", "expired"; whole seconds, rounded down. */
export function formatCountdown(ms: number): string {
  if (Number.isNaN(ms)) return t("unknownExpiry");
  if (ms <= 0) return t("expired");
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return t("hoursMinutes", { h, m: pad(m) });
  if (m > 0) return t("minutesSeconds", { m, s: pad(sec) });
  return t("seconds", { s: sec });
}

/** Whatever `invoke` rejected with, as `{code, message}`. The shell always sends that shape;
 * anything else (a missing command, a bug) is "internal". */
export function toIpcError(e: unknown): IpcError {
  if (
    typeof e === "object" &&
    e !== null &&
    typeof (e as IpcError).code === "string" &&
    typeof (e as IpcError).message === "string"
  ) {
    const { code, message, key, facts } = e as IpcError;
    return {
      code,
      message,
      ...(typeof key === "string" ? { key } : {}),
      ...(facts && typeof facts === "object" ? { facts } : {}),
    };
  }
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}

/** What the window offers after an error, chosen by code, never by message text. */
export type Remedy = "none" | "signIn" | "configure" | "retry";

export interface ErrorView {
  /** `false`: say nothing (the user asked for it, e.g. a cancelled sign-in). */
  show: boolean;
  message: string;
  remedy: Remedy;
}

export function errorView(e: IpcError): ErrorView {
  switch (e.code) {
    case "cancelled":
      return { show: false, message: errorText(e), remedy: "none" };
    case "not_signed_in":
    case "sign_in_again":
    case "sign_in_timed_out":
    case "state_mismatch":
    case "missing_code":
    case "id_token_rejected":
      return { show: true, message: errorText(e), remedy: "signIn" };
    case "config_missing":
    case "config_invalid":
    case "unknown_connection":
    case "provider_not_offered":
      return { show: true, message: errorText(e), remedy: "configure" };
    case "import_preview_gone":
      return { show: true, message: t("importPreviewGone"), remedy: "none" };
    case "network":
    case "no_free_port":
    case "keychain":
      return { show: true, message: errorText(e), remedy: "retry" };
    default:
      return { show: true, message: errorText(e), remedy: "none" };
  }
}

/** The link to copy, once the core has made it. */
export function signInLink(p: Progress): string | null {
  return p.kind === "browserOpened" || p.kind === "openLinkYourself" ? p.url : null;
}

/** One line for the waiting screen, or null for events it does not show. */
export function progressLine(p: Progress): string | null {
  switch (p.kind) {
    case "listening":
      return t("progListening");
    case "browserOpened":
      return t("progBrowserOpened");
    case "openLinkYourself":
      return p.reason ? t("progOpenLinkBecause", { reason: p.reason }) : t("progOpenLink");
    case "waiting":
      return t("progWaiting", { time: formatCountdown(p.timeoutSeconds * 1000) });
    case "callbackReceived":
      return t("progCallback");
    case "signedIn":
      return p.via ? t("progSignedInVia", { user: p.user, via: p.via }) : t("progSignedIn", { user: p.user });
    case "refreshedTokens":
      return t("progRenewed", { user: p.user });
    case "refreshedElsewhere":
      return t("progRenewedElsewhere", { connection: p.connection });
    case "keychainUnavailable":
      return t("progNotKept", { reason: p.reason });
    case "fetching":
      return t("progFetching", { profile: p.profile });
    case "profileWritten":
      return t("progWritten", { profile: p.profile.profile });
    case "tookOver":
      return t("progTookOver", { profile: p.profile, backup: p.backup });
    case "warning":
      return warningText(p);
    case "profileFailed":
      return `${p.profile}: ${errorText(p.error)}`;
    case "revoked":
      return t("progRevoked");
    case "revokeFailed":
      return errorText(p.error);
    case "profileRemoved":
      return t("progRemoved", { profile: p.profile });
    case "signedOut":
      return t("progSignedOut", { connection: p.connection });
  }
}

/** The copy formats a row offers; ids are what `copy_export` takes. */
export type { ExportFormat };

export const EXPORT_FORMATS = [
  { id: "env", label: "bash / zsh" },
  { id: "fish", label: "fish" },
  { id: "powershell", label: "PowerShell" },
  { id: "json", label: "JSON (credential_process)" },
] as const satisfies readonly { id: ExportFormat; label: string }[];

type T = (k: Key, v?: Record<string, string | number>) => string;

const SERVICE_KEYS: Record<ServiceView, Key> = {
  hostedUi: "serviceHostedUi",
  issuer: "serviceIssuer",
  cognitoIdentity: "serviceCognitoIdentity",
  cognitoIdp: "serviceCognitoIdp",
  sts: "serviceSts",
};

/** What an endpoint is for, with its connection when the configuration has several. */
export function serviceLabel(e: Pick<Endpoint, "service" | "connection">, t: T): string {
  const service = t(SERVICE_KEYS[e.service]);
  return e.connection ? t("serviceOf", { service, connection: e.connection }) : service;
}

/** What the user must check before importing, one line per address and concern. */
export function importWarnings(endpoints: Endpoint[], t: T): string[] {
  const out: string[] = [];
  for (const e of endpoints) {
    if (!e.concern) continue;
    const vars = { service: t(SERVICE_KEYS[e.service]), host: e.host };
    const line =
      e.concern === "plainHttp"
        ? t("concernPlainHttp", vars)
        : e.concern === "unexpectedAws"
          ? t("concernUnexpectedAws", vars)
          : e.service === "hostedUi"
            ? t("concernNotAwsHostedUi", vars)
            : e.service === "issuer"
              ? t("concernNotAwsIssuer", vars)
              : t("concernNotAws", vars);
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/** What an import does to the configuration already there. */
export function importChanges(c: ImportChanges, t: T): string[] {
  const out: string[] = [];
  if (c.added.length) out.push(t("importAdded", { names: c.added.join(", ") }));
  if (c.removed.length) out.push(t("importRemoved", { names: c.removed.join(", ") }));
  if (c.changed.length) out.push(t("importChanged", { names: c.changed.join(", ") }));
  if (c.sameText) out.push(t("importSame"));
  if (c.unreadable) out.push(t("importCurrentUnreadable", { reason: c.unreadable }));
  return out;
}

/** Where a configuration to import came from. */
export function importOrigin(o: ImportOrigin, t: T): string {
  if (o.kind === "file") return o.path;
  return o.label ? t("importOriginLinkLabelled", { label: o.label }) : t("importOriginLink");
}

/** What the import preview says about where an endpoint sends traffic. */
export function endpointNote(e: Endpoint, t: T): string {
  const what = serviceLabel(e, t);
  switch (e.kind) {
    case "aws":
      return `${what}: ${t("importAws")}`;
    case "loopback":
      return `${what}: ${t("importFlagLoopback", { host: e.host })}`;
    case "other":
      return `${what}: ${t("importFlagOther", { host: e.host })}`;
  }
}

/** "49152, 49153" → [49152, 49153]; "" → []; null when any entry is not a port (1–65535). */
export function parsePorts(text: string): number[] | null {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const ports = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  return ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535) ? ports : null;
}

const PROVIDER_LABELS: Record<string, Key> = {
  Google: "providerGoogle",
  Facebook: "providerFacebook",
  LoginWithAmazon: "providerAmazon",
  SignInWithApple: "providerApple",
  COGNITO: "providerCognito",
};

/** The words on a provider's button, in the window's language: the social providers' own
 * wording, and the administrator's name for a SAML or OIDC provider (its id). */
export function providerLabel(id: string): string {
  const key = PROVIDER_LABELS[id];
  return key ? t(key) : t("providerNamed", { name: id });
}

/** The profile name an import will write, with the parts only a sign-in knows said in words. */
export function previewProfile(pool: PreviewPool): string {
  const name = pool.profile
    .replaceAll("{role_name}", t("placeholderRoleName"))
    .replaceAll("{account_id}", t("placeholderAccountId"));
  return pool.perRole ? `${name} ${t("onePerRole")}` : name;
}

/** What a sign-out did, in the window's language, one note per fact. */
export function signOutNotes(r: SignOutResult): string[] {
  const notes: string[] = [];
  if (r.revocation === "revoked") notes.push(t("signOutRevoked"));
  else if (r.revocation === "nothing_to_revoke") notes.push(t("signOutNothingToRevoke"));
  else if (r.revocationError) notes.push(errorText(r.revocationError));
  if (r.removedProfiles.length) notes.push(t("signOutRemoved", { profiles: r.removedProfiles.join(", ") }));
  if (r.keptProfiles.length) notes.push(t("signOutKept", { profiles: r.keptProfiles.join(", ") }));
  if (r.browser === "ended") notes.push(t("signOutBrowserEnded"));
  else if (r.browser === "may_be_open") notes.push(t("signOutBrowserMayBeOpen", { reason: r.browserReason ?? "" }));
  return notes;
}
