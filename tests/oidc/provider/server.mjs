// A real OpenID Provider for the sign-in tests (tests/oidc, docs/adr/0046): the certified
// oidc-provider with static clients, a signing key made at start (KEY_ID names it, so a restart
// with another KEY_ID is a key rotation) and a login page of its own instead of the library's
// development interactions. Configured by environment variables set by tests/oidc/conftest.py:
// PORT, ISSUER, CLIENTS (JSON list of oidc-provider client metadata), ACCOUNTS (JSON object,
// subject -> claims), KEY_ID, ID_TOKEN_TTL (seconds).
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const env = process.env;
const accounts = JSON.parse(env.ACCOUNTS || '{}');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: env.KEY_ID || 'key-1', use: 'sig', alg: 'RS256' };

const provider = new Provider(env.ISSUER, {
  clients: JSON.parse(env.CLIENTS || '[]'),
  jwks: { keys: [jwk] },
  cookies: { keys: ['tests-only-cookie-key'] },
  claims: { acr: null, amr: null, auth_time: null, openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified'] },
  conformIdTokenClaims: false,
  acrValues: ['pwd', 'mfa'],
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  ttl: { IdToken: Number(env.ID_TOKEN_TTL || 3600) },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
});

function page(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><title>Test provider</title></head><body>${body}</body></html>`);
}

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

// The login step: a subject and whether a second factor was used ("mfa"); the consent is
// granted in the same step.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    return page(res, 200, `<h1>Test provider</h1><form method="post">
      <label for="login">Account</label><input id="login" name="login" autocomplete="off">
      <label><input type="checkbox" name="mfa" value="1" id="mfa"> second factor</label>
      <button type="submit" id="submit">Sign in</button></form>`);
  }
  const form = await readForm(req);
  const accountId = form.get('login');
  if (!accounts[accountId]) return page(res, 400, '<p>unknown account</p>');
  const mfa = form.get('mfa') === '1';
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, {
    login: { accountId, amr: mfa ? ['pwd', 'otp'] : ['pwd'], acr: mfa ? 'mfa' : 'pwd' },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

const handler = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => page(res, 500, `<p>${String(err)}</p>`));
  } else {
    handler(req, res);
  }
});
server.listen(Number(env.PORT), '127.0.0.1', () => { console.log('ready'); });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
