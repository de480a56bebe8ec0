// The desktop app end to end: the real window (WebKitGTK under Xvfb, driven through
// tauri-driver), the real peers (hosted-UI stand-in, moto behind the proxy, GNOME Keyring),
// and a scripted Chromium as the user's browser. Run it with tests/e2e/run.sh.
//
// Add a step: one more [name, async (app) => {...}] entry below (see harness.mjs for `app`).
// To start the app with arguments (a poolpass://import?config=... link), call
// `await app.launch([link])` in the step: the app restarts with them, on the same sandbox.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { steps } from './harness.mjs';
import { waitFor } from './webdriver.mjs';

const CONNECTION = 'demo'; // tests/peers/demo-config.sh
const PROFILE = 'poolpass-demo';
const SIGN_IN_TIMEOUT_MS = 60000; // Chromium starts, signs in, lands on the callback page

// ui/src/logic.ts formatCountdown: "1 h 05 min", "12 min 05 s", "45 s".
const COUNTDOWN = /^(\d+ h \d\d min|\d+ min \d\d s|\d+ s)$/;
const row = `tbody tr:first-child`;

/**
 * The app's process (or, with `comm` 'poolpass-tray', its tray program): the one whose
 * environment holds this sandbox's POOLPASS_CONFIG.
 */
function appPid(config, comm = 'poolpass-deskto') {
  return appPids(config, comm)[0] ?? null;
}

/** All of them (one at a time is what PoolPass promises). */
function appPids(config, comm = 'poolpass-deskto') {
  const out = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (env.includes(`POOLPASS_CONFIG=${config}`)) out.push(Number(pid));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return out;
}

/** A D-Bus call on the session bus (gdbus's text output). */
function dbus(dest, path, method, ...args) {
  return execFileSync('gdbus', ['call', '--session', '--dest', dest, '--object-path', path, '--method', method, '--', ...args],
    { encoding: 'utf8', timeout: 10000 });
}

/** The tray program's StatusNotifierItem: its bus name, and its menu's items { label: id }. */
function trayItem(pid) {
  const names = dbus('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames');
  const name = names.match(new RegExp(`'(org\\.kde\\.StatusNotifierItem-${pid}-\\d+)'`))?.[1];
  if (!name) return null;
  const layout = dbus(name, '/MenuBar', 'com.canonical.dbusmenu.GetLayout', '0', '-1', '@as []');
  const items = {};
  for (const m of layout.matchAll(/<\((\d+), \{([^}]*)\}/g)) {
    const label = m[2].match(/'label': <'([^']*)'>/)?.[1];
    if (label) items[label] = Number(m[1]);
  }
  return { name, items };
}

/** The Exec line of PoolPass's XDG autostart entry in the sandbox, or null. (The autostart
 * plugin writes under $HOME/.config, not $XDG_CONFIG_HOME: both are looked at.) */
function autostartExec(app) {
  const sandbox = path.dirname(app.env.poolpassConfig);
  for (const dir of [path.join(sandbox, 'config', 'autostart'), path.join(sandbox, 'home', '.config', 'autostart')]) {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const exec = fs.readFileSync(path.join(dir, f), 'utf8').match(/^Exec=(.*)$/m)?.[1];
      if (exec) return exec.trim();
    }
  }
  return null;
}

/** The desktop notifications shown so far (dunst's history, once all are closed), as JSON text. */
function notifications() {
  execFileSync('dunstctl', ['close-all'], { timeout: 5000 });
  return execFileSync('dunstctl', ['history'], { encoding: 'utf8', timeout: 5000 });
}

/** Chooses the window's language in Settings, as a user does. */
async function setLanguage(s, lang) {
  await s.click('#open-settings');
  await s.waitForElement('#set-language');
  await s.execute(`const sel = document.getElementById('set-language');
    sel.value = '${lang}'; sel.dispatchEvent(new Event('change'));`);
  await s.click('#save-settings');
  await s.waitForElement('#settings-note');
  await s.click('#dialog-cancel');
}

/** The English words left in `text` once names, identifiers and AWS's own words are taken out. */
function englishIn(text, ...names) {
  let left = String(text);
  for (const n of [...names, PROFILE, CONNECTION, 'PoolPass', 'AWS']) left = left.replaceAll(n, '');
  // Identity pool ids (region:uuid) and error codes (CamelCase) are identifiers.
  left = left.replace(/[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]+/g, '').replace(/\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/g, '');
  return left.match(/[A-Za-z]{3,}/g);
}

/** Has the AWS proxy (tests/peers/aws/proxy.py) refuse the next call of `op` once. */
async function proxyFail(op, code, message) {
  const res = await fetch(`${process.env.POOLPASS_TEST_AWS}/__proxy/fail`, {
    method: 'POST',
    body: JSON.stringify({ op, code, message }),
  });
  assert.equal(res.status, 200, 'the proxy takes the fault');
}

/** What the AWS proxy saw: [{ op, refused, ... }]. */
async function proxyLog() {
  return (await fetch(`${process.env.POOLPASS_TEST_AWS}/__proxy/log`)).json();
}

