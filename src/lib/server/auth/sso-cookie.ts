/** The browser's handle on a sign-on under way (auth/sso.ts): only the callback reads it, and deletes it. */
export const SSO_ATTEMPT_COOKIE = 'stemme_sso';
