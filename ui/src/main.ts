// The window: no configuration, sign-in buttons, waiting for the browser, and the credentials
// list. Plain DOM built with textContent (never innerHTML), re-rendered on each change.

import { api } from "./api";
import type { AppState } from "./bindings/AppState";
import type { ConnectionRefresh } from "./bindings/ConnectionRefresh";
import type { IpcError } from "./bindings/IpcError";
import type { ProfileView } from "./bindings/ProfileView";
import {
  errorView,
  formatCountdown,
  msLeft,
  progressLine,
  signInLink,
  statusOf,
  toIpcError,
} from "./logic";

interface View {
  app: AppState | null;
  signingIn: { connection: string; label: string } | null;
  link: string | null;
  copied: boolean;
  lines: string[];
  refreshing: boolean;
  notes: string[];
  error: IpcError | null;
}

const view: View = {
  app: null,
  signingIn: null,
  link: null,
  copied: false,
  lines: [],
  refreshing: false,
  notes: [],
  error: null,
};

const root = document.getElementById("app") as HTMLElement;

type Child = Node | string | null | false | undefined;

/** Attributes as strings, plus `onclick`. */
type Props = { [attr: string]: string | (() => void) | undefined };

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
  if (!app) return [h("p", {}, "Loading…")];
  const out: Node[] = [h("h1", {}, "PoolPass")];
  if (view.error) {
    const ev = errorView(view.error);
    if (ev.show) {
      out.push(
        h(
          "div",
          { class: "error", role: "alert" },
          h("p", {}, ev.message),
          h("p", { class: "code" }, `Error code: ${view.error.code}`),
          ev.remedy === "retry" || ev.remedy === "configure"
            ? h("button", { id: "retry", onclick: () => void load() }, "Try again")
            : null,
          h("button", { id: "dismiss", onclick: () => ((view.error = null), render()) }, "Dismiss"),
        ),
      );
    }
  }
  if (!app.config.present) out.push(noConfig(app.config.path));
  else if (app.config.error) out.push(badConfig(app.config.error));
  else if (view.signingIn) out.push(waiting());
  else out.push(...signInButtons(app));
  out.push(credentials(app.profiles));
  return out;
}

function noConfig(path: string): Node {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "noconf" },
    h("h2", { id: "noconf" }, "No configuration yet"),
    h(
      "p",
      {},
      "PoolPass needs the configuration file your administrator hands out. Save it as:",
    ),
    h("p", {}, h("code", { class: "path" }, path)),
    h("p", {}, "or start PoolPass with POOLPASS_CONFIG set to where you saved it, then reload."),
    h("button", { id: "reload", onclick: () => void load() }, "Reload"),
  );
}

function badConfig(e: IpcError): Node {
  return h(
    "section",
    { class: "panel error", "aria-labelledby": "badconf" },
    h("h2", { id: "badconf" }, "The configuration cannot be used"),
    h("p", {}, e.message),
    h("p", {}, "Ask your administrator for a corrected file, then reload."),
    h("button", { id: "reload", onclick: () => void load() }, "Reload"),
  );
}

function signInButtons(app: AppState): Node[] {
  return app.connections.map((c) =>
    h(
      "section",
      { class: "panel", "aria-label": `Sign in to ${c.name}` },
      h("h2", {}, app.connections.length > 1 ? `Sign in: ${c.name}` : "Sign in"),
      h(
        "div",
        { class: "providers" },
        ...c.providers.map((p) =>
          h(
            "button",
            {
              id: `signin-${c.name}-${p.id}`,
              class: "provider",
              onclick: () => void signIn(c.name, p.id, p.label),
            },
            p.label,
          ),
        ),
      ),
    ),
  );
}

