import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { InteractionDesk } from '../../../src/bots/discord/interaction-desk.js';
import type { InteractionHandle, ReplyPayload } from '../../../src/bots/discord/interaction-handle.js';
import type { Log, MessageRef } from '../../../src/core/index.js';

const silent: Log = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };
const piece = (content: string): ReplyPayload => ({ content, components: [] });
const modal = { custom_id: 'comment:s', title: 'Feedback', components: [] };

function recordingHandle(failReply = false): { handle: InteractionHandle; calls: string[] } {
  const calls: string[] = [];
  let next = 0;
  const ref = (): MessageRef => ({ platform: 'discord', chatId: 'dm', messageId: `m${++next}` });
  const handle: InteractionHandle = {
    token: 'token',
    createdAt: 0,
    reply: (p) => {
      calls.push(`reply:${p.content}`);
      return failReply ? Promise.reject(new Error('Unknown interaction')) : Promise.resolve(ref());
    },
    defer: () => {
      calls.push('defer');
      return Promise.resolve();
    },
    editOriginal: (p) => {
      calls.push(`edit:${p.content}`);
      return Promise.resolve(ref());
    },
    followUp: (p) => {
      calls.push(`followUp:${p.content}`);
      return Promise.resolve(ref());
    },
    deleteOriginal: () => {
      calls.push('delete');
      return Promise.resolve('thinking');
    },
    showModal: (m) => {
      calls.push(`modal:${m.custom_id}`);
      return Promise.resolve();
    },
  };
  return { handle, calls };
}

describe('InteractionDesk', () => {
  let deleted: string[];
  let answered: string[];
  let desk: InteractionDesk;

  beforeEach(() => {
    vi.useFakeTimers();
    deleted = [];
    answered = [];
    desk = new InteractionDesk(
      { ackMs: 1000, windowMs: 5000 },
      silent,
      (id) => deleted.push(id),
      (id) => answered.push(id),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  test('without an open interaction nothing is handled', async () => {
    await expect(desk.deliver('u', [piece('hi')])).resolves.toEqual({ handled: false, modalShown: false });
  });

  test('a notice in time is the reply, later ones follow up; no acknowledgement is needed', async () => {
    const { handle, calls } = recordingHandle();
    desk.openFor('u', handle, { mode: 'reply', canShowModal: true });
    const first = await desk.deliver('u', [piece('one'), piece('two')]);
    const second = await desk.deliver('u', [piece('three')]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(calls).toEqual(['reply:one', 'followUp:two', 'followUp:three']);
    expect(first).toEqual({ handled: true, refs: [expect.objectContaining({ messageId: 'm1' }), expect.objectContaining({ messageId: 'm2' })] });
    expect(second.handled).toBe(true);
    expect(answered).toEqual(['m1', 'm2', 'm3']);
    expect(desk.openCount).toBe(0);
  });

  test('no notice before the deadline: defer, then the first notice fills the original', async () => {
    const { handle, calls } = recordingHandle();
    desk.openFor('u', handle, { mode: 'reply', canShowModal: true });
    await vi.advanceTimersByTimeAsync(1000);
    await desk.deliver('u', [piece('late')]);
    expect(calls).toEqual(['defer', 'edit:late']);
  });

  test('deferred and never answered: the thinking message is removed when the window closes', async () => {
    const { handle, calls } = recordingHandle();
    desk.openFor('u', handle, { mode: 'reply', canShowModal: true });
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toEqual(['defer', 'delete']);
    expect(deleted).toEqual(['thinking']);
    await expect(desk.deliver('u', [piece('too late')])).resolves.toMatchObject({ handled: false });
  });

  test('a form while the interaction is fresh opens a modal; the notice itself goes to the DM', async () => {
    const { handle, calls } = recordingHandle();
    desk.openFor('u', handle, { mode: 'update', canShowModal: true });
    await expect(desk.deliver('u', [piece('Anything to add?')], modal)).resolves.toEqual({ handled: false, modalShown: true });
    await expect(desk.deliver('u', [piece('more')], modal)).resolves.toEqual({ handled: false, modalShown: false });
    expect(calls).toEqual(['modal:comment:s']);
  });

  test('a button press is acknowledged silently and its notices go to the DM', async () => {
    const { handle, calls } = recordingHandle();
    desk.openFor('u', handle, { mode: 'update', canShowModal: true });
    await expect(desk.deliver('u', [piece('ok')])).resolves.toMatchObject({ handled: false });
    await vi.advanceTimersByTimeAsync(6000);
    expect(calls).toEqual(['defer']);
  });

  test('an interaction that cannot show a modal answers a form notice with a message', async () => {
    const { handle, calls } = recordingHandle();
    desk.openFor('u', handle, { mode: 'reply', canShowModal: false });
    await expect(desk.deliver('u', [piece('with form')], modal)).resolves.toMatchObject({ handled: true });
    expect(calls).toEqual(['reply:with form']);
  });

  test('a failed reply falls back to the DM and the interaction is given up', async () => {
    const { handle, calls } = recordingHandle(true);
    desk.openFor('u', handle, { mode: 'reply', canShowModal: true });
    await expect(desk.deliver('u', [piece('x')])).resolves.toMatchObject({ handled: false });
    await vi.advanceTimersByTimeAsync(6000);
    expect(calls).toEqual(['reply:x']);
  });

  test('a new interaction from the same user settles the previous one', async () => {
    const first = recordingHandle();
    const second = recordingHandle();
    desk.openFor('u', first.handle, { mode: 'reply', canShowModal: true });
    await vi.advanceTimersByTimeAsync(1000);
    desk.openFor('u', second.handle, { mode: 'reply', canShowModal: true });
    await desk.deliver('u', [piece('for the second')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(first.calls).toEqual(['defer', 'delete']);
    expect(second.calls).toEqual(['reply:for the second']);
  });
});
