// The desktop app end to end: the real window (WebKitGTK under Xvfb, driven through
// tauri-driver), the real peers (hosted-UI stand-in, moto behind the proxy, GNOME Keyring),
// and a scripted Chromium as the user's browser. Run it with tests/e2e/run.sh.
//
// Add a step: one more [name, async (app) => {...}] entry below (see harness.mjs for `app`).
// To start the app with arguments (a poolpass://import?config=... link), call
// `await app.launch([link])` in the step: the app restarts with them, on the same sandbox.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { steps } from './harness.mjs';
import { waitFor } from './webdriver.mjs';

const CONNECTION = 'demo'; // tests/peers/demo-config.sh
const PROFILE = 'poolpass-demo';
const SIGN_IN_TIMEOUT_MS = 60000; // Chromium starts, signs in, lands on the callback page

// ui/src/logic.ts formatCountdown: "1 h 05 min", "12 min 05 s", "45 s".
const COUNTDOWN = /^(\d+ h \d\d min|\d+ min \d\d s|\d+ s)$/;
const row = `tbody tr:first-child`;

/** The app's process: the one whose environment holds this sandbox's POOLPASS_CONFIG. */
function appPid(config) {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!comm.startsWith('poolpass-deskto')) continue;
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (env.includes(`POOLPASS_CONFIG=${config}`)) return Number(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return null;
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
  ['import-from-link', async (app) => {
    // First run: no configuration. The administrator's poolpass://import link (the demo
    // configuration, base64url) is how it arrives; the window previews it and applies it only
    // when the user confirms.
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
    if ((await s.findAll('#cancel')).length) await app.shot('waiting-for-browser');
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
    await s.execute(`document.getElementById('format-${PROFILE}').value = 'fish'`);
    await s.click(`#copy-${PROFILE}`);
    await s.waitForText('.notes', (t) => t.includes('copied for fish'), { what: 'the note that the exports were copied' });
    // The secret went from the shell to the clipboard, never through the window.
    const secret = iniSection(app.env.credentialsFile, PROFILE).aws_secret_access_key;
    assert.ok(!String(await s.pageText()).includes(secret), 'the secret key is not in the window');
  }],

  ['sign-out', async (app) => {
    const { s } = app;
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

  ['close-to-tray', async (app) => {
    const { s } = app;
    const pid = appPid(app.env.poolpassConfig);
    assert.ok(pid, 'the app process is found');
    assert.ok(children(pid).some((c) => c.comm.startsWith('WebKitWebProces')), 'a web process serves the window');
    await app.shot('before');
    // The window may be gone before the key-up is delivered: that is the point.
    await s.keys(['\uE009', 'w']).catch((e) => {
      if (!/no such window/.test(e.message)) throw e;
    });
    // The window and its web process go; the app stays for the tray.
    await waitFor(() => !children(pid).some((c) => c.comm.startsWith('WebKitWebProces')), {
      timeoutMs: 10000,
      what: 'the web process to exit once the window is closed',
    });
    assert.ok(fs.existsSync(`/proc/${pid}`), 'the app keeps running in the tray');
    app.s = null; // the window is gone: no session, no screenshot
  }],
]);
