import { afterEach, describe, expect, it } from 'vitest';
import type { AlbumInbound, MessageInbound, MessageRef, RelayOutbound, UserRef } from '../../../src/core/index.js';
import type { Json } from '../../fakes/telegram-bot-api.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// Distinctive values, so a leak cannot hide behind a coincidental substring.
const A = { id: 738_291_045, first_name: 'Zephyrine', last_name: 'Quellborn', username: 'zeph_q_77' };
const B = { id: 512_004_386, first_name: 'Bertram', username: 'bert_b' };
const toB: UserRef = { platform: 'telegram', externalId: String(B.id) };

const relayOf = (m: MessageInbound, replyTo?: MessageRef): RelayOutbound => ({
  kind: 'relay',
  content: m.content,
  origin: { from: m.userRef, ref: m.ref },
  ...(replyTo !== undefined ? { replyTo } : {}),
});

const identity = [String(A.id), A.first_name, A.last_name, A.username];

function withoutSourcePointer(params: Json): Json {
  const copy = { ...params };
  delete copy.from_chat_id;
  return copy;
}

describe('TelegramTransport anonymity', () => {
  it("never puts the sender's id, username or names into anything the partner receives", async () => {
    h = await startHarness();
    const { fake, transport } = h;
    const a = fake.user(A);
    fake.user(B);
    await transport.send(toB, { kind: 'notice', text: 'You are now chatting with a stranger.' });

    const text = a.text('hi there, how are you?', { entities: [{ type: 'bold', offset: 0, length: 2 }] });
    const photo = a.photo({ caption: 'my view' });
    a.sticker();
    a.location(48.2, 16.37);
    const album = a.album(2, { captions: ['trip'] });
    const textIn = await h.waitForInbound('message', (m) => m.ref.messageId === String(text.messageId));
    const photoIn = await h.waitForInbound('message', (m) => m.ref.messageId === String(photo.messageId));
    const albumIn: AlbumInbound = await h.waitForInbound('album');
    expect(albumIn.items).toHaveLength(album.length);
    const others = h.inbound.filter((i): i is MessageInbound => i.kind === 'message' && i !== textIn && i !== photoIn);

    const [textCopy] = await transport.send(toB, relayOf(textIn));
    await transport.send(toB, relayOf(photoIn, textCopy));
    for (const m of others) await transport.send(toB, relayOf(m));
    await transport.send(toB, { kind: 'album', items: albumIn.items.map((m) => relayOf(m)) });
    // The same content sent natively, as for a partner on another platform's adapter.
    await transport.send(toB, { kind: 'relay', content: textIn.content });
    const edit = a.editText(text.messageId, 'hi there, how are you doing?');
    const editIn = await h.waitForInbound('edit');
    await transport.edit(textCopy!, { kind: 'relay', content: editIn.content });
    expect(edit.messageId).toBe(text.messageId);

    // The inbound side did see who A is (the core needs the profile to prove anonymity)...
    expect(textIn.profile).toEqual({ username: A.username, displayName: `${A.first_name} ${A.last_name}` });

    // ...but no request addressed to B carries it. copyMessage's from_chat_id is the only
    // place A's chat id appears: it tells the API where the original is and is never shown.
    const toBCalls = fake.calls({ chatId: B.id });
    expect(toBCalls.map((c) => c.method).sort()).toEqual(
      ['copyMessage', 'copyMessage', 'copyMessage', 'copyMessage', 'copyMessages', 'editMessageText', 'sendMessage', 'sendMessage'],
    );
    const copies = toBCalls.filter((c) => c.method === 'copyMessage' || c.method === 'copyMessages');
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c.params.from_chat_id).toBe(String(A.id));
    for (const c of toBCalls) {
      const payload = JSON.stringify(withoutSourcePointer(c.params));
      for (const secret of identity) expect(payload, `${c.method} leaks ${secret}`).not.toContain(secret);
    }
    expect(fake.calls({ method: 'forwardMessage' })).toHaveLength(0);

    // What B actually sees: bot-authored messages without forward headers or A's identity.
    const seen = fake.messages(B.id);
    expect(seen.length).toBeGreaterThan(6);
    for (const m of seen) {
      expect((m.from as Json).id).toBe(fake.bot.id);
      expect(m).not.toHaveProperty('forward_origin');
      expect(m).not.toHaveProperty('forward_from');
      const shown = JSON.stringify({ ...m, chat: undefined });
      for (const secret of identity) expect(shown).not.toContain(secret);
    }

    // Logs above debug carry neither the token, nor content, nor platform user ids.
    for (const line of h.lines.filter((l) => l.level !== 'debug' && l.level !== 'trace')) {
      const logged = JSON.stringify(line);
      expect(logged).not.toContain(fake.token);
      expect(logged).not.toContain('how are you');
      expect(logged).not.toContain(String(A.id));
      expect(logged).not.toContain(String(B.id));
    }
  });
});
