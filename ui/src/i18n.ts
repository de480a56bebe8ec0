// The window's words in English and Japanese. The language follows the OS (navigator.language)
// unless the user picks one in Settings. The core's errors and warnings arrive as a code and
// facts and are worded here from the shared catalogue (i18n/messages.json); their `code` is
// what the window acts on, their English `message` what is shown when no entry fits.

import messages from "../../i18n/messages.json";

export type Lang = "en" | "ja";
export type LangChoice = "auto" | Lang;

const windowEn = {
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
  signOutRevoked: "The saved sign-in was revoked at the sign-in service.",
  signOutNothingToRevoke: "There was no saved sign-in to revoke.",
  signOutRemoved: "Removed profiles: {profiles}.",
  signOutKept:
    "Kept profiles: {profiles} (their credentials work until they expire; remove them from the list if you wish).",
  signOutBrowserEnded: "The browser's sign-in session was ended.",
  signOutBrowserMayBeOpen:
    "The browser's sign-in session may still be open ({reason}): the next sign-in in that browser may not ask for a password.",
} as const;

// The core's errors, the warnings about what was written and the names of services come from
// the catalogue the tray's notifications read too (src/words.rs), so both say the same.
const en = { ...windowEn, ...messages.en };

export type Key = keyof typeof en;

const windowJa: Record<keyof typeof windowEn, string> = {
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
  signOutRevoked: "保存されたサインインをサインインサービスで無効にしました。",
  signOutNothingToRevoke: "無効にする保存済みのサインインはありませんでした。",
  signOutRemoved: "削除したプロファイル: {profiles}。",
  signOutKept:
    "残したプロファイル: {profiles} (認証情報は期限が切れるまで使えます。必要なら一覧から削除してください)。",
  signOutBrowserEnded: "ブラウザーのサインインセッションを終了しました。",
  signOutBrowserMayBeOpen:
    "ブラウザーのサインインセッションがまだ開いているかもしれません ({reason})。そのブラウザーでの次のサインインではパスワードを求められないことがあります。",
};

const ja: Record<Key, string> = { ...windowJa, ...messages.ja };

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

/** Facts that are ids or optional parts, turned into words of the window's language. */
function wordFacts(code: string, f: Facts): Facts {
  const out = { ...f };
  if (f.service !== undefined) {
    const key = `service_${f.service}` as Key;
    out.service = t(key in en ? key : "service_other");
  }
  if (f.description !== undefined) out.description = f.description ? ` (${f.description})` : "";
  if (code === "busy") out.holder = f.holder ? t("busyHolder", { holder: f.holder }) : t("busyHolderUnknown");
  if (code === "config_invalid" || code === "import_not_utf8") {
    out.where = f.line ? (f.field ? t("config_where", { line: f.line, field: f.field }) : t("config_where_line", { line: f.line })) : "";
    const reason = configReason(f);
    if (reason !== null) out.reason = reason;
  }
  if (code === "sign_out_incomplete") {
    // What was done, part by part, and the cause: an error of its own, worded as one.
    const parts = (f.done_parts ?? "").split(",").filter(Boolean).map((p) => `sign_out_done_${p}`);
    if (parts.length && parts.every((k) => k in en))
      out.done = parts.map((k) => t(k as Key, { profiles: f.removed ?? "" })).join(current === "ja" ? "、" : "; ");
    if (f.cause_code !== undefined) {
      let facts: Facts = {};
      try {
        facts = JSON.parse(f.cause_facts ?? "{}") as Facts;
      } catch {
        // Unreadable facts: the cause's own message below.
      }
      out.cause = errorText({ code: f.cause_code, key: f.cause_key, message: f.cause ?? "", facts });
    }
  }
  return out;
}

/** An error from the core in the window's language, from its facts by the catalogue entry the
 * core chose (`key`, from `Error::message_key`; `error_<code>` without one), else the core's
 * message as it came. */
export function errorText(err: { code: string; message: string; key?: string; facts?: Facts }): string {
  const key = (err.key ?? `error_${err.code}`) as Key;
  return worded(key, err.facts ?? {}, err.message, (f) => wordFacts(err.code, f));
}

/** Why a configuration is refused, by the rule it breaks (`config_<rule>`); null for the TOML
 * parser's own words, which have no rule. */
export function configReason(f: Facts): string | null {
  if (!f.rule) return null;
  const key = `config_${f.rule}` as Key;
  const text = worded(key, f, "", (x) => x);
  return text === "" ? null : text;
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
