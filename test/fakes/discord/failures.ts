/** A Discord error response: HTTP status, JSON error code and message, optional headers. */
export interface FailureSpec {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

const KNOWN: Record<number, { status: number; message: string }> = {
  0: { status: 500, message: '500: Internal Server Error' },
  10003: { status: 404, message: 'Unknown Channel' },
  10007: { status: 404, message: 'Unknown Member' },
  10008: { status: 404, message: 'Unknown Message' },
  10013: { status: 404, message: 'Unknown User' },
  10015: { status: 404, message: 'Unknown Webhook' },
  10062: { status: 404, message: 'Unknown interaction' },
  40005: { status: 413, message: 'Request entity too large' },
  40060: { status: 400, message: 'Interaction has already been acknowledged.' },
  50006: { status: 400, message: 'Cannot send an empty message' },
  50005: { status: 403, message: 'Cannot edit a message authored by another user' },
  50007: { status: 403, message: 'Cannot send messages to this user' },
  50035: { status: 400, message: 'Invalid Form Body' },
};

/** The response Discord gives for a JSON error code (50007 -> 403 "Cannot send messages to this user"). */
export function discordError(code: number, errors?: unknown): FailureSpec {
  const known = KNOWN[code] ?? { status: 400, message: `Error ${code}` };
  return { status: known.status, body: { message: known.message, code, ...(errors !== undefined && { errors }) } };
}

export function serverError(status = 500): FailureSpec {
  return { status, body: { message: `${status}: Server Error`, code: 0 } };
}

/** A per-route 429 with the headers discord.js reads to wait and retry. */
export function rateLimited(retryAfterSeconds: number): FailureSpec {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(retryAfterSeconds),
      'x-ratelimit-bucket': 'fakebucket0000',
      'x-ratelimit-scope': 'user',
    },
  };
}

interface Rule {
  readonly method: string | undefined;
  readonly path: RegExp;
  readonly failure: FailureSpec;
  remaining: number;
}

/** Failures to inject, matched by method and path below /api/v10; the first matching rule wins. */
export class FailureRules {
  private rules: Rule[] = [];

  add(method: string | undefined, path: RegExp, failure: FailureSpec, times = Number.POSITIVE_INFINITY): void {
    this.rules.push({ method: method?.toUpperCase(), path, failure, remaining: times });
  }

  take(method: string, path: string): FailureSpec | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.method === undefined || r.method === method) && r.path.test(path));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.failure;
  }

  clear(): void {
    this.rules = [];
  }
}
