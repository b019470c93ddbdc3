import type { Log, LogFn } from '../../src/core/log.js';

const noop = (): void => undefined;

/** A Log that drops everything, for code under test that must be given one. */
export const silentLog: Log = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLog,
};

export interface LoggedLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly fields: object;
}

/** A Log that keeps every line, for tests that assert what was said (children share the list). */
export function recordingLog(): { readonly log: Log; readonly lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']): LogFn =>
    (objOrMsg: object | string, msg?: string) => {
      if (typeof objOrMsg === 'string') lines.push({ level, msg: objOrMsg, fields: {} });
      else lines.push({ level, msg: msg ?? '', fields: objOrMsg });
    };
  const log: Log = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return { log, lines };
}
