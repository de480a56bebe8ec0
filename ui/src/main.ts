// The window: import a configuration, sign-in buttons, waiting for the browser, the credentials
// list with its per-row actions, and the dialogs (confirmations, import preview, sign out,
// settings). Plain DOM built with textContent (never innerHTML), re-rendered on each change;
// an open dialog lives in its own container so re-rendering the page does not disturb it.

import { getCurrentWindow } from "@tauri-apps/api/window";
import { getCurrentWebview } from "@tauri-apps/api/webview";

import { api } from "./api";
import type { AppState } from "./bindings/AppState";
import type { ConnectionRefresh } from "./bindings/ConnectionRefresh";
import type { ImportCheck } from "./bindings/ImportCheck";
import type { ImportSource } from "./bindings/ImportSource";
import type { IpcError } from "./bindings/IpcError";
import type { ProfileView } from "./bindings/ProfileView";
import type { SettingsView } from "./bindings/SettingsView";
import { errorText, resolveLang, setLang, t, type Key, type LangChoice } from "./i18n";
import {
  EXPORT_FORMATS,
  endpointNote,
  importChanges,
  importOrigin,
  importWarnings,
  errorView,
  formatCountdown,
  msLeft,
  parsePorts,
  previewProfile,
  progressLine,
  providerLabel,
  signInLink,
  signOutNotes,
  statusOf,
  toIpcError,
  type ExportFormat,
} from "./logic";

type Dialog =
  | { kind: "remove"; profile: string }
  | { kind: "takeOver"; connection: string; provider: string; label: string; message: string }
  | { kind: "otherUser"; connection: string; provider: string; label: string; previous: string; now: string }
  | { kind: "signOut"; connection: string }
  | { kind: "import"; check: ImportCheck }
  | { kind: "settings"; settings: SettingsView; note: string | null };

interface View {
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
  error: IpcError | null;
  dialog: Dialog | null;
  dropping: boolean;
  /** The export format chosen per profile, kept when the list is drawn again (after a copy's note). */
  formats: Map<string, ExportFormat>;
}

const view: View = {
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
  dialog: null,
  dropping: false,
  formats: new Map(),
};

const root = document.getElementById("app") as HTMLElement;
const dialogRoot = document.getElementById("dialog") as HTMLElement;

type Child = Node | string | null | false | undefined;

/** Attributes as strings, plus `on…` handlers. */
type Props = { [attr: string]: string | ((e: Event) => void) | undefined };

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v !== undefined) el.setAttribute(k, v);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

const when = (cond: boolean, attrs: Props): Props => (cond ? attrs : {});

function render(): void {
  // Re-rendering replaces the buttons: keep keyboard focus on the same one.
  const focused = (document.activeElement as HTMLElement | null)?.id;
  root.replaceChildren(...screen());
  const again = focused ? document.getElementById(focused) : null;
  if (again) again.focus();
  else if (view.signingIn) document.getElementById("cancel")?.focus();
  tick();
}

function screen(): Node[] {
  const app = view.app;
  if (!app) {
    // The state could not be read at all: say why, with "Try again", not "Loading…" forever.
    const problem = view.error ? errorBox(view.error) : null;
    return problem ? [h("h1", {}, "PoolPass"), problem, h("button", { id: "reload", onclick: () => void load() }, t("tryAgain"))] : [h("p", {}, t("loading"))];
  }
  const out: Node[] = [
    h(
      "header",
      { class: "heading" },
      h("h1", {}, "PoolPass"),
      h(
        "div",
        { class: "actions" },
        app.config.present && !app.config.error && app.connections.length
          ? h("button", { id: "open-signout", class: "quiet", onclick: () => openSignOut() }, t("signOut"))
          : null,
        h("button", { id: "open-settings", class: "quiet", onclick: () => void openSettings() }, t("settings")),
      ),
    ),
  ];
  const problem = view.error ? errorBox(view.error) : null;
  if (problem) out.push(problem);
  if (!app.config.present) out.push(noConfig(app.config.path));
  else if (app.config.error) out.push(badConfig(app.config.error));
  else if (view.signingIn) out.push(waiting());
  else out.push(...signInButtons(app));
  if (view.warnings.length)
    out.push(
      h(
        "section",
        { class: "panel warn", "aria-label": t("warnings") },
        h("ul", {}, ...view.warnings.map((w) => h("li", {}, w))),
      ),
    );
  out.push(credentials(app.profiles));
  if (view.dropping) out.push(h("div", { class: "drop" }, t("dropHint")));
  return out;
}

