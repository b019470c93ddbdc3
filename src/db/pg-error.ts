/*
 * Reading errors thrown by node-postgres. A server error carries a SQLSTATE `code` and,
 * for a syntax or semantic error, the 1-based character `position` in the query text.
 */

interface PgServerError {
  readonly code: string;
  readonly message: string;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  readonly position?: string | undefined;
}

function isPgServerError(err: unknown): err is PgServerError {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && 'severity' in err;
}

/** The SQLSTATE of a server error, or undefined for anything else (a refused connection, a bug). */
export function sqlState(err: unknown): string | undefined {
  return isPgServerError(err) ? err.code : undefined;
}

/** `line 12: CREATE TABLE "Foo" (` for a 1-based character position in `query`. */
function locate(query: string, position: number): string {
  const before = query.slice(0, position - 1);
  const lineNumber = before.split('\n').length;
  const line = query.split('\n')[lineNumber - 1] ?? '';
  return `line ${lineNumber}: ${line.trim()}`;
}

/** SQLSTATE and a multi-line description of `err`, pointing into `query` where the server says. */
export function describePgError(err: unknown, query: string): { readonly code: string; readonly text: string } {
  if (!isPgServerError(err)) {
    return { code: 'none', text: err instanceof Error ? err.message : String(err) };
  }
  const lines = [`ERROR: ${err.message}`];
  if (err.detail) lines.push(`DETAIL: ${err.detail}`);
  if (err.hint) lines.push(`HINT: ${err.hint}`);
  const position = Number(err.position);
  if (Number.isInteger(position) && position > 0) lines.push(`Position: ${locate(query, position)}`);
  return { code: err.code, text: lines.join('\n') };
}
