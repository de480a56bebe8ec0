// The user's browser, played by Debian's Chromium through playwright-core: PoolPass opens it
// (through BROWSER) with a link, and it acts like a person would.
// - A sign-in link: it signs in on the hosted-UI stand-in's page, then lands on PoolPass's
//   loopback callback page. When the hosted UI still has a session for this browser, no
//   sign-in page comes and it lands there at once (as with Cognito's session cookie).
// - A sign-out link (the hosted UI's /logout): it follows the redirects to PoolPass's
//   loopback page.
// Each run is a fresh browser profile (no session cookie), as on a first sign-in, unless
// POOLPASS_TEST_BROWSER_PROFILE names a folder to keep the profile in between runs.
//
// Usage: sign-in.mjs URL
// Environment: POOLPASS_TEST_LOGIN (user name, default "alice"),
//   POOLPASS_TEST_SCREENSHOTS (a folder: save a picture of each page),
//   POOLPASS_TEST_BROWSER_LOG (a file: append what happened, for the test to read),
//   POOLPASS_TEST_BROWSER_PROFILE (a folder: a profile kept between runs).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.argv[2];
const params = new URL(url).searchParams;
// The hosted UI sends the browser back here once the user has signed in (or out).
const logoutUri = params.get('logout_uri');
const redirectUri = logoutUri || params.get('redirect_uri');
const login = process.env.POOLPASS_TEST_LOGIN || 'alice';
const shots = process.env.POOLPASS_TEST_SCREENSHOTS;
const logFile = process.env.POOLPASS_TEST_BROWSER_LOG;
const profile = process.env.POOLPASS_TEST_BROWSER_PROFILE;
const say = (msg) => {
  const line = `[browser] ${msg}\n`;
  process.stderr.write(line);
  if (logFile) fs.appendFileSync(logFile, line);
};

const options = {
  executablePath: process.env.POOLPASS_TEST_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--password-store=basic'],
};
const context = profile
  ? await chromium.launchPersistentContext(profile, options)
  : await (await chromium.launch(options)).newContext();
let status = 0;
const page = await context.newPage();
const landed = (u) => u.href.startsWith(redirectUri);
try {
  const shot = async (name) => shots && page.screenshot({ path: path.join(shots, `${name}.png`) });
  if (logoutUri) {
    await page.goto(url);
    await page.waitForURL(landed, { timeout: 20000 });
    await page.waitForLoadState('load');
    say(`signed out, landed on ${new URL(page.url()).pathname}: ${(await page.textContent('body')).trim()}`);
    await shot('3-signed-out-page');
  } else {
    await page.goto(url);
    // A sign-in page, or straight back to PoolPass when the hosted UI's session is still open.
    const form = page.waitForSelector('input[name=login]', { timeout: 20000 });
    const back = page.waitForURL(landed, { timeout: 20000 });
    // The loser rejects later (timeout, or the page closing); that is not a failure.
    form.catch(() => {});
    back.catch(() => {});
    await Promise.race([form, back]);
    if (landed(new URL(page.url()))) {
      say('no sign-in page: the hosted UI still had a session for this browser');
    } else {
      say(`sign-in page: ${await page.textContent('h1')}`);
      await shot('1-sign-in-page');
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', 'correct horse battery staple');
      await Promise.all([
        page.waitForURL(landed, { timeout: 20000 }),
        page.click('button[type=submit]'),
      ]);
    }
    await page.waitForLoadState('load');
    say(`landed on ${new URL(page.url()).pathname}: ${(await page.textContent('body')).trim()}`);
    await shot('2-callback-page');
  }
} catch (err) {
  const where = new URL(page.url());
  say(`failed on ${where.origin}${where.pathname}: ${err.message.split('\n')[0]}; the page says: ${(await page.textContent('body').catch(() => '')).trim().slice(0, 300)}`);
  status = 1;
} finally {
  await (profile ? context.close() : context.browser().close());
}
process.exit(status);
