import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';

describe('logger', () => {
  it('redacts tokens, secrets and message text wherever they appear', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ token: '123:SECRET', text: 'private words', sessionId: 'session_0123456789', msg: { caption: 'hidden caption' } }, 'relayed');
    const out = lines.join('');
    expect(out).toContain('session_0123456789');
    expect(out).not.toContain('SECRET');
    expect(out).not.toContain('private words');
    expect(out).not.toContain('hidden caption');
    expect(out).toContain('[redacted]');
  });
});