/** Clicks a tray menu item, as a panel does. `{ ends: true }`: the click ends the process, which
 * may be gone before it answers. */
function clickTray(item, label, { ends = false } = {}) {
  assert.ok(label in item.items, `the tray menu has "${label}" (it has: ${Object.keys(item.items).join(', ')})`);
  try {
    dbus(item.name, '/MenuBar', 'com.canonical.dbusmenu.Event', String(item.items[label]), 'clicked', '<0>', '0');
  } catch (e) {
    if (!ends) throw e;
  }
}

/** The direct children of `pid`: [{ pid, comm }]. */
function children(pid) {
  const out = [];
  for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(p), comm: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** ui/src/i18n.ts chooseFileTitle: the system file chooser's title, as the window asks for it. */
const CHOOSER_TITLE = 'Choose the PoolPass configuration from your administrator';

/** The X window of the app's system file chooser (GTK's own dialog, not the webview), or null. */
function fileChooser() {
  try {
    const ids = execFileSync('xdotool', ['search', '--onlyvisible', '--name', `^${CHOOSER_TITLE}$`],
      { encoding: 'utf8', timeout: 5000 });
    return ids.trim().split('\n')[0] || null;
  } catch {
    return null; // xdotool exits 1 when no window matches
  }
}

/** Picks `file` in the system file chooser as a keyboard user does: the location field
 * (Ctrl+L), the path, Enter. WebDriver reaches only the webview, so X input does this. */
async function pickInFileChooser(file) {
  const wid = await waitFor(() => fileChooser(), { timeoutMs: 10000, what: 'the system file chooser to open' });
  const x = (...args) => execFileSync('xdotool', args, { timeout: 20000 });
  x('windowfocus', '--sync', wid);
  x('key', '--clearmodifiers', 'ctrl+l');
  x('type', '--delay', '10', file);
  // GTK looks the typed path up before it enables Open, and ignores Enter until then: Enter
  // again while the chooser is still there, as an impatient user would.
  for (let i = 0; i < 10 && fileChooser(); i++) {
    await new Promise((r) => setTimeout(r, 300));
    x('key', 'Return');
    await waitFor(() => !fileChooser(), { timeoutMs: 1500, what: 'the file chooser to close on Enter' }).catch(() => {});
  }
  assert.equal(fileChooser(), null, `the file chooser took ${file}`);
}

/** Drags `file` onto the window titled `title` as a user does from a file manager: a small GTK
 * window (drag-source.py) offers it over XDND, and the pointer moves through X input. */
async function dropOnWindow(file, title) {
  const x = (...args) => execFileSync('xdotool', args, { encoding: 'utf8', timeout: 10000 });
  const target = x('search', '--onlyvisible', '--name', `^${title}$`).trim().split('\n')[0];
  const geometry = Object.fromEntries(x('getwindowgeometry', '--shell', target).trim().split('\n')
    .map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
  // The source beside the window (the screen is 1280x800; the window 1000x600 at the corner).
  const source = spawn('/usr/bin/python3', [path.join(import.meta.dirname, 'drag-source.py'), file, '1060', '650'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  source.stdout.on('data', (d) => { out += d; });
  try {
    await waitFor(() => {
      if (source.exitCode !== null) throw new Error(`drag-source.py exited (${source.exitCode}) before its window showed`);
      return out.includes('ready');
    }, { timeoutMs: 10000, what: 'the drag source window' });
    const to = [geometry.X + Math.round(geometry.WIDTH / 2), geometry.Y + Math.round(geometry.HEIGHT / 2)];
    x('mousemove', '--sync', '1160', '710');
    x('mousedown', '1');
    // Past GTK's drag threshold first, then over the window in steps, as a hand moves.
    for (let i = 1; i <= 12; i++) {
      x('mousemove', '--sync', String(1160 + ((to[0] - 1160) * i) / 12), String(710 + ((to[1] - 710) * i) / 12));
      await new Promise((r) => setTimeout(r, 40));
    }
    await new Promise((r) => setTimeout(r, 200));
    x('mouseup', '1');
    await waitFor(() => out.includes('dropped'), { timeoutMs: 10000, what: 'the drag to end in a drop' });
  } finally {
    source.kill();
  }
}

/** The profile's section of an AWS shared file: { key: value }, or null when absent. */
function iniSection(file, header) {
  const out = {};
  let inside = false;
  let found = false;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const h = line.match(/^\s*\[(.+)\]\s*$/);
    if (h) {
      inside = h[1].trim() === header;
      found ||= inside;
    } else if (inside) {
      const kv = line.match(/^\s*([^=#;\s]+)\s*=\s*(.*?)\s*$/);
      if (kv) out[kv[1]] = kv[2];
    }
  }
  return found ? out : null;
}

steps([
  ['import-from-file', async (app) => {
    // First run: no configuration. The administrator's file, picked in the system's file
    // chooser: a broken one is shown with the error under its line, a good one is previewed and
    // saved only once the user confirms.
    const text = fs.readFileSync(app.env.poolpassConfig, 'utf8');
    fs.rmSync(app.env.poolpassConfig);
    const dir = path.dirname(app.env.poolpassConfig);
    const good = path.join(dir, 'from-admin.toml');
    const broken = path.join(dir, 'from-admin-broken.toml');
    fs.writeFileSync(good, text);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('region = ')) + 1;
    assert.ok(at > 0, 'the demo configuration has an identity pool region');
    lines[at - 1] = 'region = "Tokyo"';
    fs.writeFileSync(broken, lines.join('\n'));
    await app.launch([]);
    const { s } = app;
    await s.waitForElement('#noconf', 15000);
    await s.click('#choose-config');
    await pickInFileChooser(broken);
    await s.waitForElement('#import-error-at');
    const error = await s.text('#import-error-at');
    assert.match(error, new RegExp(`Line ${at}\\b`), `the error stands under line ${at}`);
    assert.match(error, /field identity_pool\.region: expected an AWS region/, 'and names the field and what is wrong');
    assert.match(await s.text('.bad-line'), /region = "Tokyo"/, 'the line at fault is the one shown');
    await app.shot('invalid');
    await s.click('#dialog-close');
    assert.ok(!fs.existsSync(app.env.poolpassConfig), 'a broken file is never saved');
    await s.click('#choose-config');
    await pickInFileChooser(good);
    await s.waitForElement('#confirm-import');
    assert.match(await s.text('#dialog-import'), new RegExp(`From: .*${path.basename(good)}`), 'the preview names the file');
    assert.ok(!fs.existsSync(app.env.poolpassConfig), 'nothing is applied before the user confirms');
    await app.shot('preview');
    // The file changes while the preview is open: what is saved is what the user read.
    fs.writeFileSync(good, text.replace(/name = "[^"]*"/, 'name = "changed-since"'));
    await s.click('#confirm-import');
    await s.waitForElement(`#signin-${CONNECTION}-Google`);
    assert.equal(fs.readFileSync(app.env.poolpassConfig, 'utf8'), text, 'the configuration saved is the one previewed');
  }],

  ['import-from-link', async (app) => {
    // The same configuration as a poolpass://import link (the demo configuration,
    // base64url), how an administrator may send it: the app, started with the link, previews
    // it and applies it only when the user confirms.
    const text = fs.readFileSync(app.env.poolpassConfig, 'utf8');
    fs.rmSync(app.env.poolpassConfig);
    const link = `poolpass://import?config=${Buffer.from(text).toString('base64url')}&name=demo`;
    await app.launch([link]);
    const { s } = app;
    await waitFor(async () => (await s.title()) === 'PoolPass', { what: 'the window title "PoolPass"' });
    await s.waitForElement('#dialog-import', 15000);
    const preview = await s.text('#dialog-import');
    assert.match(preview, /Check this configuration before using it/);
    assert.match(preview, new RegExp(`\\b${CONNECTION}\\b`), 'the connection is listed');
    assert.match(preview, /This computer \(127\.0\.0\.1\)/, 'the local peers are named as this computer');
    assert.ok(!fs.existsSync(app.env.poolpassConfig), 'nothing is applied before the user confirms');
    await app.shot('preview');
    await s.click('#confirm-import');
    await s.waitForElement(`#signin-${CONNECTION}-Google`);
    assert.equal(fs.readFileSync(app.env.poolpassConfig, 'utf8'), text, 'the configuration saved is the one previewed');
  }],

  ['import-by-drop', async (app) => {
    // A configuration file dropped on the window (from a file manager) is previewed as a picked
    // one is, and says it replaces the current one; Cancel leaves everything as it was.
    const { s } = app;
    const before = fs.readFileSync(app.env.poolpassConfig, 'utf8');
    const dropped = path.join(path.dirname(app.env.poolpassConfig), 'dropped.toml');
    fs.writeFileSync(dropped, before.replace('profile = "poolpass-demo"', 'profile = "poolpass-dropped"'));
    await dropOnWindow(dropped, 'PoolPass');
    await s.waitForElement('#confirm-import', 10000);
    const preview = await s.text('#dialog-import');
    assert.match(preview, /From: .*dropped\.toml/, 'the preview names the dropped file');
    assert.match(preview, /poolpass-dropped/, 'and shows what it holds');
    assert.match(preview, /replaces your current configuration/);
    // It opens at its top, on its title: read before any button; a stray Enter applies nothing.
    assert.equal(await s.execute('return document.activeElement.id'), 'dialog-title');
    assert.equal(await s.execute("return document.getElementById('dialog-import').scrollTop"), 0);
    await s.keys(['\uE007']);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok((await s.findAll('#confirm-import')).length, 'Enter on the title left the preview open');
    await app.shot('preview');
    await s.click('#dialog-cancel');
    await waitFor(async () => s.execute("return !document.getElementById('dialog-import')"), {
      what: 'the preview to close',
    });
    assert.equal(fs.readFileSync(app.env.poolpassConfig, 'utf8'), before, 'Cancel changed nothing');

    // The wrong file dropped (the AWS credentials file): the error shows only the lines around
    // the fault, and no key's value.
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const creds = path.join(path.dirname(app.env.poolpassConfig), 'credentials');
    fs.writeFileSync(creds, `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${secret}\n\n\n\n[work]\naws_secret_access_key = ${secret}\n`);
    await dropOnWindow(creds, 'PoolPass');
    await s.waitForElement('#import-hidden', 10000);
    const shown = await s.text('#dialog-import');
    assert.ok(!shown.includes(secret) && !shown.includes('AKIAIOSFODNN7EXAMPLE'), `no key on screen: ${shown}`);
    assert.ok(!shown.includes('[work]'), 'only the lines around the fault');
    await app.shot('dropped-credentials');
    await s.click('#dialog-close');
    assert.equal(fs.readFileSync(app.env.poolpassConfig, 'utf8'), before, 'nothing saved');
  }],

  ['second-launch', async (app) => {
    // PoolPass opened again (a link clicked in mail, the menu entry) while it runs: the second
    // process hands its link to the running one and leaves; the running window shows it.
    const { s } = app;
    const first = appPid(app.env.poolpassConfig);
    const before = fs.readFileSync(app.env.poolpassConfig, 'utf8');
    const linked = before.replace('profile = "poolpass-demo"', 'profile = "poolpass-linked"');
    const link = `poolpass://import?config=${Buffer.from(linked).toString('base64url')}&name=second`;
    const second = spawn(app.env.application, [link], { stdio: 'ignore' });
    const code = await new Promise((resolve) => second.on('exit', (c, sig) => resolve(c ?? sig)));
    assert.equal(code, 0, 'the second launch exits by itself, handing over');
    await s.waitForElement('#confirm-import', 10000);
    const preview = await s.text('#dialog-import');
    assert.match(preview, /labelled "second"/, 'the running window previews the link it was handed');
    assert.match(preview, /poolpass-linked/);
    assert.deepEqual(appPids(app.env.poolpassConfig), [first], 'one window process, the first');
    await s.click('#dialog-cancel');
    assert.equal(fs.readFileSync(app.env.poolpassConfig, 'utf8'), before, 'nothing applied without the user');
  }],

  ['window-loads', async (app) => {
    const { s } = app;
    await s.waitForText('h1', (t) => t === 'PoolPass');
    const google = `#signin-${CONNECTION}-Google`;
    await s.waitForElement(google);
    assert.equal(await s.text(google), 'Sign in with Google');
    assert.match(await s.pageText(), /No profiles yet/);
  }],

  ['sign-in-with-google', async (app) => {
    const { s } = app;
    await s.click(`#signin-${CONNECTION}-Google`);
    // The window waits for the browser (BROWSER: the scripted Chromium) with a Cancel button,
    // for the few seconds Chromium takes.
    await s.waitForElement(`#cancel, ${row} th`, 5000);
    // The panel may go (the browser was quick) while WebDriver looks at it: then there is no
    // waiting state to photograph, which is no failure.
    if ((await s.findAll('#cancel').catch(() => [])).length) {
      await app.shot('waiting-for-browser').catch(() => {});
    }
    await s.waitForText(`${row} th`, (t) => t === PROFILE, {
      timeoutMs: SIGN_IN_TIMEOUT_MS,
      what: `a credentials row for ${PROFILE} after the browser sign-in`,
    });
    // Back on the sign-in buttons, no error shown.
    await s.waitForElement(`#signin-${CONNECTION}-Google`);
    assert.deepEqual(await s.findAll('[role=alert]'), [], 'no error is shown');
  }],

  ['credentials-row', async (app) => {
    const { s } = app;
    const cells = await s.findAll(`${row} td`);
    assert.match(await s.text(cells[0]), /^\d{12}$/, 'the account column holds a 12-digit account id');
    const countdown = await s.text(`${row} td[data-countdown]`);
    assert.match(countdown, COUNTDOWN, 'the expiry column counts down');
    assert.equal(await s.text(`${row} td[data-status]`), 'fresh');
    // The countdown is live: it changes within a couple of seconds.
    await s.waitForText(`${row} td[data-countdown]`, (t) => t !== countdown && COUNTDOWN.test(t), {
      timeoutMs: 3000,
      what: `the countdown to move on from "${countdown}"`,
    });
    app.memo.expiresAt = await s.attribute(`${row} td[data-countdown]`, 'data-countdown');
  }],

  ['credentials-file', async (app) => {
    const creds = iniSection(app.env.credentialsFile, PROFILE);
    assert.ok(creds, `[${PROFILE}] is in ${app.env.credentialsFile}`);
    for (const k of ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']) {
      assert.ok(creds[k], `[${PROFILE}] has ${k}`);
    }
    const config = iniSection(app.env.configFile, `profile ${PROFILE}`);
    assert.ok(config, `[profile ${PROFILE}] is in ${app.env.configFile}`);
    assert.equal(config.region, 'ap-northeast-1');
    app.memo.accessKey = creds.aws_access_key_id;
  }],

  ['refresh-all', async (app) => {
    const { s } = app;
    await s.click('#refresh');
    const note = await s.waitForText('.notes', (t) => t.includes(`${PROFILE}: refreshed.`), {
      timeoutMs: 20000,
      what: `the note "${PROFILE}: refreshed."`,
    });
    assert.doesNotMatch(String(note), /error/i);
    const expiresAt = await s.attribute(`${row} td[data-countdown]`, 'data-countdown');
    // Issued later for as long: never earlier (the keys below show the refresh happened).
    assert.ok(Date.parse(expiresAt) >= Date.parse(app.memo.expiresAt),
      `the expiry did not go back (${app.memo.expiresAt} -> ${expiresAt})`);
    assert.match(await s.text(`${row} td[data-countdown]`), COUNTDOWN);
    // New keys (the proxy issues fresh ones on each call) reached the file.
    const creds = iniSection(app.env.credentialsFile, PROFILE);
    assert.ok(creds?.aws_access_key_id, `[${PROFILE}] is still in the credentials file`);
    assert.notEqual(creds.aws_access_key_id, app.memo.accessKey, 'the refresh wrote new keys');
  }],

  ['copy-exports', async (app) => {
    const { s } = app;
    // As a user picks it: the value, then the change event.
    await s.execute(`const sel = document.getElementById('format-${PROFILE}');
      sel.value = 'fish'; sel.dispatchEvent(new Event('change'));`);
    await s.click(`#copy-${PROFILE}`);
    await s.waitForText('.notes', (t) => t.includes('copied for fish'), { what: 'the note that the exports were copied' });
    // The list was drawn again with the note: the choice stays.
    assert.equal(await s.execute(`return document.getElementById('format-${PROFILE}').value`), 'fish');
    // The secret went from the shell to the clipboard, never through the window.
    const secret = iniSection(app.env.credentialsFile, PROFILE).aws_secret_access_key;
    assert.ok(!String(await s.pageText()).includes(secret), 'the secret key is not in the window');
  }],

  ['start-at-login-setting', async (app) => {
    const { s } = app;
    await s.click('#open-settings');
    await s.waitForElement('#set-autostart');
    await s.click('#set-autostart');
    await s.click('#save-settings');
    await s.waitForText('#settings-note', (t) => t === 'Settings saved.', { what: 'the note "Settings saved."' });
    await app.shot('saved');
    // The desktop's autostart entry (XDG), starting PoolPass in the tray only.
    const exec = autostartExec(app);
    assert.ok(exec, 'an autostart entry was written');
    assert.match(exec, /poolpass-desktop"? --background$/);
    await s.click('#dialog-cancel');
  }],

  ['japanese', async (app) => {
    const { s } = app;
    const language = (lang) => setLanguage(s, lang);
    await language('ja');
    // Every text of the window in Japanese, at once (the list included).
    await s.waitForText('#refresh', (t) => t === 'すべて更新', { what: 'the button "すべて更新"' });
    assert.equal(await s.text('#open-settings'), '設定');
    // The providers' buttons in their own Japanese wording.
    assert.equal(await s.text(`#signin-${CONNECTION}-Google`), 'Google でログイン');
    assert.equal(await s.text(`#signin-${CONNECTION}-SignInWithApple`), 'Appleでサインイン');
    assert.equal(await s.execute('return document.documentElement.lang'), 'ja');
    // The live countdown too: "59 分 57 秒".
    await s.waitForText(`${row} td[data-countdown]`, (t) => /^\d+ (時間 \d\d 分|分 \d\d 秒)$/.test(t), {
      what: 'the countdown in Japanese',
    });
    await app.shot('ja');
    // The tray's menu follows the setting at once, with no English left on it.
    const pid = appPid(app.env.poolpassConfig);
    const ja = await waitFor(() => {
      const item = trayItem(pid);
      return item && 'すべて更新' in item.items ? item : null;
    }, { timeoutMs: 10000, what: 'the tray menu in Japanese' });
    for (const label of ['PoolPass を開く', 'サインアウト…', 'PoolPass を終了']) {
      assert.ok(label in ja.items, `the tray menu has "${label}" (it has: ${Object.keys(ja.items).join(', ')})`);
    }
    for (const label of Object.keys(ja.items)) {
      const english = label.replace('PoolPass', '').replace(PROFILE, '').match(/[A-Za-z]{2,}/);
      assert.equal(english, null, `no English on the Japanese tray menu: "${label}"`);
    }
    // What the window says after a refresh and a copy is Japanese too (names aside).
    await s.click('#refresh');
    await s.waitForText('.notes', (t) => t.includes(`${PROFILE}: 更新しました。`), {
      timeoutMs: 20000,
      what: 'the refresh note in Japanese',
    });
    await s.click(`#copy-${PROFILE}`);
    const notes = await s.waitForText('.notes', (t) => t.includes(PROFILE) && !t.includes('更新しました'), {
      what: 'the copy note in Japanese',
    });
    const english = String(notes).replaceAll(PROFILE, '').replace(/bash|zsh|fish|PowerShell|JSON/g, '').match(/[A-Za-z]{3,}/);
    assert.equal(english, null, `no English in the Japanese notes: "${notes}"`);
    // A row that fails says why in Japanese, in its note and its status: the identity pool
    // refuses once, as AWS does a misconfigured pool. AWS's own words are the only English.
    const awsWords = 'Invalid identity pool configuration (refused once by the e2e test).';
    await proxyFail('GetCredentialsForIdentity', 'InvalidIdentityPoolConfigurationException', awsWords);
    await s.click(`#refresh-${PROFILE}`);
    const failedNote = await s.waitForText('.notes', (t) => t.includes(awsWords), {
      timeoutMs: 20000,
      what: 'the failed row\'s note',
    });
    assert.match(String(failedNote), /ID プール .* が拒否しました/);
    // The cell shows the reason's first lines (the note has it all): its text, not what is drawn.
    const status = await s.execute(`return document.querySelector('${row} td.status.failed').textContent`);
    assert.ok(status.includes(awsWords), `the row's status says why: "${status}"`);
    assert.equal(await s.attribute(`${row} td.status.failed`, 'title'), status.replace(/^失敗: /, ''),
      'the whole reason is the cell\'s title');
    await app.shot('ja-failed-row');
    for (const text of [failedNote, status]) {
      assert.equal(englishIn(text, awsWords), null, `no English of PoolPass's in the failed row: "${text}"`);
    }
    // The next refresh succeeds and clears the row's failure.
    await s.click(`#refresh-${PROFILE}`);
    await s.waitForText('.notes', (t) => t.includes(`${PROFILE}: 更新しました。`), {
      timeoutMs: 20000,
      what: 'the row refreshed again',
    });
    await s.waitForElement(`${row} td[data-status]`);
    await language('auto');
    await s.waitForText('#refresh', (t) => t === 'Refresh all', { what: 'English again (the OS language here)' });
    await waitFor(() => 'Refresh all' in (trayItem(pid)?.items ?? {}), {
      timeoutMs: 10000,
      what: 'the tray menu in English again',
    });
  }],

  ['close-to-tray', async (app) => {
    const { s } = app;
    const pid = appPid(app.env.poolpassConfig);
    assert.ok(pid, 'the app process is found');
    assert.ok(children(pid).some((c) => c.comm.startsWith('WebKitWebProces')), 'a web process serves the window');
    await app.shot('before');
    // The window (and the whole process) may be gone before the key-up is delivered: that is
    // the point, so WebDriver's answer does not matter; the process's end below is the check.
    await s.keys(['\uE009', 'w']).catch(() => {});
    // The window process (and WebKit with it) goes; the tray program takes over.
    await waitFor(() => !fs.existsSync(`/proc/${pid}`), {
      timeoutMs: 15000,
      what: 'the window process to exit once the window is closed',
    });
    // The session's app is gone: end it, so that a later step can start the app again.
    await s.delete().catch(() => {});
    app.s = null;
    const tray = await waitFor(() => appPid(app.env.poolpassConfig, 'poolpass-tray'), {
      timeoutMs: 10000,
      what: 'the tray program to run',
    });
    const item = await waitFor(() => trayItem(tray), { timeoutMs: 10000, what: 'the tray icon on D-Bus' });
    // Its first line says what expires first.
    assert.ok(Object.keys(item.items).some((l) => l.startsWith(`${PROFILE}: expires in`)),
      `the tray shows the soonest expiry (menu: ${Object.keys(item.items).join(', ')})`);
    app.memo.tray = tray;
  }],

  ['tray-menu', async (app) => {
    const tray = app.memo.tray;
    let item = trayItem(tray);
    const before = iniSection(app.env.credentialsFile, PROFILE).aws_access_key_id;
    clickTray(item, 'Refresh all');
    // The tray program refreshed on its own: new keys (the proxy issues fresh ones each call).
    await waitFor(() => iniSection(app.env.credentialsFile, PROFILE)?.aws_access_key_id !== before, {
      timeoutMs: 20000,
      what: 'the tray\'s "Refresh all" to write new keys',
    });
    // With no window to show the result, a notification says it.
    await waitFor(() => notifications().includes('Credentials refreshed'), {
      timeoutMs: 10000,
      what: 'the notification "Credentials refreshed"',
    });
    // A refresh that fails says so in a notification; its "Refresh" button tries again. The
    // proxy refuses the next credentials call once, as AWS would a misconfigured pool.
    const failing = iniSection(app.env.credentialsFile, PROFILE).aws_access_key_id;
    await proxyFail('GetCredentialsForIdentity', 'InvalidIdentityPoolConfigurationException',
      'Invalid identity pool configuration (refused once by the e2e test).');
    clickTray(trayItem(tray), 'Refresh all');
    await waitFor(async () => (await proxyLog()).some((e) => e.refused === 'asked for'), {
      timeoutMs: 20000,
      what: 'the tray\'s refresh to meet the refusal',
    });
    assert.equal(iniSection(app.env.credentialsFile, PROFILE).aws_access_key_id, failing,
      'the failed refresh left the profile as it was');
    await waitFor(() => execFileSync('dunstctl', ['count', 'displayed'], { encoding: 'utf8' }).trim() === '1', {
      timeoutMs: 10000,
      what: 'the failure notification on screen',
    });
    // dunst offers the buttons of what is on screen to its menu program (dunst-menu.sh), which
    // picks "Refresh" on PoolPass's failure notification, as the user's click would.
    execFileSync('dunstctl', ['context'], { timeout: 5000 });
    await waitFor(() => fs.readFileSync(app.env.dunstMenu, 'utf8').includes('#Refresh (PoolPass could not refresh credentials)'), {
      what: 'the failure notification to offer Refresh',
    });
    await waitFor(() => iniSection(app.env.credentialsFile, PROFILE)?.aws_access_key_id !== failing, {
      timeoutMs: 20000,
      what: 'the notification\'s Refresh to write new keys',
    });
    const history = notifications();
    assert.match(history, /PoolPass could not refresh credentials/);
    assert.match(history, /refused once by the e2e test/, 'the notification says why');
    // In Japanese, the notification of a failure is Japanese too, the reason included (from the
    // catalogue the window uses); only AWS's own words stay. The language is what the window's
    // Settings save, beside the configuration; the tray reads it at each notification.
    const settingsFile = path.join(path.dirname(app.env.poolpassConfig), 'settings.toml');
    const settingsBefore = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : null;
    const withLanguage = (lang) =>
      (settingsBefore ?? '').split('\n').filter((l) => !/^language\s*=/.test(l)).concat([`language = "${lang}"`, '']).join('\n');
    fs.writeFileSync(settingsFile, withLanguage('ja'));
    const awsWords = 'Invalid identity pool configuration (refused twice by the e2e test).';
    await proxyFail('GetCredentialsForIdentity', 'InvalidIdentityPoolConfigurationException', awsWords);
    clickTray(trayItem(tray), 'Refresh all');
    await waitFor(() => execFileSync('dunstctl', ['count', 'displayed'], { encoding: 'utf8' }).trim() === '1', {
      timeoutMs: 20000,
      what: 'the Japanese failure notification on screen',
    });
    const shown = await waitFor(() => {
      execFileSync('dunstctl', ['close-all'], { timeout: 5000 });
      const all = JSON.parse(execFileSync('dunstctl', ['history'], { encoding: 'utf8', timeout: 5000 })).data[0] ?? [];
      return all.find((n) => n.body.data.includes(awsWords)) ?? null;
    }, { timeoutMs: 10000, what: 'the Japanese failure notification in the history' });
    assert.equal(shown.summary.data, 'PoolPass は認証情報を更新できませんでした');
    assert.match(shown.body.data, /ID プール .* が拒否しました/);
    // The error code stays for support, whatever the language.
    const said = `${shown.summary.data} ${shown.body.data}`.replace(/エラーコード: \w+/g, '');
    assert.equal(englishIn(said, awsWords), null, `no English of PoolPass's in the Japanese notification: "${said}"`);
    // The menu was drawn again in Japanese; back to the OS language, a refresh draws it in English.
    await waitFor(() => 'すべて更新' in (trayItem(tray)?.items ?? {}), { timeoutMs: 10000, what: 'the tray menu in Japanese' });
    if (settingsBefore === null) fs.rmSync(settingsFile);
    else fs.writeFileSync(settingsFile, settingsBefore);
    const stale = iniSection(app.env.credentialsFile, PROFILE).aws_access_key_id;
    clickTray(trayItem(tray), 'すべて更新');
    await waitFor(() => iniSection(app.env.credentialsFile, PROFILE)?.aws_access_key_id !== stale, {
      timeoutMs: 20000,
      what: 'the refresh after the Japanese failure to write new keys',
    });
    await waitFor(() => 'Open PoolPass' in (trayItem(tray)?.items ?? {}), { timeoutMs: 10000, what: 'the tray menu in English again' });
    notifications();
    // "Open PoolPass" starts the window program, which takes the tray over: one tray at a time.
    item = trayItem(tray);
    clickTray(item, 'Open PoolPass');
    const window = await waitFor(() => appPid(app.env.poolpassConfig), {
      timeoutMs: 15000,
      what: 'the window program to start again',
    });
    await waitFor(() => !fs.existsSync(`/proc/${tray}`), {
      timeoutMs: 15000,
      what: 'the tray program to hand over and exit',
    });
    await waitFor(() => trayItem(window), { timeoutMs: 15000, what: 'the window process\'s tray icon' });
    await waitFor(() => children(window).some((c) => c.comm.startsWith('WebKitWebProces')), {
      timeoutMs: 15000,
      what: 'the reopened window\'s web process',
    });
    // Quit from the tray ends it all.
    clickTray(trayItem(window), 'Quit PoolPass', { ends: true });
    await waitFor(() => !fs.existsSync(`/proc/${window}`), { timeoutMs: 15000, what: 'Quit to end PoolPass' });
    assert.equal(appPid(app.env.poolpassConfig, 'poolpass-tray'), null, 'no tray program after Quit');
  }],

  ['start-at-login', async (app) => {
    // What the session does at login: the entry's command, in this sandbox's environment.
    const login = spawn('sh', ['-c', `exec ${autostartExec(app)}`], { stdio: 'ignore', detached: true });
    login.unref();
    // The tray program alone: no window, no WebKit.
    const tray = await waitFor(() => appPid(app.env.poolpassConfig, 'poolpass-tray'), {
      timeoutMs: 10000,
      what: 'the tray program started at login',
    });
    const item = await waitFor(() => trayItem(tray), { timeoutMs: 10000, what: 'its tray icon' });
    assert.equal(appPid(app.env.poolpassConfig), null, 'no window process at login');
    // The tray's "Sign out…" starts the window program on the sign-out dialog (--sign-out,
    // whose dialog the next step checks); the window process takes the tray over.
    clickTray(item, 'Sign out…');
    const window = await waitFor(() => appPid(app.env.poolpassConfig), {
      timeoutMs: 15000,
      what: 'the window program started by "Sign out…"',
    });
    const argv = fs.readFileSync(`/proc/${window}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes('--sign-out'), `started to sign out (${argv.join(' ')})`);
    await waitFor(() => !fs.existsSync(`/proc/${tray}`), {
      timeoutMs: 15000,
      what: 'the tray program to hand over and exit',
    });
    const windowItem = await waitFor(() => trayItem(window), { timeoutMs: 15000, what: 'the window process\'s tray icon' });
    clickTray(windowItem, 'Quit PoolPass', { ends: true });
    await waitFor(() => !fs.existsSync(`/proc/${window}`), { timeoutMs: 15000, what: 'Quit to end PoolPass' });
  }],

  ['sign-out', async (app) => {
    // PoolPass was quit from the tray: started again as the tray's "Sign out…" starts it, which
    // opens the window on the sign-out dialog.
    await app.launch(['--sign-out']);
    const { s } = app;
    await s.waitForElement('#dialog-signOut', 15000);
    await app.shot('at-launch');
    // Cancelled, it is the window's own "Sign out" button that brings it back.
    await s.click('#dialog-cancel');
    await waitFor(async () => s.execute("return !document.getElementById('dialog-signOut')"), {
      what: 'the sign-out dialog to close',
    });
    await s.click('#open-signout');
    await s.waitForElement('#dialog-signOut');
    await s.click('#signout-remove');
    await app.shot('confirm');
    await s.click('#confirm-signout');
    // The scripted browser follows the hosted UI's /logout back to PoolPass's page.
    await s.waitForText('.notes', (t) => t.includes(`Signed out of ${CONNECTION}.`), {
      timeoutMs: 30000,
      what: `the note "Signed out of ${CONNECTION}."`,
    });
    const notes = await s.text('.notes');
    assert.match(notes, /revoked at the sign-in service/);
    assert.match(notes, new RegExp(`Removed profiles: ${PROFILE}`));
    assert.match(await s.pageText(), /No profiles yet/);
    assert.equal(iniSection(app.env.credentialsFile, PROFILE), null, 'the profile left the credentials file');
  }],

  ['sign-out-in-japanese', async (app) => {
    // Signed in again, then out, with the window in Japanese: every note of the sign-out, and
    // the whole window after it, is Japanese (names aside).
    const { s } = app;
    await setLanguage(s, 'ja');
    await s.click(`#signin-${CONNECTION}-Google`);
    await s.waitForText(`${row} th`, (t) => t === PROFILE, {
      timeoutMs: SIGN_IN_TIMEOUT_MS,
      what: `a credentials row for ${PROFILE} after signing in again`,
    });
    await s.waitForElement(`#signin-${CONNECTION}-Google`);
    await s.click('#open-signout');
    await s.waitForElement('#dialog-signOut');
    const dialog = await s.text('#dialog-signOut');
    assert.equal(englishIn(dialog), null, `no English in the sign-out dialog: "${dialog}"`);
    await s.click('#signout-remove');
    await s.click('#confirm-signout');
    const notes = await s.waitForText('.notes', (t) => t.includes(`${CONNECTION} からサインアウトしました。`), {
      timeoutMs: 30000,
      what: 'the sign-out note in Japanese',
    });
    await app.shot('ja-signed-out');
    assert.match(String(notes), new RegExp(PROFILE), 'the notes name the removed profile');
    assert.equal(englishIn(notes), null, `no English in the Japanese sign-out notes: "${notes}"`);
    // The whole window: provider names are product names, and stay as their guidelines write them.
    const page = String(await s.pageText()).replace(/Google|Facebook|Amazon|Apple/g, '');
    assert.equal(englishIn(page), null, `no English in the Japanese window: "${page}"`);
    await setLanguage(s, 'auto');
  }],
]);