function errorBox(e: IpcError): Node | null {
  const ev = errorView(e);
  if (!ev.show) return null;
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", {}, ev.message),
    h("p", { class: "code" }, t("errorCode", { code: e.code })),
    h(
      "div",
      { class: "actions" },
      ev.remedy === "retry" ? h("button", { id: "retry", onclick: () => void load() }, t("tryAgain")) : null,
      h("button", { id: "dismiss", onclick: () => ((view.error = null), render()) }, t("dismiss")),
    ),
  );
}

function noConfig(path: string): Node {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "noconf" },
    h("h2", { id: "noconf" }, t("noConfigTitle")),
    h("p", {}, t("noConfigText")),
    h("p", {}, t("savedAs"), " ", h("code", { class: "path" }, path)),
    h("button", { id: "choose-config", onclick: () => void chooseFile() }, t("chooseFile")),
  );
}

function badConfig(e: IpcError): Node {
  return h(
    "section",
    { class: "panel error", "aria-labelledby": "badconf" },
    h("h2", { id: "badconf" }, t("badConfigTitle")),
    h("p", {}, e.message),
    h("p", {}, t("badConfigText")),
    h("button", { id: "choose-config", onclick: () => void chooseFile() }, t("chooseFile")),
  );
}

/** Each provider's mark beside its name, as the providers' button guidelines ask. */
function mark(id: string): Node | null {
  const known = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];
  if (!known.includes(id)) return null;
  return h("img", { class: "mark", src: `/marks/${id}.svg`, alt: "", width: "18", height: "18" });
}

function signInButtons(app: AppState): Node[] {
  return app.connections.map((c) =>
    h(
      "section",
      { class: "panel", "aria-label": t("signInTo", { name: c.name }) },
      h("h2", {}, app.connections.length > 1 ? t("signInTo", { name: c.name }) : t("signIn")),
      h(
        "div",
        { class: "providers" },
        ...c.providers.map((p) =>
          h(
            "button",
            {
              id: `signin-${c.name}-${p.id}`,
              class: `provider provider-${p.id}`,
              onclick: () => void signIn(c.name, p.id, providerLabel(p.id), false),
            },
            mark(p.id),
            providerLabel(p.id),
          ),
        ),
      ),
      h(
        "p",
        { class: "small" },
        h("button", { id: `import-${c.name}`, class: "link-button", onclick: () => void chooseFile() }, t("importOther")),
      ),
    ),
  );
}

function waiting(): Node {
  const s = view.signingIn;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "waiting", "aria-busy": "true" },
    h("h2", { id: "waiting" }, t("waitingFor", { label: s?.label ?? t("signingIn") })),
    h("ul", { class: "lines" }, ...view.lines.map((l) => h("li", {}, l))),
    view.link
      ? h(
          "div",
          { class: "link" },
          h("label", { for: "link" }, t("signInLink")),
          h("input", { id: "link", readonly: "", value: view.link }),
        )
      : null,
    h(
      "div",
      { class: "actions" },
      h("button", { id: "cancel", onclick: () => void api.cancelSignIn() }, t("cancel")),
      view.link
        ? h(
            "button",
            { id: "copy", onclick: () => void copyLink() },
            view.copied ? t("copied") : t("copySignInLink"),
          )
        : null,
    ),
  );
}

function credentials(profiles: ProfileView[]): Node {
  const all = view.refreshing.has("*");
  return h(
    "section",
    { class: "panel", "aria-labelledby": "creds" },
    h(
      "div",
      { class: "heading" },
      h("h2", { id: "creds" }, t("credentials")),
      profiles.length
        ? h(
            "button",
            { id: "refresh", onclick: () => void refresh(null), ...when(view.refreshing.size > 0, { disabled: "" }) },
            all ? t("refreshing") : t("refreshAll"),
          )
        : null,
    ),
    view.notes.length
      ? h("ul", { class: "notes", id: "notes" }, ...view.notes.map((n) => h("li", {}, n)))
      : null,
    profiles.length
      ? h(
          "table",
          {},
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...(["colProfile", "colAccount", "colRole", "colPool", "colExpires", "colStatus", "colActions"] as Key[]).map(
                (k) => h("th", { scope: "col" }, t(k)),
              ),
            ),
          ),
          h("tbody", {}, ...profiles.map(row)),
        )
      : h("p", {}, t("noProfiles")),
  );
}

