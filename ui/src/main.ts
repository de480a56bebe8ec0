// The window's start: one state (state.ts), the actions on it (actions.ts), and drawing it —
// the page from screens.ts, an open dialog from dialogs.ts in its own container — on each
// change; then the shell's events, dropped files, keys, and the first frames' timings.

import { getCurrentWindow } from "@tauri-apps/api/window";
import { getCurrentWebview } from "@tauri-apps/api/webview";

import { applyLanguage, makeActions } from "./actions";
import { api } from "./api";
import { renderDialog } from "./dialogs";
import { toIpcError } from "./logic";
import { screen, tick } from "./screens";
import { loaded, newView, progressed, type Dialog } from "./state";

const view = newView();
const root = document.getElementById("app") as HTMLElement;
const dialogRoot = document.getElementById("dialog") as HTMLElement;

function render(): void {
  // Drawing again replaces the buttons: keep keyboard focus on the same one.
  const focused = (document.activeElement as HTMLElement | null)?.id;
  root.replaceChildren(...screen(view, act));
  const again = focused ? document.getElementById(focused) : null;
  if (again) again.focus();
  else if (view.signingIn) document.getElementById("cancel")?.focus();
  tick(root);
}

function showDialog(d: Dialog | null): void {
  view.dialog = d;
  renderDialog(dialogRoot, view, act);
}

const act = makeActions(view, {
  render,
  openDialog: (d) => showDialog(d),
  closeDialog: () => showDialog(null),
});

void api.onProgress((batch) => {
  // One drawing per batch.
  if (progressed(view, batch)) render();
});
void api.onStateChanged(() => void act.load());
void api.onPending(() => void act.takePending());

// Files dropped on the window: the first one is previewed as a configuration.
void getCurrentWebview()
  .onDragDropEvent((e) => {
    const kind = e.payload.type;
    view.dropping = kind === "enter" || kind === "over";
    if (kind === "drop" && e.payload.paths.length) void act.previewImport({ kind: "file", path: e.payload.paths[0] });
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

setInterval(() => tick(root), 1000);

async function start(): Promise<void> {
  // The language and the state in one round trip's time, not two in a row; drawn once, in
  // the right language.
  const [settings, app] = await Promise.all([
    api.settings().catch(() => null),
    api.appState().catch((e: unknown) => toIpcError(e)),
  ]);
  applyLanguage(settings?.language ?? "auto");
  loaded(view, app);
  render();
  // The credentials (or the sign-in screen) are on screen once the second frame callback runs.
  requestAnimationFrame(() => requestAnimationFrame(() => void api.windowReady({ stage: "content" }).catch(() => undefined)));
  await act.takePending();
}
// The window's first frame (its static "Loading…"), before any call to the shell.
requestAnimationFrame(() => requestAnimationFrame(() => void api.windowReady({ stage: "first-paint" }).catch(() => undefined)));
void start();
