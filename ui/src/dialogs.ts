// The window's dialogs: remove a profile, take over profiles, another user, sign out, the
// import preview and settings. Each is a modal <dialog> in its own container, so drawing the
// page again does not disturb it; the browser traps focus in it and Escape closes it.

import type { Actions, SettingsForm } from "./actions";
import type { ImportCheck } from "./bindings/ImportCheck";
import type { SettingsView } from "./bindings/SettingsView";
import { h, when, type Child, type Props } from "./dom";
import { configReason, errorText, t, type Key } from "./i18n";
import { endpointNote, importChanges, importOrigin, importWarnings, previewProfile } from "./logic";
import type { Dialog, View } from "./state";

/** What the settings dialog's fields hold when Save is pressed. */
function settingsForm(): SettingsForm {
  const value = (id: string) => (document.getElementById(id) as HTMLInputElement | null)?.value ?? "";
  return {
    language: value("set-language"),
    credentialsFile: value("set-credentials"),
    configFile: value("set-config"),
    ports: value("set-ports"),
    startAtLogin: (document.getElementById("set-autostart") as HTMLInputElement | null)?.checked ?? false,
  };
}

/** A modal <dialog>: the browser traps focus in it and Escape closes it. */
export function renderDialog(dialogRoot: HTMLElement, view: View, act: Actions): void {
  const d = view.dialog;
  if (!d) {
    dialogRoot.replaceChildren();
    return;
  }
  const body = dialogBody(d, view, act);
  const dlg = h("dialog", { id: `dialog-${d.kind}`, "aria-labelledby": "dialog-title" }, ...body);
  dlg.addEventListener("cancel", (e) => {
    e.preventDefault();
    act.closeDialog();
  });
  dialogRoot.replaceChildren(dlg);
  dlg.showModal();
  // A field the last answer was about (ports that could not be read) takes focus first.
  const named = d.kind === "settings" && d.focus ? dlg.querySelector<HTMLElement>(`#${d.focus}`) : null;
  (named ?? dlg.querySelector<HTMLElement>("[autofocus]") ?? dlg.querySelector<HTMLElement>("button"))?.focus();
}

function dialogBody(d: Dialog, view: View, act: Actions): Child[] {
  const cancel = h("button", { id: "dialog-cancel", class: "quiet", onclick: () => act.closeDialog() }, t("cancel"));
  switch (d.kind) {
    case "remove":
      return [
        h("h2", { id: "dialog-title" }, t("removeConfirmTitle", { profile: d.profile })),
        h("p", {}, t("removeConfirmText")),
        h(
          "div",
          { class: "actions" },
          h("button", { id: "confirm-remove", onclick: () => void act.removeProfile(d.profile) }, t("remove")),
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
                act.closeDialog();
                void act.signIn(d, true);
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
                act.closeDialog();
                void act.signIn(d, false, true);
              },
            },
            t("otherUserConfirm", { now: d.now }),
          ),
          cancel,
        ),
      ];
    case "signOut":
      return signOutBody(view, d.connection, cancel, act);
    case "import":
      return importBody(d.check, cancel, act);
    case "settings":
      return settingsBody(d.settings, d.note, cancel, act);
  }
}

function signOutBody(view: View, connection: string, cancel: Node, act: Actions): Child[] {
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
              onchange: (e) => act.openDialog({ kind: "signOut", connection: (e.target as HTMLSelectElement).value }),
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
            void act.signOut(connection, remove);
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

function importBody(check: ImportCheck, cancel: Node, act: Actions): Child[] {
  if (check.error) {
    const e = check.error;
    return [
      h("h2", { id: "dialog-title", ...READ_FIRST }, t("importInvalid")),
      h("p", {}, t("importFrom", { origin: importOrigin(check.origin, t) })),
      h("p", { role: "alert", class: "error-text" }, errorText(e)),
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
                      `     ↑ ${t("importAtLine", { line: n })}${e.field ? `, ${t("importField", { field: e.field })}` : ""}: ${configReason(e.facts) ?? e.reason}\n`,
                    )
                  : null,
              );
            }),
          )
        : null,
      e.hidden ? h("p", { class: "note", id: "import-hidden" }, t("importHidden", { n: e.hidden })) : null,
      h("div", { class: "actions" }, h("button", { id: "dialog-close", onclick: () => act.closeDialog() }, t("close"))),
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
      h("button", { id: "confirm-import", onclick: () => void act.applyImport(check.token) }, t("importApply")),
      cancel,
    ),
  ];
}

function settingsBody(s: SettingsView, note: string | null, cancel: Node, act: Actions): Child[] {
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
    h("div", { class: "actions" }, h("button", { id: "save-settings", onclick: () => void act.saveSettings(settingsForm()) }, t("save")), cancel),
  ];
}