function row(p: ProfileView): Node {
  const busy = view.refreshing.has("*") || view.refreshing.has(p.connection);
  const failed = view.failed.get(p.profile);
  const formatId = `format-${p.profile}`;
  return h(
    "tr",
    { "data-profile": p.profile, ...when(busy, { "aria-busy": "true" }) },
    h("th", { scope: "row" }, p.profile),
    h("td", { class: "account" }, p.accountId ?? "—"),
    h("td", { title: p.roleArn ?? "" }, p.roleName ?? "—"),
    h("td", { class: "pool" }, p.identityPoolId),
    h("td", { "data-countdown": p.expiresAt }),
    failed
      ? h("td", { class: "status failed", title: failed }, `${t("statusFailed")}: ${failed}`)
      : h("td", { "data-status": p.expiresAt }),
    h(
      "td",
      {},
      h(
      "div",
      { class: "row-actions" },
      h(
        "select",
        {
          id: formatId,
          "aria-label": t("copyAs", { profile: p.profile }),
          onchange: (e: Event) =>
            view.formats.set(p.profile, (e.target as HTMLSelectElement).value as ExportFormat),
        },
        ...EXPORT_FORMATS.map((f) =>
          h("option", { value: f.id, ...when(view.formats.get(p.profile) === f.id, { selected: "" }) }, f.label),
        ),
      ),
      h(
        "button",
        {
          id: `copy-${p.profile}`,
          class: "quiet",
          "aria-label": t("copyRow", { profile: p.profile }),
          onclick: () => {
            const sel = document.getElementById(formatId) as HTMLSelectElement | null;
            void copyExport(p.profile, (sel?.value ?? "env") as ExportFormat);
          },
        },
        t("copy"),
      ),
      h(
        "button",
        {
          id: `refresh-${p.profile}`,
          class: "quiet",
          "aria-label": t("refreshRow", { profile: p.profile }),
          onclick: () => void refresh(p.connection),
          ...when(view.refreshing.size > 0, { disabled: "" }),
        },
        busy ? t("refreshing") : t("refresh"),
      ),
      h(
        "button",
        {
          id: `remove-${p.profile}`,
          class: "quiet",
          "aria-label": t("removeRow", { profile: p.profile }),
          onclick: () => openDialog({ kind: "remove", profile: p.profile }),
        },
        t("remove"),
      ),
      ),
    ),
  );
}

/** Updates only the countdown cells, once a second, so focus and selection stay put. */
function tick(): void {
  const now = Date.now();
  root.querySelectorAll<HTMLElement>("[data-countdown]").forEach((el) => {
    el.textContent = formatCountdown(msLeft(el.dataset.countdown ?? "", now));
  });
  root.querySelectorAll<HTMLElement>("[data-status]").forEach((el) => {
    const s = statusOf(el.dataset.status ?? "", now);
    const label: Record<typeof s, Key> = {
      fresh: "statusFresh",
      expiring: "statusExpiring",
      expired: "statusExpired",
      unknown: "statusUnknown",
    };
    el.textContent = t(label[s]);
    el.className = `status ${s}`;
  });
}

// ---- dialogs -------------------------------------------------------------------------------

function openDialog(d: Dialog): void {
  view.dialog = d;
  renderDialog();
}

function closeDialog(): void {
  view.dialog = null;
  renderDialog();
}

/** A modal <dialog>: the browser traps focus in it and Escape closes it. */
function renderDialog(): void {
  const d = view.dialog;
  if (!d) {
    dialogRoot.replaceChildren();
    return;
  }
  const body = dialogBody(d);
  const dlg = h("dialog", { id: `dialog-${d.kind}`, "aria-labelledby": "dialog-title" }, ...body);
  dlg.addEventListener("cancel", (e) => {
    e.preventDefault();
    closeDialog();
  });
  dialogRoot.replaceChildren(dlg);
  dlg.showModal();
  (dlg.querySelector<HTMLElement>("[autofocus]") ?? dlg.querySelector<HTMLElement>("button"))?.focus();
}

