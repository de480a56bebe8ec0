// The window's screens: the heading, an error, no or a broken configuration, the sign-in
// buttons, waiting for the browser, and the credentials list with its per-row actions. They
// read the state and hand every click to an action; nothing here calls the shell.

import type { AppState } from "./bindings/AppState";
import type { IpcError } from "./bindings/IpcError";
import type { ProfileView } from "./bindings/ProfileView";
import type { Actions } from "./actions";
import { h, when } from "./dom";
import { errorText, t, type Key } from "./i18n";
import { EXPORT_FORMATS, errorView, formatCountdown, msLeft, providerLabel, statusOf, type ExportFormat } from "./logic";
import { shownError, type View } from "./state";

/** Without clipboard access the link is selected, so Ctrl+C copies it. */
function selectLink(): void {
  const input = document.getElementById("link") as HTMLInputElement | null;
  input?.focus();
  input?.select();
}

export function screen(view: View, act: Actions): Node[] {
  const app = view.app;
  if (!app) {
    // The state could not be read at all: say why, with "Try again", not "Loading…" forever.
    const shown = shownError(view);
    const problem = shown ? errorBox(shown, act) : null;
    return problem ? [h("h1", {}, "PoolPass"), problem, h("button", { id: "reload", onclick: () => void act.load() }, t("tryAgain"))] : [h("p", {}, t("loading"))];
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
          ? h("button", { id: "open-signout", class: "quiet", onclick: () => act.openSignOut() }, t("signOut"))
          : null,
        h("button", { id: "open-settings", class: "quiet", onclick: () => act.openSettings() }, t("settings")),
      ),
    ),
  ];
  const shown = shownError(view);
  const problem = shown ? errorBox(shown, act) : null;
  if (problem) out.push(problem);
  if (!app.config.present) out.push(noConfig(app.config.path, act));
  else if (app.config.error) out.push(badConfig(app.config.error, act));
  else if (view.signingIn) out.push(waiting(view, act));
  else out.push(...signInButtons(app, act));
  if (view.warnings.length)
    out.push(
      h(
        "section",
        { class: "panel warn", "aria-label": t("warnings") },
        h("ul", {}, ...view.warnings.map((w) => h("li", {}, w))),
      ),
    );
  out.push(credentials(view, app.profiles, act));
  if (view.dropping) out.push(h("div", { class: "drop" }, t("dropHint")));
  return out;
}

function errorBox(e: IpcError, act: Actions): Node | null {
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
      ev.remedy === "retry" ? h("button", { id: "retry", onclick: () => void act.load() }, t("tryAgain")) : null,
      h("button", { id: "dismiss", onclick: () => act.dismissError() }, t("dismiss")),
    ),
  );
}

function noConfig(path: string, act: Actions): Node {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "noconf" },
    h("h2", { id: "noconf" }, t("noConfigTitle")),
    h("p", {}, t("noConfigText")),
    h("p", {}, t("savedAs"), " ", h("code", { class: "path" }, path)),
    h("button", { id: "choose-config", onclick: () => void act.chooseFile() }, t("chooseFile")),
  );
}

function badConfig(e: IpcError, act: Actions): Node {
  return h(
    "section",
    { class: "panel error", "aria-labelledby": "badconf" },
    h("h2", { id: "badconf" }, t("badConfigTitle")),
    h("p", {}, errorText(e)),
    h("p", {}, t("badConfigText")),
    h("button", { id: "choose-config", onclick: () => void act.chooseFile() }, t("chooseFile")),
  );
}

/** Each provider's mark beside its name, as the providers' button guidelines ask. */
function mark(id: string): Node | null {
  const known = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];
  if (!known.includes(id)) return null;
  return h("img", { class: "mark", src: `/marks/${id}.svg`, alt: "", width: "18", height: "18" });
}

function signInButtons(app: AppState, act: Actions): Node[] {
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
              onclick: () => void act.signIn({ connection: c.name, provider: p.id, label: providerLabel(p.id) }, false),
            },
            mark(p.id),
            providerLabel(p.id),
          ),
        ),
      ),
      h(
        "p",
        { class: "small" },
        h("button", { id: `import-${c.name}`, class: "link-button", onclick: () => void act.chooseFile() }, t("importOther")),
      ),
    ),
  );
}

function waiting(view: View, act: Actions): Node {
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
      h("button", { id: "cancel", onclick: () => act.cancelSignIn() }, t("cancel")),
      view.link
        ? h(
            "button",
            { id: "copy", onclick: () => void act.copyLink().then((ok) => ok || selectLink()) },
            view.copied ? t("copied") : t("copySignInLink"),
          )
        : null,
    ),
  );
}

function credentials(view: View, profiles: ProfileView[], act: Actions): Node {
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
            { id: "refresh", onclick: () => void act.refresh(null), ...when(view.refreshing.size > 0, { disabled: "" }) },
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
          h("tbody", {}, ...profiles.map((p) => row(view, p, act))),
        )
      : h("p", {}, t("noProfiles")),
  );
}

function row(view: View, p: ProfileView, act: Actions): Node {
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
      ? // The reason is in full in the notes above and the cell's title; here, its start.
        h("td", { class: "status failed", title: failed }, `${t("statusFailed")}: `, h("span", { class: "reason" }, failed))
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
            void act.copyExport(p.profile, (sel?.value ?? "env") as ExportFormat);
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
          onclick: () => void act.refresh(p.connection),
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
          onclick: () => act.openDialog({ kind: "remove", profile: p.profile }),
        },
        t("remove"),
      ),
      ),
    ),
  );
}

/** Updates only the countdown cells, once a second, so focus and selection stay put. */
export function tick(root: HTMLElement): void {
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
