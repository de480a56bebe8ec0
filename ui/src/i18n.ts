// The window's words in English and Japanese. The language follows the OS (navigator.language)
// unless the user picks one in Settings. Messages from the core (errors, warnings) arrive
// already written and are shown as they are; their `code` is what the window acts on.

export type Lang = "en" | "ja";
export type LangChoice = "auto" | Lang;

const en = {
  loading: "Loading…",
  tryAgain: "Try again",
  dismiss: "Dismiss",
  errorCode: "Error code: {code}",
  cancel: "Cancel",
  close: "Close",
  noConfigTitle: "No configuration yet",
  noConfigText:
    "PoolPass needs the configuration file your administrator hands out. Choose it, drop it on this window, or open the poolpass:// link you were sent.",
  chooseFile: "Choose configuration file…",
  chooseFileTitle: "Choose the PoolPass configuration from your administrator",
  chooseFileFilter: "PoolPass configuration",
  dropHint: "Drop a configuration file here",
  savedAs: "It will be saved as:",
  badConfigTitle: "The configuration cannot be used",
  badConfigText: "Import a corrected file from your administrator.",
  importOther: "Import another configuration…",
  signIn: "Sign in",
  signInTo: "Sign in: {name}",
  // The providers' own wording for their buttons, per language (their brand guidelines).
  providerGoogle: "Sign in with Google",
  providerFacebook: "Continue with Facebook",
  providerAmazon: "Login with Amazon",
  providerApple: "Sign in with Apple",
  providerCognito: "Sign in with your pool account",
  providerNamed: "Sign in with {name}",
  waitingFor: "{label}: waiting for your browser",
  signingIn: "Signing in",
  signInLink: "Sign-in link",
  copySignInLink: "Copy sign-in link",
  copied: "Copied",
  credentials: "Credentials",
  refreshAll: "Refresh all",
  refreshing: "Refreshing…",
  noProfiles: "No profiles yet: sign in to get credentials.",
  colProfile: "Profile",
  colAccount: "Account",
  colRole: "Role",
  colPool: "Identity pool",
  colExpires: "Expires in",
  colStatus: "Status",
  colActions: "Actions",
  refresh: "Refresh",
  refreshRow: "Refresh profile {profile}",
  copyAs: "Copy exports for {profile} as",
  copy: "Copy",
  copyRow: "Copy credentials of {profile}",
  copiedTo: "Credentials of {profile} copied for {format}. They are secret: paste them only into your own terminal.",
  remove: "Remove",
  removeRow: "Remove profile {profile}",
  removeConfirmTitle: "Remove profile {profile}?",
  removeConfirmText:
    "PoolPass deletes this profile from your AWS files. Other profiles are not touched; a backup of each file is kept.",
  refreshed: "{profile}: refreshed.",
  statusFresh: "fresh",
  statusExpiring: "expiring",
  statusExpired: "expired",
  statusUnknown: "unknown",
  statusFailed: "failed",
  takeOverTitle: "Replace a profile PoolPass did not write?",
  takeOverText:
    "A profile with this name is already in your AWS files and PoolPass did not write it. PoolPass can take it over: its current contents are saved in a backup first.",
  takeOver: "Take over and sign in",
  otherUserTitle: "Signed in as someone else",
  otherUserText: "You signed in to {connection} as {now}, but this computer last signed in there as {previous}.",
  otherUserWarning:
    "If you did not just sign in as {now} yourself, someone else may have answered the sign-in: cancel, and tell your administrator. Nothing was written.",
  otherUserConfirm: "Sign in again as {now}",
  signOut: "Sign out…",
  signOutTitle: "Sign out of {name}?",
  signOutText:
    "PoolPass revokes its stored sign-in, forgets it on this computer, and ends the browser session.",
  signOutRemove: "Also remove the profiles PoolPass wrote for {name}",
  signOutConfirm: "Sign out",
  signedOut: "Signed out of {name}.",
  settings: "Settings",
  settingsTitle: "Settings",
  language: "Language",
  langAuto: "Follow the system",
  awsFiles: "AWS files",
  credentialsFile: "Credentials file",
  configFile: "Config file",
  fromEnv: "set by {var}",
  useDefault: "Leave empty for the default",
  redirectPorts: "Sign-in ports (loopback)",
  redirectPortsHint:
    "Ports your browser returns to after sign-in, comma-separated. They must be allowed on the app client; leave empty to use your administrator's.",
  startAtLogin: "Start PoolPass at login (in the tray)",
  save: "Save",
  saved: "Settings saved.",
  importTitle: "Check this configuration before using it",
  importFrom: "From: {origin}",
  importReplaces: "It replaces your current configuration (a backup is kept).",
  importConnections: "Connections",
  importEndpoints: "Where sign-in and AWS calls go",
  importFlagOther:
    "Not an AWS address: {host}. Your sign-in would be sent there. Continue only if your administrator told you so.",
  importFlagLoopback: "This computer ({host}): a local test or demo set-up.",
  importAws: "AWS",
  importOriginLink: "a poolpass:// link",
  importOriginLinkLabelled:
    "a poolpass:// link labelled \"{label}\" (anyone can label a link: check the addresses below)",
  importAdded: "Added: {names}.",
  importRemoved: "Removed: {names}.",
  importChanged: "Changed: {names}.",
  importSame: "The same configuration is already in use.",
  importCurrentUnreadable: "The current file cannot be read ({reason}).",
  serviceHostedUi: "sign-in page (hosted UI)",
  serviceIssuer: "token issuer (signing keys)",
  serviceCognitoIdentity: "Cognito Identity (credentials)",
  serviceCognitoIdp: "Cognito user pools API",
  serviceSts: "AWS STS",
  serviceOf: "{service} ({connection})",
  concernPlainHttp:
    "The {service} would be reached at {host} over plain http, unencrypted: anyone on the network could read or change it. Do not import this; ask your administrator for an https address.",
  concernNotAwsHostedUi:
    "Sign-in would go to {host}, which is not an AWS domain. Companies can give the Cognito sign-in page their own domain: check with your administrator that {host} is theirs before entering a password there.",
  concernNotAwsIssuer:
    "Sign-in tokens would be checked with keys from {host}, which is not an AWS domain. Check with your administrator.",
  concernNotAws: "Requests to {service} would go to {host}, which is not an AWS domain. Check with your administrator.",
  concernUnexpectedAws:
    "The {service} would be {host}: an AWS domain, but not its usual address. Any AWS customer can serve pages under AWS domains (S3, API Gateway), so check this address with your administrator.",
  importApply: "Use this configuration",
  importApplied: "Configuration saved to {path}.",
  importInvalid: "This configuration cannot be used",
  importHidden: "Values that looked like secrets are hidden ({n} lines). Only the lines around the problem are shown.",
  importPreviewGone: "This preview is no longer the one to apply: another configuration was opened, or it was already saved. Open the configuration again to see what it holds.",
  importAtLine: "Line {line}",
  importField: "field {field}",
  hostedUi: "Sign-in page",
  userPool: "User pool",
  clientId: "App client",
  providers: "Sign-in options",
  pools: "Identity pools",
  region: "Region",
  roles: "Roles",
  profileName: "Profile",
  placeholderRoleName: "<role name>",
  placeholderAccountId: "<account id>",
  onePerRole: "(one per role you have)",
  closeToTray: "Close (PoolPass stays in the tray)",
  warnings: "Warnings",
  // The live countdown and the progress lines of a sign-in, refresh or sign-out.
  hoursMinutes: "{h} h {m} min",
  minutesSeconds: "{m} min {s} s",
  seconds: "{s} s",
  expired: "expired",
  unknownExpiry: "unknown",
  progListening: "Ready for the browser's reply.",
  progBrowserOpened: "Your browser opened the sign-in page. Finish signing in there.",
  progOpenLink: "Open the sign-in link in your browser.",
  progOpenLinkBecause: "Open the sign-in link in your browser (the browser could not be opened: {reason}).",
  progWaiting: "Waiting up to {time}.",
  progCallback: "Reply received; checking it.",
  progSignedIn: "Signed in as {user}.",
  progSignedInVia: "Signed in as {user} via {via}.",
  progRenewed: "Renewed the sign-in of {user}.",
  progRenewedElsewhere: "Another PoolPass process just renewed the sign-in of {connection}; using its result.",
  progNotKept: "The sign-in could not be kept for later refreshes: {reason}",
  progFetching: "Getting credentials for {profile}…",
  progWritten: "Wrote profile {profile}.",
  progTookOver: "Took over profile {profile} (old version saved in {backup}).",
  progRevoked: "Revoked the saved sign-in at the sign-in service.",
  progRemoved: "Removed profile {profile}.",
  progSignedOut: "Deleted the saved sign-in of {connection} from this computer.",
  // The core's errors the window words itself (by code, from their facts): the core's own
  // text names command-line steps, and is English only.
  error_not_signed_in: "Not signed in to {connection}. Sign in with one of its buttons first.",
  error_sign_in_again:
    "The saved sign-in for {connection} is no longer valid ({reason}). Your profiles were left as they were. Sign in again with one of its buttons.",
  error_profile_not_owned:
    "The profile {profile} already exists in {path} and PoolPass did not create it. PoolPass can take it over (the old section is backed up first); or leave it, and ask your administrator for another profile name.",
  error_not_poolpass_profile: "PoolPass did not write the profile {profile}, so it will not remove it.",
  error_keychain_locked:
    "The OS keychain is locked. Unlock it (on Linux: your keyring app, such as Passwords and Keys), then try again.",
  error_sign_out_keychain:
    "Cannot sign out of {connection}: the OS keychain, which holds its sign-in, is not available ({reason}). Unlock it (on Linux, start and unlock a Secret Service such as GNOME Keyring or KeePassXC), then sign out again.",
  error_sign_in_timed_out:
    "The sign-in did not finish within {seconds} s. Nothing was changed. If the browser showed an error such as \"redirect_mismatch\", ask your administrator to register this redirect URL on the app client: {redirect_uri}. Otherwise sign in again.",
  error_role_not_granted:
    "Identity pool {pool}: you do not have the role {role} (it is not among your groups' roles in the sign-in). Ask your administrator to add you to a group with this role.",
  // The identity pool's or STS's refusal: AWS's own words ({detail}, {code}), then what to do,
  // chosen by the core's reading of the code (`advice`).
  error_identity_pool_classic_with_role_mappings:
    "Identity pool {pool} refused: {detail} ({code}). This pool maps roles by rules or from the token, which the classic flow cannot use. Ask your administrator to remove flow = \"classic\" for this pool from the configuration, or to remove the pool's role mappings.",
  error_identity_pool_classic_disabled:
    "Identity pool {pool} refused: {detail} ({code}). The classic flow is switched off on this pool. Ask your administrator to allow it (AllowClassicFlow), or to remove flow = \"classic\" from the configuration.",
  error_identity_pool_refused:
    "Identity pool {pool} refused: {detail} ({code}). Refresh, or sign in again; if it goes on, the identity pool does not trust this user pool and app client: tell your administrator.",
  error_identity_pool_no_usable_role:
    "Identity pool {pool} refused: {detail} ({code}). The pool has no role it can give signed-in users. Your administrator must fix this: give them the pool id {pool}.",
  error_identity_pool_not_found:
    "Identity pool {pool} refused: {detail} ({code}). The pool, or your identity in it, does not exist. Ask your administrator to check the pool id and region in the configuration.",
  error_identity_pool_throttled:
    "Identity pool {pool}: AWS is limiting requests right now ({code}). Wait a minute and try again.",
  error_identity_pool_service_failed:
    "Identity pool {pool}: the service failed ({detail}). This usually passes: try again in a minute. If it goes on, ask your administrator to check the pool id and region.",
  error_identity_pool_bad_request:
    "Identity pool {pool} refused: {detail} ({code}). The request did not fit the pool's settings: tell your administrator.",
  error_identity_pool_role_not_trusted:
    "Identity pool {pool}: AWS STS refused the role {role}: {detail} ({code}). The role does not trust this identity pool, or not for your groups: tell your administrator.",
  error_identity_pool_session_too_long:
    "Identity pool {pool}: AWS STS refused: {detail} ({code}). The session asked for is longer than the role allows: ask your administrator to lower duration_seconds in the configuration, or to raise the role's maximum session duration.",
  error_identity_pool_sign_in_again: "Identity pool {pool} refused: {detail} ({code}). Sign in again.",
  error_identity_pool_unreadable:
    "Identity pool {pool}: the service answered something PoolPass cannot read ({detail}). Try again; if it goes on, tell your administrator.",
  error_identity_pool_other:
    "Identity pool {pool} refused: {detail} ({code}). Try again; if it goes on, tell your administrator.",
  // What was written may not be what AWS tools use, or others may read it.
  warning_readable_by_others:
    "{path} can be read by other users (mode {mode}), and it holds secret keys. Make it readable only by you (for example: chmod 600 {path}).",
  warning_environment_keys:
    "AWS_ACCESS_KEY_ID is set in PoolPass's environment: AWS tools started from it use those keys instead of the profiles PoolPass writes. Remove AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from your environment.",
  warning_default_not_selected:
    "AWS_PROFILE is set to {aws_profile}, so tools run without a profile use that one, not the default profile PoolPass wrote.",
  warning_link_in_shared_folder:
    "{path} is reached through the symbolic link {link} in {folder}, a folder other users can write: they could point the link at a file of their own and read the keys PoolPass writes. Use a path without that link, or keep the link in a folder only you can write.",
  warning_shadowed_in_config:
    "The profile {profile} in {path} has {key}, which makes AWS tools get credentials another way and ignore the keys PoolPass wrote. Remove that line, or ask your administrator for another profile name.",
  error_keychain:
    "The OS keychain is not available ({reason}). PoolPass keeps the saved sign-in only there. On Linux, install and unlock a Secret Service (GNOME Keyring or KeePassXC) and sign in again.",
  error_revoke_failed:
    "The sign-in service at {url} did not revoke the saved sign-in ({reason}). PoolPass deleted it from this computer anyway, so it cannot be used here again, but at the service it stays valid until it expires. If it may have been copied off this computer, ask your administrator to sign you out everywhere.",
  error_network:
    "Cannot reach {service} at {url} ({reason}). Check the network connection (and VPN or proxy), then try again.",
  error_bad_response: "{service} at {url} answered something PoolPass cannot read ({reason}).",
  service_hosted_ui: "the sign-in service",
  service_identity_pool: "the identity pool service",
  service_sts: "AWS STS",
  service_key_set: "the sign-in service's keys",
  service_other: "a service",
  error_token_refused:
    "The sign-in service at {url} refused: {error}{description}. Try again; if it persists, tell your administrator.",
  error_token_refused_sign_in_again:
    "The sign-in service at {url} no longer accepts the saved sign-in: {error}{description}. Sign in again.",
  error_token_refused_code:
    "The sign-in service at {url} refused the sign-in code: {error}{description}. The code was used or expired (codes live 5 minutes). Sign in again.",
  error_token_refused_client:
    "The sign-in service at {url} refused: {error}{description}. The app client or its allowed flows do not match the configuration: tell your administrator.",
  error_authorization_refused:
    "The sign-in was refused: {error}{description}. Nothing was changed. Try again in a moment; if it persists, tell your administrator.",
  error_authorization_denied:
    "The sign-in was refused: {error}{description}. Nothing was changed. Sign in again and accept the request, or ask your administrator for access.",
  error_busy:
    "{holder} has been busy with {what} for more than {seconds} s, so PoolPass stopped waiting. Nothing was changed. Try again in a minute; if this keeps happening, quit that process and try again.",
  busyHolder: "PoolPass (process {holder})",
  busyHolderUnknown: "Another PoolPass process",
  error_no_role_classic_needs_preferred_role:
    "Identity pool {pool}: this pool needs a role, and your sign-in names none (you are in no group with a role). Ask your administrator.",
  error_no_role_no_roles_in_sign_in:
    "Identity pool {pool}: your sign-in carries no roles (you are in no group with a role). Ask your administrator to add you to one.",
  error_no_role_two_roles_one_profile:
    "Identity pool {pool}: two of your roles would both be written to the profile {profile}. Ask your administrator to put the role name in the profile name.",
  error_no_role_profile_needs_role_name:
    "Identity pool {pool}: the profile name needs a role name, and your sign-in names no preferred role. Ask your administrator to fix the configuration.",
  error_no_role_not_looked_up:
    "Identity pool {pool}: no identity was looked up for this pool. This is a PoolPass bug: please report it.",
  error_profile_file: "Cannot update the AWS file {path} ({reason}). The file was left as it was.",
  error_state: "Cannot save PoolPass's own state in {path} ({reason}).",
  error_settings: "PoolPass's settings in {path} cannot be used ({reason}).",
  error_import_failed:
    "Cannot save the imported configuration as {path} ({reason}). Nothing was changed; fix this (permissions, disk space) and import again.",
  error_profile_name_unsafe:
    "The profile name {profile} cannot be written ({reason}). Nothing was written for it. Ask your administrator to change the profile name in the configuration.",
  error_id_token_rejected:
    "The sign-in from {issuer} was refused ({reason}). Nothing was changed. Sign in again; if this keeps happening, the configuration does not match the sign-in service (tell your administrator).",
  error_no_free_port:
    "Cannot listen for the sign-in reply: every redirect port is in use ({ports}). Close the program using them (often an earlier sign-in still waiting), or ask your administrator to register more ports.",
  error_browser_failed: "Cannot open the browser ({reason}). Open this link yourself to sign in: {url}",
  error_unknown_connection: "There is no connection named {name} in the configuration. Connections: {known}.",
  error_provider_not_offered: "The connection {connection} does not offer {provider}. It offers: {offered}.",
  error_cancelled: "The sign-in was cancelled. Nothing was changed.",
  error_state_mismatch:
    "The sign-in reply did not belong to the sign-in PoolPass started, so it was refused. Nothing was changed. Start the sign-in again, and only use the link PoolPass opened.",
  error_missing_code: "The sign-in reply carried no sign-in code. Nothing was changed. Start the sign-in again.",
  error_clipboard:
    "Could not put the credentials of {profile} on the clipboard ({reason}). Try again; the credentials are still shown in the list.",
  error_internal: "PoolPass hit an internal error ({reason}). Please try again, and report it if it persists.",
  error_autostart_unavailable: "Starting at login is not available in this build. The other settings are saved.",
  error_autostart_failed: "The other settings are saved, but starting at login could not be changed ({reason}).",
  error_import_preview_gone:
    "This preview is no longer the one to apply (another configuration was opened, or it was already saved). Open the configuration again to see what it holds.",
  signOutRevoked: "The saved sign-in was revoked at the sign-in service.",
  signOutNothingToRevoke: "There was no saved sign-in to revoke.",
  signOutRemoved: "Removed profiles: {profiles}.",
  signOutKept:
    "Kept profiles: {profiles} (their credentials work until they expire; remove them from the list if you wish).",
  signOutBrowserEnded: "The browser's sign-in session was ended.",
  signOutBrowserMayBeOpen:
    "The browser's sign-in session may still be open ({reason}): the next sign-in in that browser may not ask for a password.",
  error_sign_out_incomplete:
    "The sign-out of {connection} stopped part way. Done: {done}. Then this failed: {cause} Sign out again to finish; repeating it is safe.",
} as const;