function dialogBody(d: Dialog): Child[] {
  const cancel = h("button", { id: "dialog-cancel", class: "quiet", onclick: () => closeDialog() }, t("cancel"));
  switch (d.kind) {
    case "remove":
      return [
        h("h2", { id: "dialog-title" }, t("removeConfirmTitle", { profile: d.profile })),
        h("p", {}, t("removeConfirmText")),
        h(
          "div",
          { class: "actions" },
          h("button", { id: "confirm-remove", onclick: () => void removeProfile(d.profile) }, t("remove")),
          cancel,
        ),
      ];
    case "takeOver":
      return [
        h("h2", { id: "dialog-title" }, t("takeOverTitle")),
        h("p", {}, d.message),
        h("p", {}, t("takeOverText")),
        h(
          "div",
          { class: "actions" },
          h(
            "button",
            {
              id: "confirm-takeover",
              onclick: () => {
                closeDialog();
                void signIn(d.connection, d.provider, d.label, true);
              },
            },
            t("takeOver"),
          ),
          cancel,
        ),
      ];
    case "otherUser":
      return [
        h("h2", { id: "dialog-title" }, t("otherUserTitle")),
        h("p", {}, t("otherUserText", { previous: d.previous, now: d.now, connection: d.connection })),
        h("p", {}, t("otherUserWarning", { now: d.now })),
        h(
          "div",
          { class: "actions" },
          h(
            "button",
            {
              id: "confirm-other-user",
              onclick: () => {
                closeDialog();
                void signIn(d.connection, d.provider, d.label, false, true);
              },
            },
            t("otherUserConfirm", { now: d.now }),
          ),
          cancel,
        ),
      ];
    case "signOut":
      return signOutBody(d.connection, cancel);
    case "import":
      return importBody(d.check, cancel);
    case "settings":
      return settingsBody(d.settings, d.note, cancel);
  }
}

function signOutBody(connection: string, cancel: Node): Child[] {
  const names = view.app?.connections.map((c) => c.name) ?? [];
  return [
    h("h2", { id: "dialog-title" }, t("signOutTitle", { name: connection })),
    names.length > 1
      ? h(
          "p",
          {},
          h(
            "select",
            {
              id: "signout-connection",
              "aria-label": t("importConnections"),
              onchange: (e) => openDialog({ kind: "signOut", connection: (e.target as HTMLSelectElement).value }),
            },
            ...names.map((n) => h("option", { value: n, ...when(n === connection, { selected: "" }) }, n)),
          ),
        )
      : null,
    h("p", {}, t("signOutText")),
    h(
      "p",
      {},
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", id: "signout-remove" }),
        t("signOutRemove", { name: connection }),
      ),
    ),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          id: "confirm-signout",
          onclick: () => {
            const remove = (document.getElementById("signout-remove") as HTMLInputElement).checked;
            void signOut(connection, remove);
          },
        },
        t("signOutConfirm"),
      ),
      cancel,
    ),
  ];
}

/** A configuration is read from the top (where its warnings stand) before any button is
 * reached: the dialog opens on its title, so a stray Enter applies nothing, and Tab goes on to
 * the buttons. */
const READ_FIRST: Props = { tabindex: "-1", autofocus: "" };

