// A customer link's token: 256 random bits, URL-safe; only its SHA-256 is stored, so the database
// (a backup, a replica) cannot be read for working links.
import { createHash, randomBytes } from 'node:crypto';

export const newToken = (): string => randomBytes(32).toString('base64url');

export const tokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** What could be a token at all (43 base64url characters); anything else is not looked up. */
export const looksLikeToken = (s: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(s);
