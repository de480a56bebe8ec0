//! The window's command contract, all of it made from the one list in `list.rs`: a request type
//! per command (exported to TypeScript with ts-rs, like the responses), the handler Tauri
//! dispatches to, the capability file that grants exactly these commands, and the TypeScript
//! wrapper the window calls (`ui/src/bindings/commands.ts`). A field renamed in the list
//! changes the request type, so its handler in `commands.rs` and its callers in the window stop
//! compiling; the test `tests/bindings.rs` keeps the committed files equal to what this makes.
//!
//! Every command with a request takes it as one argument named `request`.

use std::collections::BTreeSet;

use serde::Deserialize;
use ts_rs::{Dependency, TypeVisitor, TS};

#[allow(unused_imports)] // the list names them
use crate::dto::{
    AppState, ConnectionRefresh, ExportFormat, ImportCheck, ImportSource, PendingView, ReadyStage,
    SettingsInput, SettingsView, SignInResult, SignOutResult,
};

include!("list.rs");

/// One command, as the TypeScript wrapper and the capability file need it.
pub struct Command {
    pub name: &'static str,
    /// The request's TypeScript type, when the command takes one.
    pub request: Option<String>,
    /// What the command resolves to, in TypeScript.
    pub response: String,
    /// The generated types the wrapper must import for this command.
    imports: Vec<Dependency>,
}

impl Command {
    fn new<Response: TS + 'static>(name: &'static str, request: Option<Types>) -> Command {
        let mut imports = Types::of::<Response>();
        let request = request.map(|r| {
            let name = r.0.first().map(|d| d.ts_name.clone()).unwrap_or_default();
            imports.0.extend(r.0);
            name
        });
        Command {
            name,
            request,
            response: Response::name(),
            imports: imports.0,
        }
    }

    /// The wrapper's name for it: `sign_in` is `signIn`.
    pub fn method(&self) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in self.name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The permission that grants it (`allow-sign-in`), as Tauri names those of app commands.
    pub fn permission(&self) -> String {
        format!("allow-{}", self.name.replace('_', "-"))
    }
}

/// The exported types a type is made of (itself first when it is one), for imports.
struct Types(Vec<Dependency>);

impl Types {
    fn of<T: TS + 'static + ?Sized>() -> Types {
        let mut t = Types(Vec::new());
        t.visit::<T>();
        t
    }
}

impl TypeVisitor for Types {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(d) = Dependency::from_ty::<T>() {
            self.0.push(d);
        }
        T::visit_generics(self);
    }
}

macro_rules! define_contract {
    ($(
        $name:ident $(( $req:ident { $( $(#[$doc:meta])* $field:ident : $fty:ty ),* $(,)? } ))? -> $resp:ty;
    )*) => {
        $($(
            #[doc = concat!(" What the window sends with `", stringify!($name), "`.")]
            #[derive(Debug, Clone, Deserialize, TS)]
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            pub struct $req {
                $( $(#[$doc])* pub $field: $fty, )*
            }
        )?)*

        /// Every command, in the list's order.
        pub fn commands() -> Vec<Command> {
            vec![$(
                Command::new::<$resp>(
                    stringify!($name),
                    None $( .or(Some(Types::of::<$req>())) )?,
                ),
            )*]
        }

        /// Writes every request type (and the types it uses) into `dir`.
        pub fn export_requests(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
            $($( <$req as TS>::export_all_to(dir)?; )?)*
            Ok(())
        }
    };
}

window_commands!(define_contract);

/// The handler Tauri dispatches the window's calls to: the list's commands, from `commands.rs`.
macro_rules! handler_of {
    ($(
        $name:ident $(( $req:ident { $( $(#[$doc:meta])* $field:ident : $fty:ty ),* $(,)? } ))? -> $resp:ty;
    )*) => {
        tauri::generate_handler![$(crate::commands::$name),*]
    };
}

/// The capability the main window runs with: its own commands, listening to their events, and
/// closing itself (to the tray); nothing else.
pub fn capability() -> serde_json::Value {
    let mut permissions: Vec<String> = commands().iter().map(Command::permission).collect();
    permissions.extend(
        [
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "core:window:allow-close",
        ]
        .map(String::from),
    );
    serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main",
        "description": "The main window: its own commands, listening to their events, and closing itself (to the tray); nothing else. Generated from src-tauri/src/contract/list.rs.",
        "local": true,
        "windows": ["main"],
        "permissions": permissions,
    })
}

/// `ui/src/bindings/commands.ts`: one typed function per command.
pub fn typescript() -> String {
    let commands = commands();
    let imports: BTreeSet<String> = commands
        .iter()
        .flat_map(|c| c.imports.iter().map(|d| d.ts_name.clone()))
        .collect();
    let mut out = String::from(
        "// Generated from src-tauri/src/contract/list.rs; do not edit.\n\
         // `UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings` rewrites it.\n\n",
    );
    for name in &imports {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str(
        "\n/** How a command reaches the shell (`api.ts` gives the real one, tests their own). */\n\
         export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** The shell's commands, each with its request and response types. */\n\
         export function commands(call: Call) {\n  return {\n",
    );
    for c in &commands {
        let (method, name, response) = (c.method(), c.name, &c.response);
        match &c.request {
            Some(request) => out.push_str(&format!(
                "    {method}: (request: {request}) => call<{response}>(\"{name}\", {{ request }}),\n"
            )),
            None => out.push_str(&format!(
                "    {method}: () => call<{response}>(\"{name}\"),\n"
            )),
        }
    }
    out.push_str("  };\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_command() {
        let c = commands();
        let sign_in = c.iter().find(|c| c.name == "sign_in").expect("sign_in");
        assert_eq!(sign_in.method(), "signIn");
        assert_eq!(sign_in.permission(), "allow-sign-in");
        assert_eq!(sign_in.request.as_deref(), Some("SignInRequest"));
        assert_eq!(sign_in.response, "SignInResult");
        let refresh = c
            .iter()
            .find(|c| c.name == "refresh_all")
            .expect("refresh_all");
        assert_eq!(refresh.request, None);
        assert_eq!(refresh.response, "Array<ConnectionRefresh>");
    }

    #[test]
    fn the_wrapper_imports_what_it_names() {
        let ts = typescript();
        for t in [
            "SignInRequest",
            "SignInResult",
            "ConnectionRefresh",
            "PendingView",
        ] {
            assert!(
                ts.contains(&format!("import type {{ {t} }} from \"./{t}\";")),
                "{t}: {ts}"
            );
        }
        assert!(!ts.contains("import type { String }"), "{ts}");
        assert!(ts.contains("removeProfile: (request: RemoveProfileRequest) => call<null>(\"remove_profile\", { request }),"), "{ts}");
    }
}
