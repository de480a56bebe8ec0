// A small W3C WebDriver client over HTTP (Node's fetch), enough to drive the PoolPass window
// through tauri-driver: sessions, elements by CSS, clicks, text, scripts, keys, screenshots,
// and polling. https://www.w3.org/TR/webdriver2/
import fs from 'node:fs/promises';

// The key under which WebDriver returns an element reference.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path}: HTTP ${status} ${value?.error ?? ''}: ${value?.message ?? JSON.stringify(value)}`);
    this.error = value?.error; // e.g. "no such element", "stale element reference"
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, res.status, { error: 'bad response', message: text.slice(0, 300) });
  }
  if (!res.ok || json.value?.error) {
    // Name the selector a lookup used; leave out the session id.
    const what = `${path.replace(/^\/session\/[^/]+/, '/session/…')}${body?.using ? ` "${body.value}"` : ''}`;
    throw new WebDriverError(method, what, res.status, json.value);
  }
  return json.value;
}

/** Waits until the driver at `url` answers /status (tauri-driver starts WebKitWebDriver). */
export async function waitForDriver(url, timeoutMs = 15000) {
  return waitFor(async () => (await fetch(`${url}/status`)).ok, { timeoutMs, what: `a WebDriver at ${url}` });
}

/** Polls `predicate` (sync or async) until it returns a truthy value, which is returned.
 * Errors thrown by the predicate count as "not yet"; the last one is reported on timeout. */
export async function waitFor(predicate, { timeoutMs = 10000, intervalMs = 150, what = 'a condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v;
      last = `it returned ${JSON.stringify(v)}`;
    } catch (e) {
      last = `it failed: ${e.message}`;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last time ${last})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Launches the Tauri app `application` with `args`; its environment is tauri-driver's. */
  static async create(driverUrl, { application, args = [] }) {
    const value = await call(driverUrl, 'POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application, args } } },
    });
    return new Session(driverUrl, value.sessionId);
  }

  #call(method, path, body) {
    if (process.env.E2E_TRACE) console.error(`webdriver: ${method} ${path}`);
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async delete() {
    await this.#call('DELETE', '');
  }

  title() {
    return this.#call('GET', '/title');
  }

  /** The first element matching `css` (as `{ ref }`); throws WebDriverError "no such element". */
  async find(css) {
    return { ref: (await this.#call('POST', '/element', { using: 'css selector', value: css }))[ELEMENT] };
  }

  async findAll(css) {
    const found = await this.#call('POST', '/elements', { using: 'css selector', value: css });
    return found.map((e) => ({ ref: e[ELEMENT] }));
  }

  /** `target`: a CSS selector, or an element from find()/findAll(). */
  async #el(target) {
    return typeof target === 'string' ? (await this.find(target)).ref : target.ref;
  }

  async click(target) {
    await this.#call('POST', `/element/${await this.#el(target)}/click`, {});
  }

  /** The element's rendered text (innerText-like). */
  async text(target) {
    return this.#call('GET', `/element/${await this.#el(target)}/text`);
  }

  async attribute(target, name) {
    return this.#call('GET', `/element/${await this.#el(target)}/attribute/${encodeURIComponent(name)}`);
  }

  async enabled(target) {
    return this.#call('GET', `/element/${await this.#el(target)}/enabled`);
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page. A returned
   * promise is awaited, so `return window.__TAURI_INTERNALS__.invoke(...)` works. */
  execute(script, args = []) {
    return this.#call('POST', '/execute/sync', { script, args });
  }

  /** The page's visible text, for failure reports. */
  pageText() {
    return this.execute('return document.body ? document.body.innerText : document.documentElement.outerHTML');
  }

  /** Presses keys through the Actions API, e.g. keys(['\uE009', 'w']) for Ctrl+W (held in order,
   * released in reverse). Keys are WebDriver code points (\uE009 Control, \uE008 Shift). */
  async keys(chord) {
    const actions = [
      ...chord.map((value) => ({ type: 'keyDown', value })),
      ...[...chord].reverse().map((value) => ({ type: 'keyUp', value })),
    ];
    await this.#call('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.#call('DELETE', '/actions');
  }

  /** Saves a PNG of the window's page to `file`. */
  async screenshot(file) {
    // WebKitGTK's screenshot waits for the page's next paint, which an idle page without
    // accelerated compositing (how PoolPass runs it) never makes: keep it painting, invisibly,
    // for the moment the screenshot takes.
    await this.execute(`let n = 0; const s = document.body.style;
      const t = setInterval(() => { s.opacity = s.opacity === '0.999' ? '' : '0.999'; if (++n === 20) clearInterval(t); }, 50);`);
    await fs.writeFile(file, Buffer.from(await this.#call('GET', '/screenshot'), 'base64'));
    return file;
  }

  /** Polls until `css` matches an element, then returns it. */
  waitForElement(css, timeoutMs = 10000) {
    return waitFor(() => this.find(css), { timeoutMs, what: `an element matching ${css}` });
  }

  /** Polls until the element `css` has text for which `test(text)` holds; returns the text. */
  waitForText(css, test, { timeoutMs = 10000, what } = {}) {
    return waitFor(async () => {
      const t = await this.text(css);
      return test(t) ? t || true : false;
    }, { timeoutMs, what: what ?? `the text of ${css} to match` });
  }
}
