import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/core/index.js';
import type { MessageRef, RelayOutbound, UserRef } from '../../../src/core/index.js';
import { telegramErrors } from '../../fakes/telegram-bot-api.js';
import type { Json } from '../../fakes/telegram-bot-api.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const A = { id: 2001, first_name: 'Anna', last_name: 'Kowalska', username: 'anna_k' };
const B = { id: 2002, first_name: 'Ben', username: 'ben_b' };
const toB: UserRef = { platform: 'telegram', externalId: String(B.id) };
const tgRef = (chatId: number, messageId: number): MessageRef => ({
  platform: 'telegram',
  chatId: String(chatId),
  messageId: String(messageId),
});
const origin = (messageId: number) => ({ from: { platform: 'telegram' as const, externalId: String(A.id) }, ref: tgRef(A.id, messageId) });

async function setup(): Promise<Harness & { a: ReturnType<Harness['fake']['user']>; b: ReturnType<Harness['fake']['user']> }> {
  const harness = await startHarness();
  h = harness;
  return { ...harness, a: harness.fake.user(A), b: harness.fake.user(B) };
}

async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
}

describe('TelegramTransport outbound', () => {
  it('sends a notice with entities and an inline keyboard; long actions travel as short keys', async () => {
    const { transport, fake, b } = await setup();
    const long = `report:${'x'.repeat(80)}`;
    const refs = await transport.send(toB, {
      kind: 'notice',
      text: 'Chat ended. Rate it?',
      entities: [{ type: 'bold', offset: 0, length: 10 }],
      buttons: [
        [
          { label: '👍', action: 'rate:5:session_0a1b2c3d4e' },
          { label: '👎', action: 'rate:1:session_0a1b2c3d4e' },
        ],
        [{ label: 'Report', action: long }],
      ],
    });
    const call = fake.calls({ method: 'sendMessage', chatId: B.id })[0];
    expect(call?.params).toMatchObject({
      text: 'Chat ended. Rate it?',
      entities: [{ type: 'bold', offset: 0, length: 10 }],
    });
    const keyboard = (call?.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(keyboard[0]?.map((k) => k.callback_data)).toEqual(['rate:5:session_0a1b2c3d4e', 'rate:1:session_0a1b2c3d4e']);
    const key = keyboard[1]?.[0]?.callback_data ?? '';
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(64);
    expect(refs).toEqual([tgRef(B.id, Number(refs[0]?.messageId))]);

    b.press(Number(refs[0]?.messageId), key);
    const press = await h!.waitForInbound('button');
    expect(press.action).toBe(long);
  });

  it('asks a form question with ForceReply and turns the reply into a ButtonInbound', async () => {
    const { transport, fake, b } = await setup();
    const refs = await transport.send(toB, {
      kind: 'notice',
      text: 'What happened? Reply to this message.',
      form: { action: 'report:comment:session_0a1b2c3d4e', title: 'Report', label: 'Describe the problem' },
    });
    expect(refs).toHaveLength(1);
    const prompt = fake.calls({ method: 'sendMessage', chatId: B.id })[0];
    expect(prompt?.params.reply_markup).toEqual({ force_reply: true, input_field_placeholder: 'Describe the problem' });
    const answer = b.reply(Number(refs[0]?.messageId), 'they were rude');
    const button = await h!.waitForInbound('button');
    expect(button).toMatchObject({
      action: 'report:comment:session_0a1b2c3d4e',
      text: 'they were rude',
      updateId: String(answer.updateId),
      userRef: toB,
    });
    b.text('next message is ordinary');
    await h!.waitForInbound('message');
  });

  it('sends buttons and a form as two messages, the prompt last', async () => {
    const { transport, fake } = await setup();
    const refs = await transport.send(toB, {
      kind: 'notice',
      text: 'Thanks for chatting!',
      buttons: [[{ label: 'Skip', action: 'feedback:skip' }]],
      form: { action: 'feedback:comment', title: 'Feedback', label: 'Anything to add?' },
    });
    expect(refs).toHaveLength(2);
    const sent = fake.calls({ method: 'sendMessage', chatId: B.id });
    expect(sent[0]?.params.reply_markup).toHaveProperty('inline_keyboard');
    expect(sent[1]?.params).toMatchObject({ text: 'Feedback\nAnything to add?', reply_markup: { force_reply: true } });
  });

  it('copies a Telegram message with copyMessage, replying in the recipient chat', async () => {
    const { transport, fake, a, b } = await setup();
    const earlier = await transport.send(toB, { kind: 'notice', text: 'You are connected.' });
    const photo = a.photo({ caption: 'sunset' });
    const relay: RelayOutbound = {
      kind: 'relay',
      content: { kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: 'x' }, caption: 'sunset' },
      origin: origin(photo.messageId),
      replyTo: earlier[0]!,
    };
    const [copy] = await transport.send(toB, relay);
    const call = fake.calls({ method: 'copyMessage' })[0];
    expect(call?.params).toEqual({
      chat_id: String(B.id),
      from_chat_id: String(A.id),
      message_id: photo.messageId,
      reply_parameters: { message_id: Number(earlier[0]?.messageId), allow_sending_without_reply: true },
    });
    expect(fake.calls({ method: 'forwardMessage' })).toHaveLength(0);
    const seen = fake.messages(B.id).find((m) => m.message_id === Number(copy?.messageId));
    expect(seen).toMatchObject({ caption: 'sunset', from: { is_bot: true } });
    expect(seen?.photo).toBeDefined();
    expect((seen?.reply_to_message as Json | undefined)?.message_id).toBe(Number(earlier[0]?.messageId));
    expect(b.id).toBe(B.id);
  });

  it('copies an album from one chat with copyMessages and keeps it grouped', async () => {
    const { transport, fake, a } = await setup();
    const album = a.album(3);
    const items: RelayOutbound[] = album.map((s) => ({
      kind: 'relay',
      content: { kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: 'x' } },
      origin: origin(s.messageId),
    }));
    const refs = await transport.send(toB, { kind: 'album', items: [items[2]!, items[0]!, items[1]!] });
    const call = fake.calls({ method: 'copyMessages' })[0];
    expect(call?.params).toMatchObject({ chat_id: String(B.id), from_chat_id: String(A.id), message_ids: album.map((s) => s.messageId) });
    const copies = fake.messages(B.id);
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((m) => m.media_group_id)).size).toBe(1);
    // Refs come back in the order of the items asked for.
    const sorted = copies.map((m) => String(m.message_id));
    expect(refs.map((r) => r.messageId)).toEqual([sorted[2], sorted[0], sorted[1]]);
  });

  it('sends content from another platform natively, uploading its files', async () => {
    const { transport, fake, a } = await setup();
    const fromDiscord = { from: { platform: 'discord' as const, externalId: '99' }, ref: { platform: 'discord' as const, chatId: '5', messageId: '6' } };
    const bytes = Buffer.from('pretend this is a png');
    const source = fake.createFile('document', { bytes, mimeType: 'image/png', fileName: 'cat.png' });
    const url = fake.fileUrl(String(source.file_id));
    const earlier = await transport.send(toB, { kind: 'notice', text: 'connected' });

    await transport.send(toB, {
      kind: 'relay',
      content: { kind: 'text', text: 'hello there', entities: [{ type: 'italic', offset: 0, length: 5 }] },
      origin: fromDiscord,
    });
    await transport.send(toB, {
      kind: 'relay',
      content: { kind: 'media', media: 'photo', file: { platform: 'discord', fileId: 'att1', url, mimeType: 'image/png' }, caption: 'my cat' },
      origin: fromDiscord,
      replyTo: earlier[0]!,
    });
    await transport.send(toB, { kind: 'relay', content: { kind: 'location', latitude: 1.5, longitude: 2.5 } });
    await transport.send(toB, { kind: 'relay', content: { kind: 'contact', phoneNumber: '+100', firstName: 'Zed' } });
    await transport.send(toB, { kind: 'relay', content: { kind: 'poll', question: 'Q?', options: ['a', 'b'] } });

    expect(fake.calls({ method: 'sendMessage', chatId: B.id })[1]?.params).toMatchObject({
      text: 'hello there',
      entities: [{ type: 'italic', offset: 0, length: 5 }],
    });
    const upload = fake.calls({ method: 'sendPhoto' })[0];
    expect(upload?.encoding).toBe('multipart');
    expect(upload?.params).toMatchObject({
      caption: 'my cat',
      // telegraf 4.16.3 drops this object from multipart bodies unless the adapter encodes it.
      reply_parameters: { message_id: Number(earlier[0]?.messageId), allow_sending_without_reply: true },
    });
    const delivered = fake.messages(B.id).find((m) => m.caption === 'my cat');
    const sizes = delivered?.photo as { file_id: string }[];
    expect(fake.fileBytes(sizes[sizes.length - 1]?.file_id ?? '')).toEqual(bytes);
    expect(fake.calls({ method: 'sendLocation' })[0]?.params).toMatchObject({ latitude: 1.5, longitude: 2.5 });
    expect(fake.calls({ method: 'sendContact' })[0]?.params).toMatchObject({ phone_number: '+100', first_name: 'Zed' });
    expect(fake.calls({ method: 'sendPoll' })[0]?.params).toMatchObject({ question: 'Q?', options: ['a', 'b'] });
    expect(a.id).toBe(A.id);
  });

  it('sends a foreign album with sendMediaGroup', async () => {
    const { transport, fake } = await setup();
    const files = [0, 1].map((i) => fake.createFile('photo', { bytes: Buffer.from(`img${i}`), mimeType: 'image/jpeg' }));
    const refs = await transport.send(toB, {
      kind: 'album',
      items: files.map((f, i) => ({
        kind: 'relay' as const,
        content: {
          kind: 'media' as const,
          media: 'photo' as const,
          file: { platform: 'web' as const, fileId: `w${i}`, url: fake.fileUrl(String(f.file_id)) },
          ...(i === 0 ? { caption: 'two pics' } : {}),
        },
      })),
    });
    const call = fake.calls({ method: 'sendMediaGroup' })[0];
    expect(call?.encoding).toBe('multipart');
    expect(refs).toHaveLength(2);
    expect(fake.messages(B.id)[0]).toMatchObject({ caption: 'two pics' });
  });

  it('refuses a foreign file over the size cap as rejected, not as an unreachable recipient', async () => {
    const { transport, fake } = await setup();
    const big = fake.createFile('video', { bytes: Buffer.alloc(64 * 1024), mimeType: 'video/mp4' });
    const small = await startHarness({ transport: { maxForeignFileBytes: 1024 } });
    try {
      small.fake.user(B);
      const e = await deliveryError(
        small.transport.send(toB, {
          kind: 'relay',
          content: { kind: 'media', media: 'video', file: { platform: 'discord', fileId: 'v', url: fake.fileUrl(String(big.file_id)) } },
        }),
      );
      expect(e.kind).toBe('rejected');
      expect(e.platformCode).toBe('file_too_large');
      const noUrl = await deliveryError(
        small.transport.send(toB, { kind: 'relay', content: { kind: 'media', media: 'photo', file: { platform: 'discord', fileId: 'p' } } }),
      );
      expect(noUrl.kind).toBe('rejected');
      const unsupported = await deliveryError(
        small.transport.send(toB, { kind: 'relay', content: { kind: 'unsupported', description: 'a game' } }),
      );
      expect(unsupported.kind).toBe('rejected');
    } finally {
      await small.close();
    }
    expect(transport.capabilities.maxTextLength).toBe(4096);
  });

  it('edits text and captions (unchanged content is fine) and deletes idempotently', async () => {
    const { transport, fake } = await setup();
    const [text] = await transport.send(toB, { kind: 'relay', content: { kind: 'text', text: 'helo' } });
    const photoFile = fake.createFile('photo');
    const [photo] = await transport.send(toB, {
      kind: 'relay',
      content: { kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: String(photoFile.file_id) }, caption: 'old' },
    });
    await transport.edit(text!, { kind: 'relay', content: { kind: 'text', text: 'hello', entities: [{ type: 'bold', offset: 0, length: 5 }] } });
    await transport.edit(text!, { kind: 'relay', content: { kind: 'text', text: 'hello', entities: [{ type: 'bold', offset: 0, length: 5 }] } });
    await transport.edit(photo!, {
      kind: 'relay',
      content: { kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: 'x' }, caption: 'new' },
    });
    const edits = fake.calls({ method: 'editMessageText' });
    expect(edits).toHaveLength(2);
    expect(edits[1]?.response.error?.description).toMatch(/message is not modified/);
    expect(fake.messages(B.id).map((m) => m.text ?? m.caption)).toEqual(['hello', 'new']);

    await transport.delete(text!);
    await transport.delete(text!);
    expect(fake.messages(B.id)).toHaveLength(1);
    expect(fake.calls({ method: 'deleteMessage' }).map((c) => c.response.ok)).toEqual([true, false]);
  });

  it('edits a notice, keeping or replacing its buttons', async () => {
    const { transport, fake } = await setup();
    const [ref] = await transport.send(toB, { kind: 'notice', text: 'Searching…', buttons: [[{ label: 'Stop', action: 'stop' }]] });
    await transport.edit(ref!, { kind: 'notice', text: 'Found someone!' });
    expect(fake.messages(B.id)[0]).toMatchObject({ text: 'Found someone!' });
    expect(fake.messages(B.id)[0]).not.toHaveProperty('reply_markup');
  });
});

