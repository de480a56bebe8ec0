// The user's browser, played by Debian's Chromium through playwright-core: PoolPass opens it
// (through BROWSER) with the sign-in link, and it signs in on the hosted-UI stand-in's page
// like a person would, then lands on PoolPass's loopback callback page. Each run is a fresh
// browser profile (no session cookie), as on a first sign-in.
//
// Usage: sign-in.mjs URL
// Environment: POOLPASS_TEST_LOGIN (user name, default "alice"),
//   POOLPASS_TEST_SCREENSHOTS (a folder: save a picture of each page),
//   POOLPASS_TEST_BROWSER_LOG (a file: append what happened, for the test to read).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.argv[2];
// The hosted UI sends the browser back here once the user has signed in.
const redirectUri = new URL(url).searchParams.get('redirect_uri');
const login = process.env.POOLPASS_TEST_LOGIN || 'alice';
const shots = process.env.POOLPASS_TEST_SCREENSHOTS;
const logFile = process.env.POOLPASS_TEST_BROWSER_LOG;
const say = (msg) => {
  const line = `[browser] ${msg}\n`;
  process.stderr.write(line);
  if (logFile) fs.appendFileSync(logFile, line);
};

const browser = await chromium.launch({
  executablePath: process.env.POOLPASS_TEST_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--password-store=basic'],
});
let status = 0;
const page = await browser.newPage();
try {
  const shot = async (name) => shots && page.screenshot({ path: path.join(shots, `${name}.png`) });
  await page.goto(url);
  await page.waitForSelector('input[name=login]', { timeout: 20000 });
  say(`sign-in page: ${await page.textContent('h1')}`);
  await shot('1-sign-in-page');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'correct horse battery staple');
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(redirectUri), { timeout: 20000 }),
    page.click('button[type=submit]'),
  ]);
  await page.waitForLoadState('load');
  say(`landed on ${new URL(page.url()).pathname}: ${(await page.textContent('body')).trim()}`);
  await shot('2-callback-page');
} catch (err) {
  const where = new URL(page.url());
  say(`failed on ${where.origin}${where.pathname}: ${err.message.split('\n')[0]}; the page says: ${(await page.textContent('body').catch(() => '')).trim().slice(0, 300)}`);
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