export type Key = keyof typeof en;

const ja: Record<Key, string> = {
  loading: "読み込み中…",
  tryAgain: "再試行",
  dismiss: "閉じる",
  errorCode: "エラーコード: {code}",
  cancel: "キャンセル",
  close: "閉じる",
  noConfigTitle: "設定がまだありません",
  noConfigText:
    "管理者から配布された設定ファイルが必要です。ファイルを選ぶか、このウィンドウにドロップするか、届いた poolpass:// リンクを開いてください。",
  chooseFile: "設定ファイルを選択…",
  chooseFileTitle: "管理者から受け取った PoolPass の設定ファイルを選択",
  chooseFileFilter: "PoolPass の設定ファイル",
  dropHint: "ここに設定ファイルをドロップ",
  savedAs: "保存先:",
  badConfigTitle: "この設定は使用できません",
  badConfigText: "管理者から修正済みのファイルを受け取り、インポートしてください。",
  importOther: "別の設定をインポート…",
  signIn: "サインイン",
  signInTo: "サインイン: {name}",
  providerGoogle: "Google でログイン",
  providerFacebook: "Facebookで続ける",
  providerAmazon: "Amazonアカウントでログイン",
  providerApple: "Appleでサインイン",
  providerCognito: "ユーザープールのアカウントでサインイン",
  providerNamed: "{name} でサインイン",
  waitingFor: "{label}: ブラウザーでの操作を待っています",
  signingIn: "サインイン中",
  signInLink: "サインインのリンク",
  copySignInLink: "サインインのリンクをコピー",
  copied: "コピーしました",
  credentials: "認証情報",
  refreshAll: "すべて更新",
  refreshing: "更新中…",
  noProfiles: "プロファイルはまだありません。サインインすると認証情報を取得します。",
  colProfile: "プロファイル",
  colAccount: "アカウント",
  colRole: "ロール",
  colPool: "ID プール",
  colExpires: "残り時間",
  colStatus: "状態",
  colActions: "操作",
  refresh: "更新",
  refreshRow: "プロファイル {profile} を更新",
  copyAs: "{profile} のエクスポート形式",
  copy: "コピー",
  copyRow: "{profile} の認証情報をコピー",
  copiedTo:
    "{profile} の認証情報を {format} 形式でコピーしました。秘密情報です。自分のターミナルにだけ貼り付けてください。",
  remove: "削除",
  removeRow: "プロファイル {profile} を削除",
  removeConfirmTitle: "プロファイル {profile} を削除しますか?",
  removeConfirmText:
    "AWS のファイルからこのプロファイルを削除します。他のプロファイルは変更されず、各ファイルのバックアップが残ります。",
  refreshed: "{profile}: 更新しました。",
  statusFresh: "有効",
  statusExpiring: "まもなく期限切れ",
  statusExpired: "期限切れ",
  statusUnknown: "不明",
  statusFailed: "失敗",
  takeOverTitle: "PoolPass 以外が書いたプロファイルを置き換えますか?",
  takeOverText:
    "この名前のプロファイルは PoolPass 以外が書いたものです。置き換える前に、現在の内容をバックアップに保存します。",
  takeOver: "置き換えてサインイン",
  otherUserTitle: "別のユーザーとしてサインインしました",
  otherUserText: "{connection} に {now} としてサインインしましたが、このコンピューターで前回サインインしたのは {previous} です。",
  otherUserWarning:
    "いま {now} としてご自身でサインインしたのでなければ、別の誰かがサインインに応答した可能性があります。キャンセルして管理者に連絡してください。まだ何も書き込まれていません。",
  otherUserConfirm: "{now} としてもう一度サインイン",
  signOut: "サインアウト…",
  signOutTitle: "{name} からサインアウトしますか?",
  signOutText:
    "保存したサインインを失効させてこのコンピューターから削除し、ブラウザーのセッションも終了します。",
  signOutRemove: "{name} 用に書いたプロファイルも削除する",
  signOutConfirm: "サインアウト",
  signedOut: "{name} からサインアウトしました。",
  settings: "設定",
  settingsTitle: "設定",
  language: "言語",
  langAuto: "システムに従う",
  awsFiles: "AWS のファイル",
  credentialsFile: "認証情報ファイル",
  configFile: "設定ファイル",
  fromEnv: "{var} で指定",
  useDefault: "空欄なら既定の場所",
  redirectPorts: "サインイン用ポート (ループバック)",
  redirectPortsHint:
    "サインイン後にブラウザーが戻るポート (カンマ区切り)。アプリクライアントで許可されている必要があります。空欄なら管理者の設定を使います。",
  startAtLogin: "ログイン時に PoolPass を起動 (トレイ)",
  save: "保存",
  saved: "設定を保存しました。",
  importTitle: "使用する前にこの設定を確認してください",
  importFrom: "入手元: {origin}",
  importReplaces: "現在の設定を置き換えます (バックアップを残します)。",
  importConnections: "接続",
  importEndpoints: "サインインと AWS 呼び出しの送信先",
  importFlagOther:
    "AWS のアドレスではありません: {host}。サインイン情報がここに送られます。管理者の指示がある場合にのみ続けてください。",
  importFlagLoopback: "このコンピューター ({host}): ローカルのテストまたはデモ用です。",
  importAws: "AWS",
  importOriginLink: "poolpass:// リンク",
  importOriginLinkLabelled:
    "「{label}」というラベルの poolpass:// リンク (ラベルは誰でも付けられます: 下のアドレスを確認してください)",
  importAdded: "追加: {names}。",
  importRemoved: "削除: {names}。",
  importChanged: "変更: {names}。",
  importSame: "同じ設定がすでに使われています。",
  importCurrentUnreadable: "現在のファイルを読み取れません ({reason})。",
  serviceHostedUi: "サインインページ (ホスト型 UI)",
  serviceIssuer: "トークンの発行元 (署名鍵)",
  serviceCognitoIdentity: "Cognito ID プール (認証情報)",
  serviceCognitoIdp: "Cognito ユーザープール API",
  serviceSts: "AWS STS",
  serviceOf: "{service} ({connection})",
  concernPlainHttp:
    "{service} には {host} へ暗号化されない http で接続することになります。ネットワーク上の誰でも内容を読んだり書き換えたりできます。これはインポートせず、管理者に https のアドレスを依頼してください。",
  concernNotAwsHostedUi:
    "サインインは AWS のドメインではない {host} で行われます。会社は Cognito のサインインページに独自のドメインを使えます。パスワードを入力する前に、{host} が会社のものか管理者に確認してください。",
  concernNotAwsIssuer:
    "サインインのトークンは AWS のドメインではない {host} の鍵で確認されます。管理者に確認してください。",
  concernNotAws: "{service} へのリクエストは AWS のドメインではない {host} に送られます。管理者に確認してください。",
  concernUnexpectedAws:
    "{service} は {host} になります。AWS のドメインですが、通常のアドレスではありません。AWS のドメインの下には AWS の利用者なら誰でもページを置けるため (S3、API Gateway)、このアドレスを管理者に確認してください。",
  importApply: "この設定を使う",
  importApplied: "設定を {path} に保存しました。",
  importInvalid: "この設定は使用できません",
  importHidden: "秘密情報と思われる値は伏せてあります（{n} 行）。問題のある行の前後だけを表示しています。",
  importPreviewGone: "このプレビューはもう適用できません。別の設定を開いたか、すでに保存されています。内容を確認するには、設定をもう一度開いてください。",
  importAtLine: "{line} 行目",
  importField: "項目 {field}",
  hostedUi: "サインインページ",
  userPool: "ユーザープール",
  clientId: "アプリクライアント",
  providers: "サインイン方法",
  pools: "ID プール",
  region: "リージョン",
  roles: "ロール",
  profileName: "プロファイル",
  placeholderRoleName: "<ロール名>",
  placeholderAccountId: "<アカウント ID>",
  onePerRole: "(お持ちのロールごとに 1 つ)",
  closeToTray: "閉じる (PoolPass はトレイで動き続けます)",
  warnings: "警告",
  hoursMinutes: "{h} 時間 {m} 分",
  minutesSeconds: "{m} 分 {s} 秒",
  seconds: "{s} 秒",
  expired: "期限切れ",
  unknownExpiry: "不明",
  progListening: "ブラウザーからの応答を待つ準備ができました。",
  progBrowserOpened: "ブラウザーでサインインページを開きました。そちらでサインインを完了してください。",
  progOpenLink: "サインインリンクをブラウザーで開いてください。",
  progOpenLinkBecause: "サインインリンクをブラウザーで開いてください (ブラウザーを開けませんでした: {reason})。",
  progWaiting: "最大 {time} 待ちます。",
  progCallback: "応答を受け取りました。確認しています。",
  progSignedIn: "{user} としてサインインしました。",
  progSignedInVia: "{user} として {via} でサインインしました。",
  progRenewed: "{user} のサインインを更新しました。",
  progRenewedElsewhere: "別の PoolPass プロセスが {connection} のサインインを更新したところです。その結果を使います。",
  progNotKept: "後で更新するためのサインインを保存できませんでした: {reason}",
  progFetching: "{profile} の認証情報を取得しています…",
  progWritten: "プロファイル {profile} を書き込みました。",
  progTookOver: "プロファイル {profile} を引き継ぎました (以前の内容は {backup} に保存)。",
  progRevoked: "保存されたサインインをサインインサービスで無効にしました。",
  progRemoved: "プロファイル {profile} を削除しました。",
  progSignedOut: "{connection} の保存されたサインインをこのコンピューターから削除しました。",
  error_not_signed_in: "{connection} にサインインしていません。先にそのサインインボタンからサインインしてください。",
  error_sign_in_again:
    "{connection} の保存されたサインインは無効になりました ({reason})。プロファイルはそのままです。サインインボタンからもう一度サインインしてください。",
  error_profile_not_owned:
    "プロファイル {profile} は {path} にすでにあり、PoolPass が作ったものではありません。PoolPass が引き継ぐこともできます (以前の内容は先にバックアップします)。そのままにする場合は、管理者に別のプロファイル名を依頼してください。",
  error_not_poolpass_profile: "プロファイル {profile} は PoolPass が書き込んだものではないため、削除しません。",
  error_keychain_locked:
    "OS のキーチェーンがロックされています。ロックを解除してから (Linux ではキーリングのアプリ、たとえば「パスワードと鍵」で)、もう一度お試しください。",
  error_sign_out_keychain:
    "{connection} からサインアウトできません: サインインを保管している OS のキーチェーンが使えません ({reason})。ロックを解除してから (Linux では GNOME Keyring や KeePassXC などの Secret Service を起動して解除)、もう一度サインアウトしてください。",
  error_sign_in_timed_out:
    "サインインが {seconds} 秒以内に終わりませんでした。何も変更していません。ブラウザーに「redirect_mismatch」などのエラーが出た場合は、このリダイレクト URL をアプリクライアントに登録するよう管理者に依頼してください: {redirect_uri}。それ以外の場合は、もう一度サインインしてください。",
  error_role_not_granted:
    "ID プール {pool}: ロール {role} がありません (サインインに含まれるグループのロールにありません)。このロールのあるグループに追加するよう管理者に依頼してください。",
  error_identity_pool_classic_with_role_mappings:
    "ID プール {pool} が拒否しました: {detail} ({code})。このプールはルールまたはトークンでロールを割り当てており、クラシックフローでは使えません。構成からこのプールの flow = \"classic\" を外すか、プールのロールマッピングを外すよう管理者に依頼してください。",
  error_identity_pool_classic_disabled:
    "ID プール {pool} が拒否しました: {detail} ({code})。このプールではクラシックフローが無効です。有効にする (AllowClassicFlow) か、構成から flow = \"classic\" を外すよう管理者に依頼してください。",
  error_identity_pool_refused:
    "ID プール {pool} が拒否しました: {detail} ({code})。更新するか、もう一度サインインしてください。続く場合は、ID プールがこのユーザープールとアプリクライアントを信頼していません。管理者に連絡してください。",
  error_identity_pool_no_usable_role:
    "ID プール {pool} が拒否しました: {detail} ({code})。このプールにはサインインしたユーザーに渡せるロールがありません。管理者による修正が必要です。プール ID {pool} を伝えてください。",
  error_identity_pool_not_found:
    "ID プール {pool} が拒否しました: {detail} ({code})。プール、またはその中のあなたの ID が存在しません。構成のプール ID とリージョンを確認するよう管理者に依頼してください。",
  error_identity_pool_throttled:
    "ID プール {pool}: AWS が現在リクエストを制限しています ({code})。1 分ほど待ってから、もう一度お試しください。",
  error_identity_pool_service_failed:
    "ID プール {pool}: サービスが失敗しました ({detail})。通常は一時的なものです。1 分ほどしてから、もう一度お試しください。続く場合は、プール ID とリージョンを確認するよう管理者に依頼してください。",
  error_identity_pool_bad_request:
    "ID プール {pool} が拒否しました: {detail} ({code})。リクエストがプールの設定に合いません。管理者に連絡してください。",
  error_identity_pool_role_not_trusted:
    "ID プール {pool}: AWS STS がロール {role} を拒否しました: {detail} ({code})。このロールはこの ID プールを (またはあなたのグループを) 信頼していません。管理者に連絡してください。",
  error_identity_pool_session_too_long:
    "ID プール {pool}: AWS STS が拒否しました: {detail} ({code})。求めたセッションの長さがロールの上限を超えています。構成の duration_seconds を下げるか、ロールの最大セッション時間を上げるよう管理者に依頼してください。",
  error_identity_pool_sign_in_again: "ID プール {pool} が拒否しました: {detail} ({code})。もう一度サインインしてください。",
  error_identity_pool_unreadable:
    "ID プール {pool}: サービスの応答を PoolPass が読めません ({detail})。もう一度お試しください。続く場合は管理者に連絡してください。",
  error_identity_pool_other:
    "ID プール {pool} が拒否しました: {detail} ({code})。もう一度お試しください。続く場合は管理者に連絡してください。",
  warning_readable_by_others:
    "{path} は他のユーザーが読めます (モード {mode})。秘密鍵が入っています。自分だけが読めるようにしてください (例: chmod 600 {path})。",
  warning_environment_keys:
    "PoolPass の環境に AWS_ACCESS_KEY_ID が設定されています。そこから起動した AWS ツールは、PoolPass が書くプロファイルではなくその鍵を使います。環境から AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY、AWS_SESSION_TOKEN を外してください。",
  warning_default_not_selected:
    "AWS_PROFILE が {aws_profile} に設定されているため、プロファイルを指定せずに実行したツールは、PoolPass が書いた default プロファイルではなくそちらを使います。",
  warning_link_in_shared_folder:
    "{path} へは、他のユーザーが書き込めるフォルダー {folder} にあるシンボリックリンク {link} を通っています。他のユーザーがリンク先を自分のファイルに変えて、PoolPass が書く鍵を読めてしまいます。そのリンクを通らないパスを使うか、リンクを自分だけが書き込めるフォルダーに置いてください。",
  warning_shadowed_in_config:
    "{path} のプロファイル {profile} には {key} があり、AWS ツールは別の方法で認証情報を得て、PoolPass が書いた鍵を使いません。その行を削除するか、別のプロファイル名を管理者に依頼してください。",
  error_keychain:
    "OS のキーチェーンが使えません ({reason})。PoolPass は保存したサインインをそこにだけ保管します。Linux では Secret Service (GNOME Keyring または KeePassXC) をインストールしてロックを解除し、もう一度サインインしてください。",
  error_revoke_failed:
    "{url} のサインインサービスは保存されたサインインを無効にしませんでした ({reason})。PoolPass はこのコンピューターからは削除したため、ここでは二度と使えませんが、サービス側では期限が切れるまで有効です。このコンピューターの外にコピーされたおそれがある場合は、管理者にすべての場所からのサインアウトを依頼してください。",
  error_network:
    "{url} の{service}に接続できません ({reason})。ネットワーク接続 (VPN やプロキシも) を確認してから、もう一度お試しください。",
  error_bad_response: "{url} の{service}から、PoolPass が読めない応答が返りました ({reason})。",
  service_hosted_ui: "サインインサービス",
  service_identity_pool: "ID プールサービス",
  service_sts: "AWS STS",
  service_key_set: "サインインサービスの鍵",
  service_other: "サービス",
  error_token_refused:
    "{url} のサインインサービスが拒否しました: {error}{description}。もう一度お試しください。続く場合は管理者に連絡してください。",
  error_token_refused_sign_in_again:
    "{url} のサインインサービスは保存されたサインインを受け付けなくなりました: {error}{description}。もう一度サインインしてください。",
  error_token_refused_code:
    "{url} のサインインサービスがサインインコードを拒否しました: {error}{description}。コードは使用済みか期限切れです (有効期間は 5 分)。もう一度サインインしてください。",
  error_token_refused_client:
    "{url} のサインインサービスが拒否しました: {error}{description}。アプリクライアントまたは許可されたフローが構成と一致しません。管理者に連絡してください。",
  error_authorization_refused:
    "サインインが拒否されました: {error}{description}。何も変更していません。少し待ってからもう一度お試しください。続く場合は管理者に連絡してください。",
  error_authorization_denied:
    "サインインが拒否されました: {error}{description}。何も変更していません。もう一度サインインして要求を承認するか、管理者にアクセスを依頼してください。",
  error_busy:
    "{holder}が {seconds} 秒以上 {what} の処理中のため、待つのをやめました。何も変更していません。1 分ほどしてからもう一度お試しください。続く場合は、そのプロセスを終了してからお試しください。",
  busyHolder: "PoolPass (プロセス {holder})",
  busyHolderUnknown: "別の PoolPass プロセス",
  error_no_role_classic_needs_preferred_role:
    "ID プール {pool}: このプールにはロールが必要ですが、サインインにロールがありません (ロールのあるグループに属していません)。管理者に連絡してください。",
  error_no_role_no_roles_in_sign_in:
    "ID プール {pool}: サインインにロールがありません (ロールのあるグループに属していません)。グループに追加するよう管理者に依頼してください。",
  error_no_role_two_roles_one_profile:
    "ID プール {pool}: 2 つのロールが同じプロファイル {profile} に書き込まれることになります。プロファイル名にロール名を入れるよう管理者に依頼してください。",
  error_no_role_profile_needs_role_name:
    "ID プール {pool}: プロファイル名にロール名が必要ですが、サインインに優先ロールがありません。構成を直すよう管理者に依頼してください。",
  error_no_role_not_looked_up:
    "ID プール {pool}: このプールの ID を取得していません。PoolPass の不具合です。報告をお願いします。",
  error_profile_file: "AWS ファイル {path} を更新できません ({reason})。ファイルは元のままです。",
  error_state: "PoolPass の状態を {path} に保存できません ({reason})。",
  error_settings: "{path} の PoolPass の設定を使えません ({reason})。",
  error_import_failed:
    "取り込んだ構成を {path} として保存できません ({reason})。何も変更していません。原因 (権限、ディスクの空き) を解消してから、もう一度取り込んでください。",
  error_profile_name_unsafe:
    "プロファイル名 {profile} は書き込めません ({reason})。このプロファイルには何も書き込んでいません。構成のプロファイル名を変えるよう管理者に依頼してください。",
  error_id_token_rejected:
    "{issuer} からのサインインを拒否しました ({reason})。何も変更していません。もう一度サインインしてください。繰り返す場合は、構成とサインインサービスが一致していません (管理者に連絡してください)。",
  error_no_free_port:
    "サインインの応答を待ち受けられません: リダイレクト用のポートがすべて使用中です ({ports})。それを使っているプログラム (多くは待機中の前回のサインイン) を閉じるか、ポートの追加登録を管理者に依頼してください。",
  error_browser_failed: "ブラウザーを開けません ({reason})。サインインするには、このリンクを自分で開いてください: {url}",
  error_unknown_connection: "構成に {name} という接続はありません。接続: {known}。",
  error_provider_not_offered: "接続 {connection} は {provider} を提供していません。提供しているもの: {offered}。",
  error_cancelled: "サインインを取り消しました。何も変更していません。",
  error_state_mismatch:
    "サインインの応答が PoolPass の始めたサインインのものではないため、拒否しました。何も変更していません。もう一度サインインを始め、PoolPass が開いたリンクだけを使ってください。",
  error_missing_code: "サインインの応答にサインインコードがありませんでした。何も変更していません。もう一度サインインを始めてください。",
  error_clipboard:
    "{profile} の認証情報をクリップボードに入れられませんでした ({reason})。もう一度お試しください。",
  error_internal: "PoolPass で内部エラーが起きました ({reason})。もう一度お試しください。続く場合は報告をお願いします。",
  error_autostart_unavailable: "このビルドではログイン時の起動を使えません。ほかの設定は保存しました。",
  error_autostart_failed: "ほかの設定は保存しましたが、ログイン時の起動を変更できませんでした ({reason})。",
  error_import_preview_gone:
    "このプレビューはもう適用できません (別の構成を開いたか、すでに保存しました)。内容を確認するには、構成をもう一度開いてください。",
  signOutRevoked: "保存されたサインインをサインインサービスで無効にしました。",
  signOutNothingToRevoke: "無効にする保存済みのサインインはありませんでした。",
  signOutRemoved: "削除したプロファイル: {profiles}。",
  signOutKept:
    "残したプロファイル: {profiles} (認証情報は期限が切れるまで使えます。必要なら一覧から削除してください)。",
  signOutBrowserEnded: "ブラウザーのサインインセッションを終了しました。",
  signOutBrowserMayBeOpen:
    "ブラウザーのサインインセッションがまだ開いているかもしれません ({reason})。そのブラウザーでの次のサインインではパスワードを求められないことがあります。",
  error_sign_out_incomplete:
    "{connection} のサインアウトは途中で止まりました。完了したこと: {done}。その後、次のことに失敗しました: {cause} もう一度サインアウトすると完了します (繰り返しても安全です)。",
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, ja };

