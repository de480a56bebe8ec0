// A stand-in for Amazon Cognito's hosted UI (managed login), built on oidc-provider and
// configured with Cognito's paths, so PoolPass's real sign-in code can run against it.
//
// What it imitates:
// - paths /oauth2/authorize, /oauth2/token, /oauth2/userInfo, /oauth2/revoke, /logout and
//   /.well-known/jwks.json; PKCE required; a public app client; refresh tokens without
//   offline_access, living apart from the browser session (as Cognito's do);
// - ID tokens with Cognito's claims: cognito:username (`Google_alice` for a social user),
//   cognito:groups / cognito:roles / cognito:preferred_role from the seeded groups,
//   token_use = "id", identities naming the identity_provider the authorize request asked for;
// - the identity_provider parameter skipping the chooser and going straight to "the IdP's" page;
// - /oauth2/revoke as Cognito's: form `token` + `client_id`, 200 (also for an unknown token),
//   and a revoked refresh token fails later refreshes with invalid_grant;
// - /logout as Cognito's (not OIDC RP-initiated logout): GET `client_id` + `logout_uri`, which
//   must be one of the client's sign-out URLs (else an error page, no redirect); it ends the
//   browser's session without revoking any token, and redirects to logout_uri.
//
// Test hooks (not Cognito's):
// - GET /__test/log: every authorize, token, revoke and logout request seen (the provider
//   asked for, grant types, whose token was revoked, whether a browser session ended), so tests
//   can assert what happened at the peer.
// - Log in as `fault-<kind>` to get a corrupted ID token from the token endpoint:
//   wrong-nonce, other-key, expired, wrong-aud, access-token (token_use "access").
// - The client id `<seeded client id>rotating` gets rotating refresh tokens (as a Cognito app
//   client with refresh-token rotation on); the seeded one keeps its refresh token.
// - The client id `<seeded client id>norevoke` has token revocation turned off: /oauth2/revoke
//   answers 400 invalid_request and the token stays valid (as Cognito does for such a client).
//
// Usage: node server.mjs --port PORT --seed SEED.json
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair, decodeJwt, SignJWT } from 'jose';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const port = Number(args.port || 9000);
const seed = JSON.parse(fs.readFileSync(args.seed, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

const log = { authorizations: [], tokens: [], revocations: [], logouts: [] };

async function makeKey(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { key: privateKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}
const signing = await makeKey('standin-key-1');
// Same kid, different key: a token signed with it must fail signature checks, not kid lookup.
const impostor = await makeKey('standin-key-1');

// Groups come from the seed (created in moto with the same role ARNs). A login named as in
// seed.users, or that name plus `-anything` (tests add a unique suffix), gets those groups;
// anyone else gets seed.default_groups.
function groupsFor(login) {
  const key = Object.keys(seed.users || {}).find((k) => login === k || login.startsWith(`${k}-`));
  const names = key !== undefined ? seed.users[key] : seed.default_groups || [];
  return names
    .map((n) => seed.groups.find((g) => g.name === n))
    .filter(Boolean)
    .sort((a, b) => a.precedence - b.precedence);
}

// Cognito names federated users `<Provider>_<id at the provider>`.
function accountIdFor(provider, login) {
  return !provider || provider === 'COGNITO' ? login : `${provider}_${login}`;
}

function splitAccountId(accountId) {
  const m = /^(Google|Facebook|LoginWithAmazon|SignInWithApple|[^_]+)_(.+)$/.exec(accountId);
  const known = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'];
  if (m && known.includes(m[1])) return { provider: m[1], login: m[2] };
  return { provider: null, login: accountId };
}

function uuidFor(s) {
  const h = crypto.createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const revocationOff = (clientId) => String(clientId).endsWith('norevoke');

const clients = [seed.client_id, `${seed.client_id}rotating`, `${seed.client_id}norevoke`].map((client_id) => ({
  client_id,
  token_endpoint_auth_method: 'none',
  application_type: 'native',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: seed.redirect_ports.map((p) => `http://localhost:${p}/callback`),
  post_logout_redirect_uris: seed.redirect_ports.map((p) => `http://localhost:${p}/signed-out`),
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signing.jwk] },
  cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
  routes: {
    authorization: '/oauth2/authorize',
    token: '/oauth2/token',
    userinfo: '/oauth2/userInfo',
    revocation: '/oauth2/revoke',
    end_session: '/logout',
    jwks: '/.well-known/jwks.json',
  },
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true, allowedPolicy: (_ctx, client) => !revocationOff(client.clientId) },
    userinfo: { enabled: true },
  },
  extraParams: ['identity_provider', 'idp_identifier', 'lang'],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'],
  claims: {
    openid: ['sub', 'cognito:username', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role', 'identities', 'token_use'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  ttl: {
    AuthorizationCode: 300,
    IdToken: 3600,
    AccessToken: 3600,
    RefreshToken: 30 * 24 * 3600,
    Session: 14 * 24 * 3600,
    Interaction: 3600,
    Grant: 30 * 24 * 3600,
  },
  // Cognito issues a refresh token to any client allowed the flow, without offline_access,
  // and it outlives the browser session.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: async () => false,
  rotateRefreshToken: (ctx) => ctx.oidc.client.clientId.endsWith('rotating'),
  findAccount: async (_ctx, accountId) => ({
    accountId,
    async claims(use) {
      const { provider: idp, login } = splitAccountId(accountId);
      const groups = groupsFor(login);
      const claims = {
        sub: uuidFor(accountId),
        'cognito:username': accountId,
        email: `${login}@example.com`,
        email_verified: 'true',
        name: login,
      };
      if (groups.length) {
        claims['cognito:groups'] = groups.map((g) => g.name);
        claims['cognito:roles'] = groups.map((g) => g.role_arn);
        claims['cognito:preferred_role'] = groups[0].role_arn;
      }
      if (idp) {
        claims.identities = [{ userId: login, providerName: idp, providerType: idp, issuer: null, primary: 'true', dateCreated: '1700000000000' }];
      }
      if (use === 'id_token') claims.token_use = 'id';
      return claims;
    },
  }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;

provider.on('server_error', (_ctx, err) => console.error('server_error', err));

// Cognito's /logout. oidc-provider's end_session is OIDC RP-initiated logout (another parameter
// name, a confirmation form, grants revoked), so it is answered here before oidc-provider sees it.
async function cognitoLogout(ctx) {
  const one = (v) => (typeof v === 'string' ? v : null);
  const clientId = one(ctx.query.client_id);
  const logoutUri = one(ctx.query.logout_uri);
  const entry = { client_id: clientId, logout_uri: logoutUri, at: Date.now() };
  log.logouts.push(entry);
  const client = clientId ? await provider.Client.find(clientId) : undefined;
  const refuse = (error, text) => {
    entry.error = error;
    ctx.status = 400;
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>Error</title></head><body><h1 id="error">${error}</h1><p>${text}</p></body></html>`;
  };
  if (!client) return refuse('invalid_client', 'Unknown client_id.');
  if (!logoutUri || !client.postLogoutRedirectUriAllowed(logoutUri)) {
    return refuse('redirect_mismatch', 'logout_uri is not one of the sign-out URLs of this app client.');
  }
  const session = await provider.Session.get(ctx);
  entry.user = session.accountId || null;
  entry.ended_session = Boolean(session.accountId);
  // The session only: Cognito's /logout leaves refresh tokens valid.
  if (session.accountId) await session.destroy();
  for (const name of [provider.cookieName('session'), `${provider.cookieName('session')}.sig`]) {
    ctx.cookies.set(name, null);
  }
  ctx.status = 302;
  ctx.redirect(logoutUri);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/logout' && ctx.method === 'GET') return cognitoLogout(ctx);
  await next();
  if (ctx.path !== '/oauth2/revoke' || ctx.method !== 'POST') return;
  const clientId = ctx.oidc?.client?.clientId;
  if (ctx.status === 200 && revocationOff(clientId)) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_request', error_description: 'Token revocation is not enabled for this app client' };
  }
  const token = ctx.oidc?.entities?.RefreshToken;
  log.revocations.push({
    client_id: clientId || null,
    status: ctx.status,
    error: ctx.body?.error || null,
    user: token?.accountId || null,
    revoked: Boolean(token) && ctx.status === 200,
    at: Date.now(),
  });
});

// Record token requests and, for fault accounts, corrupt the ID token on its way out.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/oauth2/token' || ctx.method !== 'POST') return;
  const grant = ctx.oidc?.params?.grant_type;
  const entry = { grant_type: grant, client_id: ctx.oidc?.client?.clientId, status: ctx.status, error: ctx.body?.error, at: Date.now() };
  log.tokens.push(entry);
  if (ctx.status !== 200 || !ctx.body?.id_token) return;
  const payload = decodeJwt(ctx.body.id_token);
  entry.user = payload['cognito:username'];
  entry.rotated = Boolean(ctx.body.refresh_token) && grant === 'refresh_token';
  const { login } = splitAccountId(payload['cognito:username'] || '');
  const m = /^fault-(.+)$/.exec(login);
  if (!m) return;
  let key = signing.key;
  const now = Math.floor(Date.now() / 1000);
  switch (m[1]) {
    case 'wrong-nonce': payload.nonce = 'not-the-nonce-that-was-sent'; break;
    case 'other-key': key = impostor.key; break;
    case 'expired': payload.iat = now - 7200; payload.exp = now - 3600; payload.auth_time = now - 7200; break;
    case 'wrong-aud': payload.aud = 'some-other-app-client'; break;
    case 'access-token': payload.token_use = 'access'; break;
    default: return;
  }
  ctx.body.id_token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: signing.jwk.kid }).sign(key);
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(res, status, title, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

// The "IdP" page: when identity_provider is given, Cognito skips its own page and the user
// lands on Google's (or Facebook's...) sign-in. Any login and password are accepted.
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  const idp = details.params.identity_provider || 'COGNITO';
  if (details.prompt.name === 'consent') {
    // First-party app: Cognito asks no consent, so grant what was asked at once.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'GET') {
    log.authorizations.push({
      identity_provider: details.params.identity_provider || null,
      client_id: details.params.client_id,
      redirect_uri: details.params.redirect_uri,
      scope: details.params.scope,
      state: details.params.state,
      has_nonce: Boolean(details.params.nonce),
      code_challenge_method: details.params.code_challenge_method,
      at: Date.now(),
    });
    const label = idp === 'COGNITO' ? 'your pool account' : idp;
    return page(res, 200, `Sign in with ${label}`, `
      <h1 id="idp">Sign in with ${escape(label)}</h1>
      <p>Test stand-in for the hosted UI. Any user name and password are accepted.</p>
      <form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
        <label>User name <input name="login" required autofocus></label>
        <label>Password <input name="password" type="password" required></label>
        <button type="submit">Sign in</button>
      </form>`);
  }
  const form = await readForm(req);
  const login = (form.login || '').trim();
  if (!login) return page(res, 400, 'Sign in', '<p>User name required.</p>');
  const result = { login: { accountId: accountIdFor(idp, login) } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/__test/log') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(log));
    }
    const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (m) return await interaction(req, res, m[1]);
    return callback(req, res);
  } catch (err) {
    console.error(err);
    if (!res.headersSent) page(res, 500, 'Error', `<p>${escape(err.message)}</p>`);
    else res.end();
  }
});
server.listen(port, '127.0.0.1', () => console.log(`hosted-ui stand-in on ${issuer}`));