function importBody(check: ImportCheck, cancel: Node): Child[] {
  if (check.error) {
    const e = check.error;
    return [
      h("h2", { id: "dialog-title", ...READ_FIRST }, t("importInvalid")),
      h("p", {}, t("importFrom", { origin: importOrigin(check.origin, t) })),
      h("p", { role: "alert", class: "error-text" }, e.message),
      e.lines.length
        ? h(
            "pre",
            { class: "source", id: "import-source" },
            ...e.lines.map((text, i) => {
              const n = e.firstLine + i;
              const bad = e.line === n;
              return h(
                "span",
                { class: bad ? "bad-line" : "line" },
                `${String(n).padStart(3)}  ${text}\n`,
                bad
                  ? h(
                      "span",
                      { class: "line-error", id: "import-error-at" },
                      `     ↑ ${t("importAtLine", { line: n })}${e.field ? `, ${t("importField", { field: e.field })}` : ""}: ${e.reason}\n`,
                    )
                  : null,
              );
            }),
          )
        : null,
      e.hidden ? h("p", { class: "note", id: "import-hidden" }, t("importHidden", { n: e.hidden })) : null,
      h("div", { class: "actions" }, h("button", { id: "dialog-close", onclick: () => closeDialog() }, t("close"))),
    ];
  }
  const p = check.preview;
  if (!p) return [cancel];
  return [
    h("h2", { id: "dialog-title", ...READ_FIRST }, t("importTitle")),
    h("p", {}, t("importFrom", { origin: importOrigin(check.origin, t) })),
    p.replaces ? h("p", { class: "warn-text" }, t("importReplaces"), ...importChanges(p.changes, t).map((c) => h("span", {}, ` ${c}`))) : null,
    // The core's warnings first (addresses outside AWS, plain http): what to check before using it.
    ...importWarnings(p.endpoints, t).map((w) => h("p", { class: "flag", role: "alert" }, w)),
    h("h3", {}, t("importConnections")),
    ...p.connections.map((c) =>
      h(
        "div",
        { class: "preview-conn" },
        h("h4", {}, c.name),
        h(
          "dl",
          {},
          h("dt", {}, t("hostedUi")),
          h("dd", {}, c.hostedUiDomain),
          h("dt", {}, t("userPool")),
          h("dd", {}, `${c.userPoolId} (${c.userPoolRegion})`),
          h("dt", {}, t("clientId")),
          h("dd", {}, c.clientId),
          h("dt", {}, t("providers")),
          h("dd", {}, c.providers.join(", ")),
        ),
        h(
          "table",
          { class: "pools" },
          h(
            "thead",
            {},
            h("tr", {}, ...(["pools", "region", "roles", "profileName"] as Key[]).map((k) => h("th", { scope: "col" }, t(k)))),
          ),
          h(
            "tbody",
            {},
            ...c.pools.map((pool) =>
              h(
                "tr",
                {},
                h("td", { class: "pool" }, pool.id),
                h("td", {}, pool.region),
                h("td", {}, pool.roles),
                h("td", {}, previewProfile(pool)),
              ),
            ),
          ),
        ),
      ),
    ),
    h("h3", {}, t("importEndpoints")),
    h(
      "ul",
      { class: "endpoints" },
      ...p.endpoints.map((e) =>
        h("li", { class: `endpoint ${e.kind}` }, h("code", {}, e.url), ` — ${endpointNote(e, t)}`),
      ),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { id: "confirm-import", onclick: () => void applyImport(check.token) }, t("importApply")),
      cancel,
    ),
  ];
}

function settingsBody(s: SettingsView, note: string | null, cancel: Node): Child[] {
  const file = (id: string, label: Key, value: string, env: string | null, effective: string) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, t(label)),
      h("input", {
        id,
        value,
        placeholder: effective,
        ...when(env !== null, { disabled: "" }),
        "aria-describedby": `${id}-hint`,
      }),
      h("p", { class: "small", id: `${id}-hint` }, env !== null ? `${effective} (${t("fromEnv", { var: env })})` : t("useDefault")),
    );
  return [
    h("h2", { id: "dialog-title" }, t("settingsTitle")),
    h(
      "div",
      { class: "field" },
      h("label", { for: "set-language" }, t("language")),
      h(
        "select",
        { id: "set-language" },
        ...([
          ["auto", t("langAuto")],
          ["en", "English"],
          ["ja", "日本語"],
        ] as const).map(([v, l]) => h("option", { value: v, ...when(s.language === v, { selected: "" }) }, l)),
      ),
    ),
    h("h3", {}, t("awsFiles")),
    file("set-credentials", "credentialsFile", s.credentialsFile ?? "", s.credentialsEnv, s.effectiveCredentialsFile),
    file("set-config", "configFile", s.configFile ?? "", s.configEnv, s.effectiveConfigFile),
    h(
      "div",
      { class: "field" },
      h("label", { for: "set-ports" }, t("redirectPorts")),
      h("input", { id: "set-ports", value: (s.redirectPorts ?? []).join(", "), "aria-describedby": "set-ports-hint" }),
      h("p", { class: "small", id: "set-ports-hint" }, t("redirectPortsHint")),
    ),
    h(
      "p",
      {},
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", id: "set-autostart", ...when(s.startAtLogin, { checked: "" }) }),
        t("startAtLogin"),
      ),
    ),
    note ? h("p", { role: "status", id: "settings-note" }, note) : null,
    h("div", { class: "actions" }, h("button", { id: "save-settings", onclick: () => void saveSettings() }, t("save")), cancel),
  ];
}

