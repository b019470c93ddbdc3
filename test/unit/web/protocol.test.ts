import { describe, expect, it } from 'vitest';
import { MAX_TEXT, parseClientFrame, PROTOCOL_VERSION } from '../../../src/bots/web/protocol.js';

const parse = (o: unknown) => parseClientFrame(JSON.stringify(o));

describe('client frames', () => {
  it('accepts every frame type of version 1', () => {
    const frames = [
      { v: 1, type: 'hello' },
      { v: 1, type: 'hello', token: 'abc.def' },
      { v: 1, type: 'find', interests: ['music', '#games'], language: 'en' },
      { v: 1, type: 'find' },
      { v: 1, type: 'message', id: 'a1b2c3d4e5f6', text: 'hi' },
      { v: 1, type: 'typing' },
      { v: 1, type: 'stop' },
      { v: 1, type: 'next' },
      { v: 1, type: 'feedback', action: 'rate:5:session_0123456789', comment: 'nice' },
      { v: 1, type: 'report' },
      { v: 1, type: 'report', action: 'rcat:spam:session_0123456789' },
      { v: 1, type: 'action', action: 'find' },
      { v: 1, type: 'command', name: 'help' },
    ];
    for (const f of frames) {
      const r = parse(f);
      expect(r.ok, JSON.stringify(f)).toBe(true);
    }
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('refuses what is not JSON, another version, unknown types and missing fields', () => {
    expect(parseClientFrame('{nope')).toMatchObject({ ok: false, code: 'bad_json' });
    expect(parse({ v: 2, type: 'hello' })).toMatchObject({ ok: false, code: 'unsupported_version' });
    expect(parse({ type: 'hello' })).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parse({ v: 1, type: 'shout' })).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parse({ v: 1, type: 'message', text: 'no id' })).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parse([1, 2])).toMatchObject({ ok: false, code: 'bad_frame' });
  });

  it('limits sizes and shapes: message length, empty text, ids, interests, language', () => {
    expect(parse({ v: 1, type: 'message', id: 'a1b2c3d4e5f6', text: 'x'.repeat(MAX_TEXT) }).ok).toBe(true);
    const long = parse({ v: 1, type: 'message', id: 'a1b2c3d4e5f6', text: 'x'.repeat(MAX_TEXT + 1) });
    expect(long).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(long.ok ? '' : long.message).toMatch(/text: at most 2000 characters/);
    expect(parse({ v: 1, type: 'message', id: 'a1b2c3d4e5f6', text: '   \n ' }).ok).toBe(false);
    expect(parse({ v: 1, type: 'message', id: 'short', text: 'hi' }).ok).toBe(false);
    expect(parse({ v: 1, type: 'message', id: '../../etc/passwd', text: 'hi' }).ok).toBe(false);
    // An interest cannot smuggle a second argument ("lang:") or spaces into the /find line.
    expect(parse({ v: 1, type: 'find', interests: ['lang:fr'] }).ok).toBe(false);
    expect(parse({ v: 1, type: 'find', interests: ['two words'] }).ok).toBe(false);
    expect(parse({ v: 1, type: 'find', interests: Array.from({ length: 11 }, (_, i) => `t${i}`) }).ok).toBe(false);
    expect(parse({ v: 1, type: 'find', language: 'english' }).ok).toBe(false);
    expect(parse({ v: 1, type: 'find', language: null }).ok).toBe(true);
    expect(parse({ v: 1, type: 'command', name: 'Help me' }).ok).toBe(false);
    expect(parse({ v: 1, type: 'feedback', action: 'x'.repeat(101) }).ok).toBe(false);
  });
});
