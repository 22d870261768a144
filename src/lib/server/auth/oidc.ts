import * as client from 'openid-client';
import { importJWK } from 'jose';
import type { SsoConfig } from '../config';

/**
 * The OpenID Connect protocol, all of it done by openid-client: discovery, PKCE (S256), pushed
 * authorization requests where the provider offers them, client authentication by private_key_jwt
 * and DPoP-bound tokens where the installation turns it on (the HelseID profile). Stemme only keeps
 * what the callback must check between the two requests (sso.ts).
 */

/** The discovered provider per configuration, kept for the life of the process (a failed discovery is tried again). */
const providers = new Map<SsoConfig, Promise<client.Configuration>>();

export function providerOf(sso: SsoConfig): Promise<client.Configuration> {
	let found = providers.get(sso);
	if (found === undefined) {
		found = discover(sso);
		found.catch(() => providers.delete(sso));
		providers.set(sso, found);
	}
	return found;
}

async function discover(sso: SsoConfig): Promise<client.Configuration> {
	const key = (await importJWK(sso.privateJwk, sso.privateJwk.alg)) as CryptoKey;
	const auth = client.PrivateKeyJwt({ key, kid: sso.privateJwk.kid });
	const execute = sso.insecureLoopback ? [client.allowInsecureRequests] : [];
	// The ID token's signature is checked against the provider's published keys too, not only trusted for having come over TLS.
	return client.discovery(new URL(sso.issuer), sso.clientId, undefined, auth, { execute: [...execute, client.enableNonRepudiationChecks] });
}

/** What the callback needs to check the answer: kept on the server, keyed by the browser's attempt cookie. */
export interface PendingSignOn {
	state: string;
	nonce: string;
	codeVerifier: string;
	/** The DPoP key pair as JWKs (JSON), when DPoP is on: the provider binds the code to it. */
	dpopKey: string | null;
}

async function dpopHandle(config: client.Configuration, stored: string | null): Promise<client.DPoPHandle | undefined> {
	if (stored === null) return undefined;
	const { privateKey, publicKey } = JSON.parse(stored) as { privateKey: JsonWebKey; publicKey: JsonWebKey };
	const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
	const pair = {
		privateKey: await crypto.subtle.importKey('jwk', privateKey, algorithm, false, ['sign']),
		publicKey: await crypto.subtle.importKey('jwk', publicKey, algorithm, true, ['verify'])
	};
	return client.getDPoPHandle(config, pair);
}

/** Starts a sign-on: the address to send the browser to, and what to keep for the callback. */
export async function beginSignOn(sso: SsoConfig, redirectUri: string): Promise<{ url: URL; pending: PendingSignOn }> {
	const config = await providerOf(sso);
	const codeVerifier = client.randomPKCECodeVerifier();
	let dpopKey: string | null = null;
	if (sso.dpop) {
		const pair = await client.randomDPoPKeyPair('ES256', { extractable: true });
		dpopKey = JSON.stringify({ privateKey: await crypto.subtle.exportKey('jwk', pair.privateKey), publicKey: await crypto.subtle.exportKey('jwk', pair.publicKey) });
	}
	const pending: PendingSignOn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier, dpopKey };
	const parameters = {
		redirect_uri: redirectUri,
		scope: sso.scope,
		code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
		code_challenge_method: 'S256',
		state: pending.state,
		nonce: pending.nonce
	};
	const par = config.serverMetadata().pushed_authorization_request_endpoint !== undefined;
	const url = par ? await client.buildAuthorizationUrlWithPAR(config, parameters, { DPoP: await dpopHandle(config, dpopKey) }) : client.buildAuthorizationUrl(config, parameters);
	return { url, pending };
}

/** The person the provider vouches for: the ID token's claims, with the userinfo endpoint's where it has one. */
export type SignedOnClaims = Record<string, unknown> & { sub: string };

export type SignOnOutcome = { ok: true; claims: SignedOnClaims; idToken: string } | { ok: false; why: string };

/**
 * Checks the provider's answer at the callback and exchanges the code: state, PKCE, the ID token's
 * signature, issuer, audience, expiry and nonce are checked by openid-client (on its own clock:
 * the token's times are the provider's). Any refusal comes back as `why`, never thrown.
 */
export async function completeSignOn(sso: SsoConfig, currentUrl: URL, pending: PendingSignOn): Promise<SignOnOutcome> {
	try {
		const config = await providerOf(sso);
		const DPoP = await dpopHandle(config, pending.dpopKey);
		const tokens = await client.authorizationCodeGrant(
			config,
			currentUrl,
			{ pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
			undefined,
			{ DPoP }
		);
		const idClaims = tokens.claims();
		if (idClaims === undefined || tokens.id_token === undefined) return { ok: false, why: 'no ID token' };
		let claims: SignedOnClaims = { ...idClaims };
		if (config.serverMetadata().userinfo_endpoint !== undefined) {
			const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub, { DPoP });
			claims = { ...info, ...claims };
		}
		return { ok: true, claims, idToken: tokens.id_token };
	} catch (e) {
		return { ok: false, why: refusalOf(e) };
	}
}

/** Why openid-client refused, for the audit trail: its message and those of what caused it (the exact check). */
function refusalOf(e: unknown): string {
	if (e instanceof client.AuthorizationResponseError || e instanceof client.ResponseBodyError) return `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`;
	const reasons: string[] = [];
	for (let at: unknown = e; at instanceof Error && reasons.length < 4; at = at.cause) reasons.push(at.message);
	return reasons.length === 0 ? String(e) : reasons.join(' — ');
}

/** The provider's end-session address, for a session opened through it, when the provider offers one. */
export async function endSessionUrl(sso: SsoConfig, idToken: string, postLogoutRedirectUri: string): Promise<string | null> {
	try {
		const config = await providerOf(sso);
		if (config.serverMetadata().end_session_endpoint === undefined) return null;
		return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href;
	} catch {
		return null;
	}
}

/** Whether an address is the provider's own end-session endpoint (the only place the sign-out page sends a browser on to). */
export async function isEndSessionUrl(sso: SsoConfig, to: string): Promise<boolean> {
	try {
		const end = (await providerOf(sso)).serverMetadata().end_session_endpoint;
		return end !== undefined && (to === end || to.startsWith(`${end}?`));
	} catch {
		return false;
	}
}
