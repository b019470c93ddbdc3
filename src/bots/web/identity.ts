import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Anonymous web identities. A visitor id is 16 random bytes (base64url, 22 characters); the
 * token the browser keeps in localStorage is `<id>.<HMAC-SHA256(secret, id)>`, so a visitor
 * can only ever act as an id this server handed out. There are no accounts and no passwords.
 */

const ID_RE = /^[A-Za-z0-9_-]{22}$/;
const CONTEXT = 'echosoul-web-visitor:v1:';

export interface VisitorIdentity {
  readonly id: string;
  readonly token: string;
}

export class VisitorTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('web visitor tokens: the secret must have at least 32 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  /** A brand-new anonymous identity. */
  mint(): VisitorIdentity {
    const id = randomBytes(16).toString('base64url');
    return { id, token: this.tokenFor(id) };
  }

  tokenFor(id: string): string {
    return `${id}.${this.sign(id)}`;
  }

  /** The visitor id a token was issued for, or null for anything we did not sign. */
  verify(token: string): string | null {
    const dot = token.indexOf('.');
    if (dot < 0) return null;
    const id = token.slice(0, dot);
    if (!ID_RE.test(id)) return null;
    const given = Buffer.from(token.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.sign(id), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  }

  private sign(id: string): string {
    return createHmac('sha256', this.key).update(CONTEXT + id).digest('base64url');
  }
}
