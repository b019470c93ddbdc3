import { describe, expect, test } from 'vitest';
import { ActionCodec, CUSTOM_ID_MAX, FALLBACK_FORM_TEXT } from '../../../src/bots/discord/action-codec.js';

describe('ActionCodec', () => {
  test('short actions are their own custom_id and decode without memory (buttons survive restarts)', () => {
    const id = new ActionCodec().encodeAction('rate:5:session_0a1b2c3d4e');
    expect(id).toBe('rate:5:session_0a1b2c3d4e');
    expect(new ActionCodec().decode(id)).toEqual({ kind: 'action', action: 'rate:5:session_0a1b2c3d4e' });
  });

  test('long actions are mapped to a short id and back', () => {
    const codec = new ActionCodec();
    const action = `note:${'z'.repeat(200)}`;
    const id = codec.encodeAction(action);
    expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(codec.decode(id)).toEqual({ kind: 'action', action });
    expect(new ActionCodec().decode(id)).toEqual({ kind: 'expired' });
  });

  test('duplicates within one message get distinct ids; reserved-looking actions are mapped', () => {
    const codec = new ActionCodec();
    const taken = new Set<string>();
    const first = codec.encodeAction('stop', taken);
    const second = codec.encodeAction('stop', taken);
    expect(first).toBe('stop');
    expect(second).not.toBe(first);
    expect(codec.decode(second)).toEqual({ kind: 'action', action: 'stop' });
    const tilde = codec.encodeAction('~a:trick');
    expect(codec.decode(tilde)).toEqual({ kind: 'action', action: '~a:trick' });
  });

  test('form openers carry the form; after a restart short ones still open with neutral text', () => {
    const codec = new ActionCodec();
    const form = { action: 'comment:session_0a1b2c3d4e', title: 'Feedback', label: 'Your comment' };
    const id = codec.encodeFormOpener(form);
    expect(codec.decode(id)).toEqual({ kind: 'form', form });
    expect(new ActionCodec().decode(id)).toEqual({ kind: 'form', form: { action: form.action, ...FALLBACK_FORM_TEXT } });
    const long = { ...form, action: 'y'.repeat(120) };
    const longId = codec.encodeFormOpener(long);
    expect(longId.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(codec.decode(longId)).toEqual({ kind: 'form', form: long });
  });
});
