import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/**
 * A real OpenID Provider for the tests (oidc-provider), on loopback, set up like HelseID: pushed
 * authorization requests required, PKCE, private_key_jwt and DPoP-bound tokens. Its sign-in page
 * is a minimal form of this file's (type the account's id); `tamper` lets a test turn the provider
 * bad — re-sign or rewrite the ID token it hands out — to see the client refuse it.
 */
export interface TestProvider {
	issuer: string;
	clientId: string;
	/** A file holding Stemme's private JWK, for STEMME_SSO_KEY_FILE. */
	keyFile: string;
	/** People the provider knows: subject → claims. */
	accounts: Map<string, Record<string, unknown>>;
	/** Set to rewrite the next ID tokens: gets the payload, returns a new token (use `sign`). */
	tamper: ((payload: Record<string, unknown>) => Promise<string>) | null;
	/** Signs a payload with the provider's own key, or with `other`, a key it never published. */
	sign(payload: Record<string, unknown>, key?: 'provider' | 'other'): Promise<string>;
	close(): Promise<void>;
}

export async function startTestProvider(options: { redirectUri: string; postLogoutRedirectUri: string }): Promise<TestProvider> {
	const server: Server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	const issuer = `http://127.0.0.1:${address.port}`;

	const clientKeys = await generateKeyPair('ES256', { extractable: true });
	const clientPrivate = { ...(await exportJWK(clientKeys.privateKey)), alg: 'ES256', kid: 'stemme-1' };
	const clientPublic = { ...(await exportJWK(clientKeys.publicKey)), alg: 'ES256', kid: 'stemme-1', use: 'sig' };
	const dir = mkdtempSync(join(tmpdir(), 'stemme-sso-'));
	const keyFile = join(dir, 'client-key.json');
	writeFileSync(keyFile, JSON.stringify(clientPrivate));

	const signing = await generateKeyPair('RS256', { extractable: true });
	const signingJwk: JWK = { ...(await exportJWK(signing.privateKey)), alg: 'RS256', kid: 'provider-1', use: 'sig' };
	const other = await generateKeyPair('RS256');

	const accounts = new Map<string, Record<string, unknown>>();
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: 'stemme',
				token_endpoint_auth_method: 'private_key_jwt',
				token_endpoint_auth_signing_alg: 'ES256',
				jwks: { keys: [clientPublic as never] },
				redirect_uris: [options.redirectUri],
				post_logout_redirect_uris: [options.postLogoutRedirectUri],
				response_types: ['code'],
				grant_types: ['authorization_code'],
				dpop_bound_access_tokens: true
			}
		],
		jwks: { keys: [signingJwk as never] },
		features: {
			devInteractions: { enabled: false },
			pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
			dPoP: { enabled: true },
			rpInitiatedLogout: { enabled: true }
		},
		pkce: { required: () => true },
		scopes: ['openid', 'profile', 'email', 'helseid://scopes/identity/hpr_number', 'helseid://scopes/identity/security_level'],
		claims: {
			openid: ['sub'],
			profile: ['name', 'amr'],
			email: ['email', 'email_verified'],
			'helseid://scopes/identity/hpr_number': ['helseid://claims/hpr/hpr_number'],
			'helseid://scopes/identity/security_level': ['helseid://claims/identity/security_level']
		},
		conformIdTokenClaims: false,
		interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
		findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
			const claims = accounts.get(sub);
			return claims === undefined ? undefined : { accountId: sub, claims: () => ({ sub, ...claims }) };
		},
		cookies: { keys: ['test-cookie-key'] }
	});

	const handle: TestProvider = {
		issuer,
		clientId: 'stemme',
		keyFile,
		accounts,
		tamper: null,
		async sign(payload, key = 'provider') {
			const kid = 'provider-1';
			return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key === 'provider' ? signing.privateKey : other.privateKey);
		},
		async close() {
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		}
	};

	// The sign-in page: a form asking for the account id; submitting it logs in and consents to all asked.
	provider.use(async (ctx, next) => {
		const match = /^\/interaction\/([\w-]+)$/.exec(ctx.path);
		if (match === null) {
			await next();
			if (ctx.path === '/token' && handle.tamper !== null && ctx.body && typeof ctx.body === 'object' && 'id_token' in ctx.body) {
				const body = ctx.body as { id_token: string };
				ctx.body = { ...body, id_token: await handle.tamper(decodeJwt(body.id_token) as Record<string, unknown>) };
			}
			return;
		}
		const details = await provider.interactionDetails(ctx.req, ctx.res);
		if (ctx.method === 'GET') {
			ctx.type = 'html';
			ctx.body = `<!doctype html><html lang="en"><head><title>Test provider sign-in</title></head><body><main><h1>Test provider</h1><form method="post" action="/interaction/${details.uid}"><label>Account <input name="login" autocomplete="username"></label><button>Sign in at the provider</button></form></main></body></html>`;
			return;
		}
		const chunks: Buffer[] = [];
		for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
		const login = new URLSearchParams(Buffer.concat(chunks).toString()).get('login') ?? '';
		const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
		grant.addOIDCScope(String(details.params.scope));
		const grantId = await grant.save();
		const to = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: login, amr: ['pwd'] }, consent: { grantId } }, { mergeWithLastSubmission: false });
		ctx.status = 303;
		ctx.redirect(to);
	});
	server.on('request', provider.callback());
	return handle;
}

/** Follows a sign-on through the provider as a browser would, keeping its cookies: returns the callback address. */
export async function signOnAtProvider(authorizationUrl: string, login: string): Promise<URL> {
	const jar = new Map<string, string>();
	const go = async (url: string, init: RequestInit = {}): Promise<string> => {
		const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
		for (const c of response.headers.getSetCookie()) {
			const pair = c.split(';')[0] ?? '';
			const at = pair.indexOf('=');
			jar.set(pair.slice(0, at), pair.slice(at + 1));
		}
		const location = response.headers.get('location');
		if (location === null) throw new Error(`provider answered ${response.status} at ${url}: ${(await response.text()).slice(0, 300)}`);
		return new URL(location, url).href;
	};
	const interaction = await go(authorizationUrl);
	const resume = await go(interaction, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login }).toString() });
	return new URL(await go(resume));
}