function waiting(): Node {
  const s = view.signingIn;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "waiting", "aria-busy": "true" },
    h("h2", { id: "waiting" }, `${s?.label ?? "Signing in"}: waiting for your browser`),
    h("ul", { class: "lines" }, ...view.lines.map((l) => h("li", {}, l))),
    view.link
      ? h(
          "div",
          { class: "link" },
          h("label", { for: "link" }, "Sign-in link"),
          h("input", { id: "link", readonly: "", value: view.link }),
        )
      : null,
    h(
      "div",
      { class: "actions" },
      h("button", { id: "cancel", onclick: () => void api.cancelSignIn() }, "Cancel"),
      view.link
        ? h(
            "button",
            { id: "copy", onclick: () => void copyLink() },
            view.copied ? "Copied" : "Copy sign-in link",
          )
        : null,
    ),
  );
}

function credentials(profiles: ProfileView[]): Node {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "creds" },
    h(
      "div",
      { class: "heading" },
      h("h2", { id: "creds" }, "Credentials"),
      profiles.length
        ? h(
            "button",
            {
              id: "refresh",
              onclick: () => void refreshAll(),
              ...(view.refreshing ? { disabled: "" } : {}),
            },
            view.refreshing ? "Refreshing…" : "Refresh all",
          )
        : null,
    ),
    view.notes.length ? h("ul", { class: "notes" }, ...view.notes.map((n) => h("li", {}, n))) : null,
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
              ...["Profile", "Account", "Role", "Identity pool", "Expires in", "Status", ""].map(
                (t) => h("th", { scope: "col" }, t),
              ),
            ),
          ),
          h(
            "tbody",
            {},
            ...profiles.map((p) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, p.profile),
                h("td", {}, p.accountId ?? "—"),
                h("td", { title: p.roleArn ?? "" }, p.roleName ?? "—"),
                h("td", { class: "pool" }, p.identityPoolId),
                h("td", { "data-countdown": p.expiresAt }),
                h("td", { "data-status": p.expiresAt }),
                h(
                  "td",
                  {},
                  h(
                    "button",
                    {
                      id: `remove-${p.profile}`,
                      class: "quiet",
                      "aria-label": `Remove profile ${p.profile}`,
                      onclick: () => void removeProfile(p.profile),
                    },
                    "Remove",
                  ),
                ),
              ),
            ),
          ),
        )
      : h("p", {}, "No profiles yet: sign in to get credentials."),
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
    el.textContent = s;
    el.className = `status ${s}`;
  });
}

async function load(): Promise<void> {
  try {
    view.app = await api.appState();
    view.error = null;
  } catch (e) {
    view.error = toIpcError(e);
  }
  render();
}

async function signIn(connection: string, provider: string, label: string): Promise<void> {
  view.signingIn = { connection, label };
  view.link = null;
  view.copied = false;
  view.lines = [];
  view.error = null;
  render();
  try {
    const r = await api.signIn(connection, provider);
    view.notes = r.profiles
      .filter((p) => p.error)
      .map((p) => `${p.profile}: ${p.error?.message}`);
  } catch (e) {
    view.error = toIpcError(e);
  }
  view.signingIn = null;
  await load();
}

async function refreshAll(): Promise<void> {
  view.refreshing = true;
  view.notes = [];
  render();
  try {
    view.notes = refreshNotes(await api.refreshAll());
  } catch (e) {
    view.error = toIpcError(e);
  }
  view.refreshing = false;
  await load();
}

function refreshNotes(rows: ConnectionRefresh[]): string[] {
  return rows.flatMap((r) =>
    r.error
      ? [`${r.connection}: ${r.error.message}`]
      : r.profiles.map((p) =>
          p.error ? `${p.profile}: ${p.error.message}` : `${p.profile}: refreshed.`,
        ),
  );
}

async function removeProfile(profile: string): Promise<void> {
  try {
    await api.removeProfile(profile);
  } catch (e) {
    view.error = toIpcError(e);
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

void api.onProgress((p) => {
  const link = signInLink(p);
  if (link) view.link = link;
  const line = progressLine(p);
  if (line) view.lines.push(line);
  if (view.signingIn) render();
});
setInterval(tick, 1000);
void load();
