// The window's commands, each named once: what the window sends (a request type and its fields,
// camelCase in TypeScript) and what it gets back. Adding a command is a line here and its
// handler in `commands.rs`; everything else follows from this list:
// - build.rs: the permission manifest Tauri checks every call against;
// - `contract`: the request types, the handler list and the capability file;
// - `ui/src/bindings/commands.ts`: the typed wrapper the window calls.
//
// Plain `macro_rules!` so that build.rs can `include!` it without the crate. A command without a
// request takes no arguments.
macro_rules! window_commands {
    ($then:ident) => {
        $then! {
            app_state -> AppState;
            sign_in(SignInRequest {
                connection: String,
                provider: String,
                /// Only after the window asked the user (error `profile_not_owned`).
                take_over: bool,
                /// Only after the window asked the user (error `other_user`).
                other_user: bool,
            }) -> SignInResult;
            cancel_sign_in -> bool;
            refresh_all -> Vec<ConnectionRefresh>;
            refresh_connection(RefreshConnectionRequest { connection: String }) -> Vec<ConnectionRefresh>;
            remove_profile(RemoveProfileRequest { profile: String }) -> ();
            copy_export(CopyExportRequest { profile: String, format: ExportFormat }) -> ();
            take_pending -> Option<PendingView>;
            window_ready(WindowReadyRequest { stage: ReadyStage }) -> ();
            settings -> SettingsView;
            save_settings(SaveSettingsRequest { settings: SettingsInput }) -> SettingsView;
            pick_config_file(PickConfigFileRequest {
                /// In the window's language.
                title: String,
                filter: String,
            }) -> Option<String>;
            import_preview(ImportPreviewRequest { source: ImportSource }) -> ImportCheck;
            import_apply(ImportApplyRequest { token: u32 }) -> String;
            sign_out(SignOutRequest { connection: String, remove_profiles: bool }) -> SignOutResult;
        }
    };
}
