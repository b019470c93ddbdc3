import { pino, type Logger, type LevelWithSilent } from 'pino';

/*
 * Structured logs that are safe to ship: secrets and message content are censored
 * wherever they appear under these keys, whatever the call site passed in.
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'secret',
  '*.secret',
  'webSecret',
  '*.webSecret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'text',
  '*.text',
  'caption',
  '*.caption',
  'content',
  '*.content',
  'comment',
  '*.comment',
  'databaseUrl',
  '*.databaseUrl',
];

export function createLogger(level: LevelWithSilent, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'echosoul' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
