/**
 * The one password length limit, shared by every form that sets or takes a password (sign-in,
 * taking the tablet back, the account page, the admin's new-user form) and their schemas.
 *
 * NIST SP 800-63B §5.1.1.2: at least 8 characters, and verifiers SHOULD allow at least 64. Staff
 * accounts here open health records, so the minimum is raised to 12 (NSM's grunnprinsipper for
 * IKT-sikkerhet recommend long passphrases). OWASP ASVS 4.0 V2.1.2 allows refusing more than 128;
 * 256 is kept, as sign-in takes the same 256.
 *
 * The rule counts Unicode code points after NFKC normalisation (so "å" is one). A form field and
 * its schema measure what was typed in UTF-16 code units (the browser's maxlength and zod's max
 * both do), so the field takes four units per allowed character: enough for 256 characters of any
 * script typed in any normalisation form, and still a bound on what argon2 is given.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const PASSWORD_FIELD_MAX = PASSWORD_MAX_LENGTH * 4;
