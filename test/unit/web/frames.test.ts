import { describe, expect, it } from 'vitest';
import { notice, ratingPrompt, type Inbound, type Outbound, type UserRef } from '../../../src/core/index.js';
import { frameToInbounds } from '../../../src/bots/web/inbound-frames.js';
import { editFrame, fetchableUrl, outboundFrames, webContent } from '../../../src/bots/web/outbound-frames.js';

const me: UserRef = { platform: 'web', externalId: 'AAAAAAAAAAAAAAAAAAAAAA' };
const now = new Date('2026-12-03T12:00:00Z');
const SID = 'session_0a1b2c3d4e';

function inbounds(f: Parameters<typeof frameToInbounds>[0]): Inbound[] {
  const out = frameToInbounds(f, me, now);
  if (out.kind !== 'inbound') throw new Error(`expected inbounds, got ${out.kind}`);
  return [...out.inbounds];
}

describe('client frames -> core inbounds', () => {
  it('find becomes /find with interests and lang:, stop/next/commands become commands', () => {
    expect(inbounds({ v: 1, type: 'find', interests: ['music', '#games'], language: 'en' })[0]).toMatchObject({
      kind: 'command',
      name: 'find',
      args: 'music #games lang:en',
      userRef: me,
    });
    expect(inbounds({ v: 1, type: 'find' })[0]).toMatchObject({ kind: 'command', name: 'find', args: '' });
    expect(inbounds({ v: 1, type: 'stop' })[0]).toMatchObject({ kind: 'command', name: 'stop' });
    expect(inbounds({ v: 1, type: 'next' })[0]).toMatchObject({ kind: 'command', name: 'next' });
    expect(inbounds({ v: 1, type: 'command', name: 'history', args: ' session_0a1b2c3d4e ' })[0]).toMatchObject({
      kind: 'command',
      name: 'history',
      args: SID,
    });
  });

  it('a message keeps the client id as its ref and in its update id (resends are relayed once)', () => {
    const out = frameToInbounds({ v: 1, type: 'message', id: 'abcdef123456', text: '<b>hi</b>' }, me, now);
    expect(out).toMatchObject({ kind: 'inbound', ackId: 'abcdef123456' });
    const [m] = inbounds({ v: 1, type: 'message', id: 'abcdef123456', text: '<b>hi</b>' });
    expect(m).toMatchObject({
      kind: 'message',
      ref: { platform: 'web', chatId: me.externalId, messageId: 'abcdef123456' },
      content: { kind: 'text', text: '<b>hi</b>' },
      updateId: `msg:${me.externalId}:abcdef123456`,
    });
    const [a] = inbounds({ v: 1, type: 'stop' });
    const [b] = inbounds({ v: 1, type: 'stop' });
    expect(a?.updateId).not.toBe(b?.updateId);
  });

  it('feedback: a rating (and its comment as the core comment action)', () => {
    const [rate, comment] = inbounds({ v: 1, type: 'feedback', action: `rate:4:${SID}`, comment: ' good ' });
    expect(rate).toMatchObject({ kind: 'button', action: `rate:4:${SID}` });
    expect(rate && 'text' in rate).toBe(false);
    expect(comment).toMatchObject({ kind: 'button', action: `comment:${SID}`, text: 'good' });
    expect(inbounds({ v: 1, type: 'feedback', action: `rate:4:${SID}` })).toHaveLength(1);
    expect(inbounds({ v: 1, type: 'feedback', action: `comment:${SID}`, comment: 'late' })[0]).toMatchObject({
      action: `comment:${SID}`,
      text: 'late',
    });
    expect(frameToInbounds({ v: 1, type: 'feedback', action: 'stop' }, me, now)).toMatchObject({ kind: 'refused' });
  });

  it('report: /report without an action, report buttons with one; nothing else passes as a report', () => {
    expect(inbounds({ v: 1, type: 'report', text: 'rude' })[0]).toMatchObject({ kind: 'command', name: 'report', args: 'rude' });
    expect(inbounds({ v: 1, type: 'report', action: `report:${SID}` })[0]).toMatchObject({ kind: 'button', action: `report:${SID}` });
    expect(inbounds({ v: 1, type: 'report', action: `rcat:spam:${SID}` })[0]).toMatchObject({ kind: 'button' });
    expect(frameToInbounds({ v: 1, type: 'report', action: `rate:1:${SID}` }, me, now)).toMatchObject({ kind: 'refused' });
    expect(frameToInbounds({ v: 1, type: 'action', action: 'rm -rf' }, me, now)).toMatchObject({ kind: 'refused' });
    expect(inbounds({ v: 1, type: 'action', action: 'find' })[0]).toMatchObject({ kind: 'button', action: 'find' });
    expect(frameToInbounds({ v: 1, type: 'typing' }, me, now)).toEqual({ kind: 'typing' });
  });
});

