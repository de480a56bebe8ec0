// The one place the window talks to the shell. The commands and their request and response
// types are generated from the shell's contract (src-tauri/src/contract/list.rs), so a renamed
// argument fails to compile here; every rejection arrives as an IpcError ({code, message}).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import { commands } from "./bindings/commands";
import type { Progress } from "./bindings/Progress";
import { toIpcError } from "./logic";

/** The names the shell emits under (`background::PROGRESS_EVENT`, `STATE_EVENT`, `PENDING_EVENT`). */
const PROGRESS_EVENT = "progress";
const STATE_EVENT = "state-changed";
const PENDING_EVENT = "pending";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const api = {
  // Notes on a few of them: `copyExport` puts the credentials straight on the clipboard in the
  // shell (the window never sees them); `pickConfigFile` resolves to null when the user
  // cancels; `importApply` saves exactly what the preview with that token showed and resolves
  // to where; `windowReady` gives the benchmark its start-up figures.
  ...commands(call),
  /** The shell sends progress in batches (a burst of events is one message). */
  onProgress: (f: (batch: Progress[]) => void): Promise<UnlistenFn> =>
    listen<Progress[]>(PROGRESS_EVENT, (e) => f(e.payload)),
  onStateChanged: (f: () => void): Promise<UnlistenFn> => listen(STATE_EVENT, () => f()),
  onPending: (f: () => void): Promise<UnlistenFn> => listen(PENDING_EVENT, () => f()),
};
