/*
 * Small helpers over a postgresql:// URL. They exist so that the rest of src/db can name a
 * database in logs and errors without ever printing the password in the URL.
 */

function parse(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // The input may hold a password: say what is wrong without echoing it.
    throw new TypeError('database URL is not a valid URL (expected postgresql://user@host:port/database)');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new TypeError(`database URL must start with postgresql:// (got ${url.protocol}//)`);
  }
  return url;
}

/** The role the URL logs in as (libpq's default, the OS user, is not guessed here). */
export function databaseUser(databaseUrl: string): string {
  return decodeURIComponent(parse(databaseUrl).username);
}

/** The database the URL names; like libpq, an empty path means "same name as the user". */
export function databaseName(databaseUrl: string): string {
  const url = parse(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name !== '') return name;
  const user = decodeURIComponent(url.username);
  if (user === '') throw new TypeError('database URL names neither a database nor a user');
  return user;
}

/** The same server, credentials and options, pointed at another database. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = parse(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** `echosoul on 127.0.0.1:5432`: what a log line or an error may say about a database URL. */
export function describeDatabase(databaseUrl: string): string {
  const url = parse(databaseUrl);
  const host = url.host === '' ? 'the default host' : url.host;
  return `${databaseName(databaseUrl)} on ${host}`;
}