let current: Lang = "en";

/** The language for a choice: "auto" follows the OS's preferred languages. */
export function resolveLang(choice: LangChoice, preferred: readonly string[]): Lang {
  if (choice !== "auto") return choice;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "ja") return "ja";
    if (base === "en") return "en";
  }
  return "en";
}

export function setLang(lang: Lang): void {
  current = lang;
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function lang(): Lang {
  return current;
}

/** The text for `key` with `{name}` placeholders filled in. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

type Facts = { [key in string]?: string };

/** The codes whose wording depends on a fact: the catalogue entry chosen from it. */
const chosenKeys: Partial<Record<string, (f: Facts) => Key>> = {
  token_refused: (f) =>
    f.error === "invalid_grant"
      ? f.grant === "refresh"
        ? "error_token_refused_sign_in_again"
        : "error_token_refused_code"
      : f.error === "invalid_client" || f.error === "unauthorized_client"
        ? "error_token_refused_client"
        : "error_token_refused",
  authorization_refused: (f) =>
    f.error === "access_denied" ? "error_authorization_denied" : "error_authorization_refused",
  no_role: (f) => `error_no_role_${f.kind}` as Key,
  identity_pool: (f) => `error_identity_pool_${f.advice}` as Key,
  autostart: (f) => `error_autostart_${f.kind}` as Key,
};

/** Facts that are ids or optional parts, turned into words of the window's language. */
function wordFacts(code: string, f: Facts): Facts {
  const out = { ...f };
  if (f.service !== undefined) {
    const key = `service_${f.service}` as Key;
    out.service = t(key in en ? key : "service_other");
  }
  if (f.description !== undefined) out.description = f.description ? ` (${f.description})` : "";
  if (code === "busy") out.holder = f.holder ? t("busyHolder", { holder: f.holder }) : t("busyHolderUnknown");
  return out;
}

/** The core's error codes the window words itself, each with its catalogue entry. */
const errorKeys: Partial<Record<string, Key>> = {
  network: "error_network",
  bad_response: "error_bad_response",
  busy: "error_busy",
  profile_file: "error_profile_file",
  state: "error_state",
  settings: "error_settings",
  import_failed: "error_import_failed",
  profile_name_unsafe: "error_profile_name_unsafe",
  id_token_rejected: "error_id_token_rejected",
  no_free_port: "error_no_free_port",
  browser_failed: "error_browser_failed",
  unknown_connection: "error_unknown_connection",
  provider_not_offered: "error_provider_not_offered",
  cancelled: "error_cancelled",
  state_mismatch: "error_state_mismatch",
  missing_code: "error_missing_code",
  clipboard: "error_clipboard",
  internal: "error_internal",
  import_preview_gone: "error_import_preview_gone",
  not_signed_in: "error_not_signed_in",
  sign_in_again: "error_sign_in_again",
  profile_not_owned: "error_profile_not_owned",
  not_poolpass_profile: "error_not_poolpass_profile",
  keychain_locked: "error_keychain_locked",
  sign_out_keychain: "error_sign_out_keychain",
  sign_out_incomplete: "error_sign_out_incomplete",
  revoke_failed: "error_revoke_failed",
  sign_in_timed_out: "error_sign_in_timed_out",
  role_not_granted: "error_role_not_granted",
  keychain: "error_keychain",
};
export const wordedErrorCodes = Object.keys(errorKeys);
/** The codes worded by a catalogue entry a fact chooses (tested with each choice). */
export const chosenErrorCodes = Object.keys(chosenKeys);

/** An error from the core in the window's language: by its code and facts where the window
 * words that code, else the core's message as it came. */
export function errorText(err: { code: string; message: string; facts?: Facts }): string {
  const raw = err.facts ?? {};
  const chosen = chosenKeys[err.code];
  return worded(chosen ? chosen(raw) : errorKeys[err.code], raw, err.message, (f) => wordFacts(err.code, f));
}

/** A warning about what was written (`profiles::Warning`) in the window's language: by its
 * code and facts, else the core's message as it came. */
export function warningText(w: { code: string; message: string; facts?: Facts }): string {
  return worded(`warning_${w.code}` as Key, w.facts ?? {}, w.message, (f) => f);
}

/** `key` filled from the facts, or the core's own message when this window does not know the
 * key (an older window, a newer core) or the facts miss one of its holes (an older core). */
function worded(key: Key | undefined, raw: Facts, message: string, word: (f: Facts) => Facts): string {
  if (!key || !(key in en)) return message;
  const holes = [...en[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (!holes.every((h) => typeof raw[h] === "string")) return message;
  return t(key, word(raw) as Record<string, string>);
}

/** Every key of both languages, for the test that none is missing or untranslated. */
export const allKeys = Object.keys(en) as Key[];
export const translations = dictionaries;