describe('TelegramTransport files for other platforms', () => {
  it('fetches the bytes of a Telegram file through getFile, for re-upload elsewhere', async () => {
    const { transport, fake, a } = await setup();
    const voice = a.voice();
    const inbound = await h!.waitForInbound('message', (m) => m.ref.messageId === String(voice.messageId));
    if (inbound.content.kind !== 'media') throw new Error('expected media');
    const fetched = await transport.fetchFile(inbound.content.file);
    expect(fetched?.data).toEqual(fake.fileBytes(inbound.content.file.fileId));
    expect(fetched?.mimeType).toBe('audio/ogg');
    expect(fake.calls({ method: 'getFile' })[0]?.params.file_id).toBe(inbound.content.file.fileId);
    expect(await transport.fetchFile({ platform: 'telegram', fileId: 'nope' })).toBeNull();
    expect(await transport.fetchFile({ platform: 'discord', fileId: 'x', url: 'http://127.0.0.1:1/' })).toBeNull();
  });
});

describe('TelegramTransport delivery errors', () => {
  const text: RelayOutbound = { kind: 'relay', content: { kind: 'text', text: 'hi' } };

  it('maps 429 to rate_limited with retryAfterMs', async () => {
    const { transport, fake } = await setup();
    fake.failNext(B.id, telegramErrors.tooManyRequests(7));
    const e = await deliveryError(transport.send(toB, text));
    expect(e).toMatchObject({ kind: 'rate_limited', platformCode: 429, retryAfterMs: 7000 });
    await expect(transport.send(toB, text)).resolves.toHaveLength(1);
  });

  it('maps a blocked bot and a missing chat to permanent', async () => {
    const { transport, fake } = await setup();
    fake.failNext(B.id, telegramErrors.blocked());
    expect(await deliveryError(transport.send(toB, text))).toMatchObject({ kind: 'permanent', platformCode: 403 });
    const e = await deliveryError(transport.send({ platform: 'telegram', externalId: '424242' }, text));
    expect(e).toMatchObject({ kind: 'permanent', platformCode: 400 });
    expect(e.message).toContain('chat not found');
  });

  it('maps other 400s to rejected, 5xx and network failures to transient', async () => {
    const { transport, fake } = await setup();
    const missing = await deliveryError(
      transport.send(toB, { kind: 'relay', content: { kind: 'text', text: 'x' }, origin: origin(999) }),
    );
    expect(missing).toMatchObject({ kind: 'rejected', platformCode: 400 });
    expect(missing.message).toContain('message to copy not found');
    fake.failNext(B.id, 'sendMessage', telegramErrors.serverError(502));
    expect(await deliveryError(transport.send(toB, text))).toMatchObject({ kind: 'transient', platformCode: 502 });
    await fake.close();
    expect((await deliveryError(transport.send(toB, text))).kind).toBe('transient');
  });
});
