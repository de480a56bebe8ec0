// What the window's buttons do: call the shell, apply the answer to the state (state.ts), and
// draw again. The drawing itself comes in through `Ui`, so the screens and dialogs can take
// these actions without importing them back.

import { api } from "./api";
import type { ImportSource } from "./bindings/ImportSource";
import { errorText, resolveLang, setLang, t, type LangChoice } from "./i18n";
import { parsePorts, toIpcError, type ExportFormat } from "./logic";
import * as state from "./state";
import type { Dialog, SignInAsk, View } from "./state";

export interface Ui {
  render(): void;
  openDialog(d: Dialog): void;
  closeDialog(): void;
}

/** The settings dialog's fields as typed, checked here before anything is saved. */
export interface SettingsForm {
  language: string;
  credentialsFile: string;
  configFile: string;
  ports: string;
  startAtLogin: boolean;
}

export function applyLanguage(choice: LangChoice): void {
  setLang(resolveLang(choice, navigator.languages ?? [navigator.language]));
}

export function makeActions(view: View, ui: Ui) {
  async function load(): Promise<void> {
    state.loaded(view, await api.appState().catch((e: unknown) => toIpcError(e)));
    ui.render();
  }

  async function signIn(ask: SignInAsk, takeOver: boolean, otherUser = false): Promise<void> {
    state.signInStarted(view, ask.connection, ask.label);
    ui.render();
    try {
      const r = await api.signIn({ connection: ask.connection, provider: ask.provider, takeOver, otherUser });
      state.signInDone(view, r);
    } catch (e) {
      const question = state.signInFailed(view, ask, toIpcError(e));
      if (question) ui.openDialog(question);
    }
    await load();
  }

  async function refresh(connection: string | null): Promise<void> {
    state.refreshStarted(view, connection);
    ui.render();
    try {
      const rows = connection ? await api.refreshConnection({ connection }) : await api.refreshAll();
      state.refreshDone(view, connection, rows);
    } catch (e) {
      state.refreshFailed(view, connection, toIpcError(e));
    }
    await load();
  }

  async function removeProfile(profile: string): Promise<void> {
    ui.closeDialog();
    state.begun(view);
    try {
      await api.removeProfile({ profile });
    } catch (e) {
      view.error = toIpcError(e);
    }
    await load();
  }

  async function copyExport(profile: string, format: ExportFormat): Promise<void> {
    state.begun(view);
    try {
      await api.copyExport({ profile, format });
      state.exportCopied(view, profile, format);
    } catch (e) {
      view.error = toIpcError(e);
    }
    ui.render();
  }

  function openSignOut(): void {
    const d = state.signOutDialog(view);
    if (d) ui.openDialog(d);
  }

  async function signOut(connection: string, removeProfiles: boolean): Promise<void> {
    ui.closeDialog();
    state.signOutStarted(view, connection);
    ui.render();
    try {
      state.signOutDone(view, connection, await api.signOut({ connection, removeProfiles }));
    } catch (e) {
      state.signOutFailed(view, toIpcError(e));
    }
    await load();
  }

  async function previewImport(source: ImportSource): Promise<void> {
    state.begun(view);
    try {
      ui.openDialog({ kind: "import", check: await api.importPreview({ source }) });
    } catch (e) {
      view.error = toIpcError(e);
      ui.render();
    }
  }

  async function chooseFile(): Promise<void> {
    try {
      const path = await api.pickConfigFile({ title: t("chooseFileTitle"), filter: t("chooseFileFilter") });
      if (path) await previewImport({ kind: "file", path });
    } catch (e) {
      view.error = toIpcError(e);
      ui.render();
    }
  }

  async function applyImport(token: number | null): Promise<void> {
    if (token === null) return;
    try {
      const path = await api.importApply({ token });
      ui.closeDialog();
      state.importApplied(view, path);
    } catch (e) {
      ui.closeDialog();
      view.error = toIpcError(e);
    }
    await load();
  }

  async function openSettings(): Promise<void> {
    try {
      ui.openDialog({ kind: "settings", settings: await api.settings(), note: null });
    } catch (e) {
      view.error = toIpcError(e);
      ui.render();
    }
  }

  async function saveSettings(form: SettingsForm): Promise<void> {
    const d = view.dialog;
    if (d?.kind !== "settings") return;
    const ports = parsePorts(form.ports.trim());
    if (ports === null) {
      ui.openDialog({ ...d, note: t("redirectPortsHint"), focus: "set-ports" });
      return;
    }
    try {
      const saved = await api.saveSettings({
        settings: {
          language: form.language as LangChoice,
          credentialsFile: form.credentialsFile.trim() || null,
          configFile: form.configFile.trim() || null,
          redirectPorts: ports.length ? ports : null,
          startAtLogin: form.startAtLogin,
        },
      });
      applyLanguage(saved.language);
      ui.openDialog({ kind: "settings", settings: saved, note: t("saved") });
    } catch (e) {
      ui.openDialog({ ...d, note: errorText(toIpcError(e)) });
    }
    await load();
  }

  /** False when this webview has no clipboard access: the caller then selects the link. */
  async function copyLink(): Promise<boolean> {
    if (!view.link) return true;
    try {
      await navigator.clipboard.writeText(view.link);
    } catch {
      return false;
    }
    view.copied = true;
    ui.render();
    return true;
  }

  /** Something the shell kept for the window: a link to import, or the tray's "Sign out…". */
  async function takePending(): Promise<void> {
    const p = await api.takePending().catch(() => null);
    if (!p) return;
    if (p.kind === "import") await previewImport({ kind: "link", link: p.link });
    else openSignOut();
  }

  function dismissError(): void {
    view.error = null;
    view.readError = null;
    ui.render();
  }

  return {
    load,
    signIn,
    cancelSignIn: () => void api.cancelSignIn().catch(() => undefined),
    refresh,
    removeProfile,
    copyExport,
    openSignOut,
    signOut,
    chooseFile,
    previewImport,
    applyImport,
    openSettings,
    saveSettings,
    copyLink,
    takePending,
    dismissError,
    openDialog: (d: Dialog) => ui.openDialog(d),
    closeDialog: () => ui.closeDialog(),
  };
}

export type Actions = ReturnType<typeof makeActions>;