// ---- actions -------------------------------------------------------------------------------

async function load(): Promise<void> {
  try {
    view.app = await api.appState();
    view.error = null;
  } catch (e) {
    view.error = toIpcError(e);
  }
  render();
}

async function signIn(
  connection: string,
  provider: string,
  label: string,
  takeOver: boolean,
  otherUser = false,
): Promise<void> {
  view.signingIn = { connection, label };
  view.link = null;
  view.copied = false;
  view.lines = [];
  view.error = null;
  view.warnings = [];
  render();
  try {
    const r = await api.signIn({ connection, provider, takeOver, otherUser });
    view.notes = r.profiles.filter((p) => p.error).map((p) => `${p.profile}: ${p.error ? errorText(p.error) : ""}`);
    for (const p of r.profiles) {
      if (p.error) view.failed.set(p.profile, errorText(p.error));
      else view.failed.delete(p.profile);
    }
  } catch (e) {
    const err = toIpcError(e);
    if (err.code === "profile_not_owned") {
      // Nothing was opened or written yet: ask, then start again with the user's answer.
      openDialog({ kind: "takeOver", connection, provider, label, message: errorText(err) });
    } else if (err.code === "other_user" && err.facts?.previous && err.facts?.now) {
      // Nothing was written: ask, then sign in again with the user's answer.
      openDialog({ kind: "otherUser", connection, provider, label, previous: err.facts.previous, now: err.facts.now });
    } else view.error = err;
  }
  view.signingIn = null;
  await load();
}

/** `connection` null: every connection ("Refresh all"). */
async function refresh(connection: string | null): Promise<void> {
  view.refreshing.add(connection ?? "*");
  view.notes = [];
  render();
  try {
    const rows = connection ? await api.refreshConnection({ connection }) : await api.refreshAll();
    view.notes = refreshNotes(rows);
  } catch (e) {
    view.error = toIpcError(e);
  }
  view.refreshing.delete(connection ?? "*");
  await load();
}

function refreshNotes(rows: ConnectionRefresh[]): string[] {
  return rows.flatMap((r) => {
    if (r.error) return [`${r.connection}: ${errorText(r.error)}`];
    return r.profiles.map((p) => {
      if (p.error) {
        view.failed.set(p.profile, errorText(p.error));
        return `${p.profile}: ${errorText(p.error)}`;
      }
      view.failed.delete(p.profile);
      return t("refreshed", { profile: p.profile });
    });
  });
}

async function removeProfile(profile: string): Promise<void> {
  closeDialog();
  try {
    await api.removeProfile({ profile });
  } catch (e) {
    view.error = toIpcError(e);
  }
  await load();
}

async function copyExport(profile: string, format: ExportFormat): Promise<void> {
  try {
    await api.copyExport({ profile, format });
    const label = EXPORT_FORMATS.find((f) => f.id === format)?.label ?? format;
    view.notes = [t("copiedTo", { profile, format: label })];
  } catch (e) {
    view.error = toIpcError(e);
  }
  render();
}

function openSignOut(): void {
  const first = view.app?.connections[0]?.name;
  if (first) openDialog({ kind: "signOut", connection: first });
}

async function signOut(connection: string, removeProfiles: boolean): Promise<void> {
  closeDialog();
  // The browser is sent to the sign-in service's logout page: wait for it as a sign-in does.
  view.signingIn = { connection, label: t("signOutConfirm") };
  view.lines = [];
  view.link = null;
  view.error = null;
  render();
  try {
    const r = await api.signOut({ connection, removeProfiles });
    view.notes = [t("signedOut", { name: connection }), ...signOutNotes(r)];
  } catch (e) {
    view.error = toIpcError(e);
  }
  view.signingIn = null;
  await load();
}

async function chooseFile(): Promise<void> {
  try {
    const path = await api.pickConfigFile({ title: t("chooseFileTitle"), filter: t("chooseFileFilter") });
    if (path) await previewImport({ kind: "file", path });
  } catch (e) {
    view.error = toIpcError(e);
    render();
  }
}

async function previewImport(source: ImportSource): Promise<void> {
  try {
    openDialog({ kind: "import", check: await api.importPreview({ source }) });
  } catch (e) {
    view.error = toIpcError(e);
    render();
  }
}