describe('core outbounds -> server frames', () => {
  let n = 0;
  const nextId = () => `s-${++n}`;

  it('a notice keeps its text, buttons and form', () => {
    const [f] = outboundFrames(ratingPrompt(SID), me.externalId, nextId, now);
    expect(f).toMatchObject({ v: 1, type: 'notice', at: now.toISOString() });
    expect(f?.type === 'notice' ? f.text : '').toMatch(/How was this chat/);
    const actions = f?.type === 'notice' ? (f.buttons ?? []).flat().map((b) => b.action) : [];
    expect(actions).toContain(`rate:5:${SID}`);
    expect(actions).toContain(`report:${SID}`);
    const [withForm] = outboundFrames(
      notice('Thanks', { form: { action: `comment:${SID}`, title: 'Feedback', label: 'Comment' } }),
      me.externalId,
      nextId,
      now,
    );
    expect(withForm).toMatchObject({ type: 'notice', form: { action: `comment:${SID}` } });
    expect(withForm && 'buttons' in withForm).toBe(false);
  });

  it('relayed text stays the exact text; replies to the visitor’s own messages keep their id', () => {
    const o: Outbound = {
      kind: 'relay',
      content: { kind: 'text', text: '<script>alert(1)</script>' },
      replyTo: { platform: 'web', chatId: me.externalId, messageId: 'abcdef123456' },
    };
    const [f] = outboundFrames(o, me.externalId, nextId, now);
    expect(f).toMatchObject({ type: 'relay', content: { kind: 'text', text: '<script>alert(1)</script>' }, replyTo: 'abcdef123456' });
    const foreign: Outbound = { ...o, replyTo: { platform: 'telegram', chatId: '1', messageId: '2' } };
    const [g] = outboundFrames(foreign, me.externalId, nextId, now);
    expect(g && 'replyTo' in g).toBe(false);
  });

  it('a photo is shown from a fetchable http(s) URL, otherwise as a notice of what the page cannot show', () => {
    const photo = (url?: string) =>
      webContent({ kind: 'media', media: 'photo', file: { platform: 'discord', fileId: '1', ...(url ? { url } : {}) }, caption: 'look' });
    expect(photo('https://cdn.example.com/a.png')).toEqual({ kind: 'photo', url: 'https://cdn.example.com/a.png', caption: 'look' });
    expect(photo()).toEqual({ kind: 'unavailable', what: 'a photo', caption: 'look' });
    expect(photo('javascript:alert(1)')).toMatchObject({ kind: 'unavailable' });
    expect(photo('data:image/png;base64,AAAA')).toMatchObject({ kind: 'unavailable' });
    expect(fetchableUrl('https://user:pw@cdn.example.com/a.png')).toBeNull();
    expect(webContent({ kind: 'media', media: 'voice', file: { platform: 'telegram', fileId: 'x' } })).toEqual({
      kind: 'unavailable',
      what: 'a voice message',
    });
    expect(webContent({ kind: 'location', latitude: 1, longitude: 2 })).toEqual({ kind: 'unavailable', what: 'a location' });
  });

  it('an album becomes one frame per item; edits carry the new content', () => {
    const album: Outbound = {
      kind: 'album',
      items: [
        { kind: 'relay', content: { kind: 'text', text: 'a' } },
        { kind: 'relay', content: { kind: 'text', text: 'b' } },
      ],
    };
    const frames = outboundFrames(album, me.externalId, nextId, now);
    expect(frames.map((f) => f.type)).toEqual(['relay', 'relay']);
    expect(new Set(frames.map((f) => ('id' in f ? f.id : ''))).size).toBe(2);
    expect(editFrame('s-1', { kind: 'relay', content: { kind: 'text', text: 'fixed' } })).toEqual({
      v: 1,
      type: 'edit',
      id: 's-1',
      content: { kind: 'text', text: 'fixed' },
    });
  });
});
