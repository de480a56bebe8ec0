// Runs the end-to-end test as a list of named steps, in order, on one app. Each step becomes a
// node:test test; a screenshot of the window is saved after it (NN-name.png in the artifacts
// folder). When a step fails, its report holds a screenshot (NN-name-FAILED.png), the window's
// text and the tail of the app's stderr, and the later steps are skipped (they build on it).
//
// A step is [name, async (app) => {...}] where `app` holds:
//   app.s            the WebDriver session (see webdriver.mjs), after app.launch()
//   app.launch(args) (re)starts the app with these command-line arguments, e.g. a
//                    poolpass://import?config=... link; any earlier session is closed first
//   app.shot(label)  an extra screenshot within the step (NN-name-label.png)
//   app.env          the sandbox: paths of the AWS files, the config, the logs
//   app.memo         values a step leaves for later ones
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { Session, waitForDriver } from './webdriver.mjs';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through tests/e2e/run.sh`);
  return v;
}

export const env = {
  driver: need('E2E_DRIVER_URL'),
  application: need('E2E_APP'),
  artifacts: need('E2E_ARTIFACTS'),
  appLog: need('E2E_APP_LOG'),
  browserLog: process.env.E2E_BROWSER_LOG,
  dunstMenu: need('E2E_DUNST_MENU'),
  credentialsFile: need('AWS_SHARED_CREDENTIALS_FILE'),
  configFile: need('AWS_CONFIG_FILE'),
  poolpassConfig: need('POOLPASS_CONFIG'),
};

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(empty)';
  } catch (e) {
    return `(cannot read ${file}: ${e.code ?? e.message})`;
  }
}

const indent = (text) => text.split('\n').map((l) => `    ${l}`).join('\n');

export function steps(list) {
  const app = {
    s: null,
    env,
    memo: {},
    current: '',
    async launch(args = []) {
      if (app.s) await app.s.delete().catch(() => {});
      app.s = null;
      await waitForDriver(env.driver);
      app.s = await Session.create(env.driver, { application: env.application, args });
    },
    async shot(label) {
      return app.s.screenshot(path.join(env.artifacts, `${app.current}${label ? `-${label}` : ''}.png`));
    },
  };
  let failed = null;

  list.forEach(([name, run], i) => {
    const id = `${String(i + 1).padStart(2, '0')}-${name}`;
    test(id, async (t) => {
      if (failed) {
        t.skip(`step ${failed} failed`);
        return;
      }
      app.current = id;
      try {
        await run(app);
        // A step that closed the window leaves no session to photograph.
        if (app.s) await app.shot();
      } catch (err) {
        failed = id;
        // The report is the message; the full stack is in NN-name-FAILED.txt.
        const e = new Error(await report(app, id, err));
        e.stack = `${e.message}\n    at step ${id} (tests/e2e/app.test.mjs)`;
        throw e;
      }
    });
  });

  after(async () => {
    if (app.s) await app.s.delete().catch((e) => console.error(`could not end the WebDriver session: ${e.message}`));
    console.log(`e2e artifacts (screenshots, logs): ${env.artifacts}`);
  });
}

/** What a failed step leaves: a screenshot, the window's text and the logs' tails, in one
 * message (and in NN-name-FAILED.txt next to the screenshot). */
async function report(app, id, err) {
  const parts = [`step ${id} failed: ${err.message}`];
  if (app.s) {
    const png = path.join(env.artifacts, `${id}-FAILED.png`);
    parts.push(await app.s.screenshot(png).then(
      () => `screenshot: ${png}`,
      (e) => `no screenshot (${e.message})`,
    ));
    const text = await app.s.pageText().catch((e) => `(cannot read the window: ${e.message})`);
    parts.push(`the window says:\n${indent(String(text).trim() || '(nothing)')}`);
  } else {
    parts.push('no window: the app was not launched (or did not start)');
  }
  parts.push(`app stderr, last lines (${env.appLog}):\n${indent(tail(env.appLog, 25))}`);
  if (env.browserLog && fs.existsSync(env.browserLog)) {
    parts.push(`scripted browser (${env.browserLog}):\n${indent(tail(env.browserLog, 10))}`);
  }
  const message = parts.join('\n');
  fs.writeFileSync(path.join(env.artifacts, `${id}-FAILED.txt`), `${message}\n\n${err.stack ?? ''}\n`);
  return message;
}