async function applyImport(token: number | null): Promise<void> {
  if (token === null) return;
  try {
    const path = await api.importApply({ token });
    closeDialog();
    view.notes = [t("importApplied", { path })];
  } catch (e) {
    closeDialog();
    view.error = toIpcError(e);
  }
  await load();
}

async function openSettings(): Promise<void> {
  try {
    openDialog({ kind: "settings", settings: await api.settings(), note: null });
  } catch (e) {
    view.error = toIpcError(e);
    render();
  }
}

async function saveSettings(): Promise<void> {
  const value = (id: string) => (document.getElementById(id) as HTMLInputElement | null)?.value.trim() ?? "";
  const ports = parsePorts(value("set-ports"));
  const d = view.dialog;
  if (d?.kind !== "settings") return;
  if (ports === null) {
    openDialog({ ...d, note: t("redirectPortsHint") });
    document.getElementById("set-ports")?.focus();
    return;
  }
  try {
    const saved = await api.saveSettings({
      settings: {
      language: value("set-language") as LangChoice,
      credentialsFile: value("set-credentials") || null,
      configFile: value("set-config") || null,
      redirectPorts: ports.length ? ports : null,
      startAtLogin: (document.getElementById("set-autostart") as HTMLInputElement).checked,
      },
    });
    applyLanguage(saved.language);
    openDialog({ kind: "settings", settings: saved, note: t("saved") });
  } catch (e) {
    const err = toIpcError(e);
    openDialog({ ...d, note: errorText(err) });
  }
  await load();
}

async function copyLink(): Promise<void> {
  if (!view.link) return;
  try {
    await navigator.clipboard.writeText(view.link);
    view.copied = true;
  } catch {
    // No clipboard access in this webview: select the link so Ctrl+C copies it.
    const input = document.getElementById("link") as HTMLInputElement | null;
    input?.focus();
    input?.select();
    return;
  }
  render();
}

/** Something the shell kept for the window: a link to import, or the tray's "Sign out…". */
async function takePending(): Promise<void> {
  const p = await api.takePending().catch(() => null);
  if (!p) return;
  if (p.kind === "import") await previewImport({ kind: "link", link: p.link });
  else openSignOut();
}

function applyLanguage(choice: LangChoice): void {
  setLang(resolveLang(choice, navigator.languages ?? [navigator.language]));
}

// ---- start ---------------------------------------------------------------------------------

void api.onProgress((batch) => {
  for (const p of batch) {
    const link = signInLink(p);
    if (link) view.link = link;
    const line = progressLine(p);
    if (line) view.lines.push(line);
    if (p.kind === "warning" || p.kind === "tookOver" || p.kind === "keychainUnavailable") {
      if (line && !view.warnings.includes(line)) view.warnings.push(line);
    }
  }
  // One render per batch.
  if (view.signingIn || view.warnings.length) render();
});
void api.onStateChanged(() => void load());
void api.onPending(() => void takePending());

// Files dropped on the window: the first one is previewed as a configuration.
void getCurrentWebview()
  .onDragDropEvent((e) => {
    const kind = e.payload.type;
    view.dropping = kind === "enter" || kind === "over";
    if (kind === "drop" && e.payload.paths.length) void previewImport({ kind: "file", path: e.payload.paths[0] });
    render();
  })
  .catch(() => undefined);

document.addEventListener("keydown", (e) => {
  // Ctrl+W closes the window (PoolPass stays in the tray), as the close button does.
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "w") {
    e.preventDefault();
    void getCurrentWindow().close();
  }
});

setInterval(tick, 1000);

async function start(): Promise<void> {
  // The language and the state in one round trip's time, not two in a row; rendered once,
  // in the right language.
  const [settings, app] = await Promise.all([
    api.settings().catch(() => null),
    api.appState().catch((e: unknown) => toIpcError(e)),
  ]);
  applyLanguage(settings?.language ?? "auto");
  if ("config" in app) view.app = app;
  else view.error = app;
  render();
  // The credentials (or the sign-in screen) are on screen once the second frame callback runs.
  requestAnimationFrame(() => requestAnimationFrame(() => void api.windowReady({ stage: "content" }).catch(() => undefined)));
  await takePending();
}
// The window's first frame (its static "Loading…"), before any call to the shell.
requestAnimationFrame(() => requestAnimationFrame(() => void api.windowReady({ stage: "first-paint" }).catch(() => undefined)));
void start();
