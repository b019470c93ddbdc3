import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DiscordTransport } from '../../../src/bots/discord/index.js';
import {
  DeliveryError,
  notice,
  type Inbound,
  type MessageContent,
  type MessageInbound,
  type MessageRef,
  type Outbound,
  type RelayOutbound,
  type UserRef,
} from '../../../src/core/index.js';
import { FakeDiscord, type FakeGuild, type FakeInteraction, type RecordedRequest, type WireUser } from '../../fakes/discord/index.js';
import { recordingLog, startTransport, type Started } from './harness.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const GUILDS = 1;
const DIRECT_MESSAGES = 1 << 12;
const MESSAGE_CONTENT = 1 << 15;
const EPHEMERAL = 64;

const refOf = (user: WireUser): UserRef => ({ platform: 'discord', externalId: user.id });
const relay = (content: MessageContent, extra: Omit<RelayOutbound, 'kind' | 'content'> = {}): RelayOutbound => ({
  kind: 'relay',
  content,
  ...extra,
});
const withCaption = (content: MessageContent, caption: string): MessageContent =>
  content.kind === 'media' ? { ...content, caption } : content;
const body = (request: RecordedRequest): Record<string, unknown> => request.json as Record<string, unknown>;
const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;

describe('DiscordTransport against the fake Discord', () => {
  let fake: FakeDiscord;
  let started: Started;
  let transport: DiscordTransport;
  let alice: WireUser;
  let bob: WireUser;
  let guild: FakeGuild;

  const inboundAfter = async <K extends Inbound['kind']>(kind: K, trigger: () => void) => {
    const from = started.inbox.size;
    trigger();
    return started.inbox.next(kind, from);
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: ['Lounge'], heartbeatIntervalMs: 200 });
    started = await startTransport(fake, { moderation: { guildId: fake.guilds[0]?.id ?? '', roleId: '1200000000000000042' } });
    transport = started.transport;
    alice = fake.addUser('alice_w', 'Alice Wonder');
    bob = fake.addUser('bob_b', 'Bob Builder');
    const first = fake.guilds[0];
    if (!first) throw new Error('the fake has no guild');
    guild = first;
  });

  afterAll(async () => {
    await transport.stop();
    await fake.close();
  });

  afterEach(() => {
    started.inbox.respond = undefined;
    fake.clearFailures();
  });

  describe('gateway and commands', () => {
    test('logs in: GET /gateway/bot, json without compression, IDENTIFY without privileged intents, heartbeats acked', async () => {
      expect(fake.requestsMatching('GET', /^\/gateway\/bot$/)).toHaveLength(1);
      expect(fake.gateway.connections[0]).toEqual({ v: '10', encoding: 'json' });
      const identify = fake.gateway.identifies[0];
      expect(identify?.intents).toBe(GUILDS | DIRECT_MESSAGES);
      expect((identify?.intents ?? 0) & MESSAGE_CONTENT).toBe(0);
      expect(identify?.compress).toBe(false);
      expect(started.log.records.some((r) => r.msg === 'discord gateway ready' && JSON.stringify(r.obj) === '{"guilds":1}')).toBe(true);
      await fake.waitFor(() => fake.gateway.heartbeats >= 1);
    });

    test('registers the global commands once; a restart with the same set does not PUT, a changed set does', async () => {
      const puts = () => fake.requestsMatching('PUT', /^\/applications\/\d+\/commands$/);
      expect(puts()).toHaveLength(1);
      const registered = body(puts()[0] as RecordedRequest) as unknown as Record<string, unknown>[];
      expect(registered.map((c) => c.name).sort()).toEqual(
        ['block', 'deletemydata', 'feedback', 'find', 'help', 'history', 'mod', 'next', 'report', 'settings', 'stop'],
      );
      for (const command of registered) {
        expect(command.contexts).toEqual([0, 1, 2]);
        expect(command.integration_types).toEqual([0, 1]);
        // Only /mod is hidden (from everyone but server administrators); user commands keep Discord's default.
        expect(command.default_member_permissions).toBe(command.name === 'mod' ? '0' : undefined);
      }
      const find = registered.find((c) => c.name === 'find');
      expect((find?.options as { name: string }[]).map((o) => o.name)).toEqual(['interests', 'language']);
      const mod = registered.find((c) => c.name === 'mod');
      const subcommands = mod?.options as { type: number; name: string; options?: { name: string; type: number }[] }[];
      expect(subcommands.every((o) => o.type === 1)).toBe(true);
      expect(subcommands.map((o) => o.name)).toEqual(['reports', 'report', 'ban', 'unban', 'warn', 'feedback', 'user', 'stats', 'help']);
      expect(subcommands.find((o) => o.name === 'reports')?.options?.map((o) => [o.name, o.type])).toEqual([['filter', 3], ['page', 4]]);

      const again = await startTransport(fake);
      await again.transport.stop();
      expect(puts()).toHaveLength(1);

      fake.state.commands = fake.state.commands.filter((c) => c.name !== 'help');
      const changed = await startTransport(fake);
      await changed.transport.stop();
      expect(puts()).toHaveLength(2);
      expect(fake.commands).toHaveLength(11);

      // A changed /mod (Discord lost its permission default) is a difference too, and is put right.
      fake.state.commands = fake.state.commands.map((c) => (c.name === 'mod' ? { ...c, default_member_permissions: null } : c));
      const modChanged = await startTransport(fake);
      await modChanged.transport.stop();
      expect(puts()).toHaveLength(3);
      expect(fake.state.commands.find((c) => c.name === 'mod')?.default_member_permissions).toBe('0');

      const unchanged = await startTransport(fake);
      await unchanged.transport.stop();
      expect(puts()).toHaveLength(3);
    });
  });

  describe('interactions', () => {
    test('/find in the bot DM becomes a command inbound, answered by the interaction reply', async () => {
      const sent: MessageRef[][] = [];
      started.inbox.respond = async (inbound) => {
        if (inbound.kind !== 'command') return;
        sent.push(await transport.send(inbound.userRef, notice('Looking for someone...', { buttons: [[{ label: 'Stop', action: 'stop' }]] })));
      };
      const mark = fake.mark();
      let interaction: FakeInteraction | undefined;
      const command = await inboundAfter('command', () => {
        interaction = fake.slashCommand(alice, 'find', { interests: 'music games', language: 'en' });
      });
      expect(command).toMatchObject({ name: 'find', args: 'music games lang:en', userRef: refOf(alice), updateId: interaction?.id });

      const callback = await fake.waitForRequest('POST', CALLBACK, { after: mark });
      expect(body(callback).type).toBe(4);
      const data = body(callback).data as Record<string, unknown>;
      expect(data.content).toBe('Looking for someone...');
      expect(data.allowed_mentions).toEqual({ parse: [] });
      expect(data.components).toEqual([{ type: 1, components: [{ type: 2, style: 2, label: 'Stop', custom_id: 'stop' }] }]);
      await fake.waitFor(() => sent.length === 1);
      expect(sent[0]?.[0]?.chatId).toBe(fake.dmChannelOf(alice));
      expect(sent[0]?.[0]?.messageId).toBe(interaction?.originalMessageId);

      // The reply belongs to the interaction's webhook, so an edit goes through it while the token lives.
      const editMark = fake.mark();
      await transport.edit(sent[0]?.[0] as MessageRef, notice('Still looking...'));
      const edit = fake.requestsMatching('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/\d+$/, editMark)[0];
      expect(edit && body(edit)).toMatchObject({ content: 'Still looking...', allowed_mentions: { parse: [] } });
    });

    test('/mod <sub> <options> in the bot DM becomes the command mod with the text the core parses', async () => {
      started.inbox.respond = async (inbound) => {
        if (inbound.kind === 'command') await transport.send(inbound.userRef, notice('ok'));
      };
      const reports = await inboundAfter('command', () => fake.slashSubcommand(alice, 'mod', 'reports', { page: 2, filter: 'open' }));
      expect(reports).toMatchObject({ name: 'mod', args: 'reports open 2', userRef: refOf(alice) });

      const pageOnly = await inboundAfter('command', () => fake.slashSubcommand(alice, 'mod', 'reports', { page: 2 }));
      expect(pageOnly).toMatchObject({ name: 'mod', args: 'reports 2' });

      const ban = await inboundAfter('command', () =>
        fake.slashSubcommand(alice, 'mod', 'ban', { reason: 'spam links, again', duration: '24h', handle: 'u_4f9c2a' }),
      );
      expect(ban).toMatchObject({ name: 'mod', args: 'ban u_4f9c2a 24h spam links, again' });

      const stats = await inboundAfter('command', () => fake.slashSubcommand(alice, 'mod', 'stats'));
      expect(stats).toMatchObject({ name: 'mod', args: 'stats' });
    });

    test('/mod in a server moves to the DM like every command; the core decides who may use it', async () => {
      started.inbox.respond = async (inbound) => {
        if (inbound.kind === 'command') await transport.send(inbound.userRef, notice('Moderator commands: ...'));
      };
      const dave = fake.addUser('dave_d', 'Dave Admin');
      const mark = fake.mark();
      const command = await inboundAfter('command', () => fake.slashSubcommand(dave, 'mod', 'user', { handle: 'u_4f9c2a' }, guild));
      expect(command).toMatchObject({ name: 'mod', args: 'user u_4f9c2a', userRef: refOf(dave) });
      const pointer = await fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, { after: mark });
      expect(body(pointer).content).toMatch(/Check your DMs/);
      const dm = fake.dmChannelOf(dave);
      await fake.waitFor(() => fake.messagesIn(dm).find((m) => m.content === 'Moderator commands: ...'));
    });

    test('a slow answer is deferred first, then fills the original reply and follows up', async () => {
      started.inbox.respond = async (inbound) => {
        if (inbound.kind !== 'command') return;
        await new Promise((resolve) => setTimeout(resolve, 500));
        await transport.send(inbound.userRef, notice('Your recent chats:'));
        await transport.send(inbound.userRef, notice('No chats yet.'));
      };
      const mark = fake.mark();
      const interaction = fake.slashCommand(alice, 'history');
      const edit = await fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, { after: mark });
      const followUp = await fake.waitForRequest('POST', /^\/webhooks\/\d+\/[^/]+$/, { after: mark });
      expect(interaction.callbacks.map((c) => c.type)).toEqual([5]);
      expect(body(edit).content).toBe('Your recent chats:');
      expect(body(followUp).content).toBe('No chats yet.');
      expect(followUp.query.wait).toBe('true');
    });

    test('/find in a server replies ephemerally, opens the DM and the conversation continues there', async () => {
      started.inbox.respond = async (inbound) => {
        if (inbound.kind === 'command') await transport.send(inbound.userRef, notice('Searching...'));
      };
      const mark = fake.mark();
      let interaction: FakeInteraction | undefined;
      const command = await inboundAfter('command', () => {
        interaction = fake.slashCommand(bob, 'find', { interests: 'chess' }, guild);
      });
      expect(command).toMatchObject({ name: 'find', args: 'chess', userRef: refOf(bob) });

      const pointer = await fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, { after: mark });
      expect(body(pointer).content).toMatch(/Check your DMs/);
      expect(interaction?.callbacks[0]).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
      expect(interaction?.ephemeral).toBe(true);
      expect(fake.requestsMatching('POST', /^\/users\/@me\/channels$/, mark).map((r) => body(r).recipient_id)).toContain(bob.id);

      const dm = fake.dmChannelOf(bob);
      const reply = await fake.waitFor(() => fake.messagesIn(dm).find((m) => m.content === 'Searching...'));
      expect(reply.author.id).toBe(fake.applicationId);
      expect(fake.messagesIn(dm).some((m) => m.content.includes('/find'))).toBe(true);
    });

    test('a server command from someone whose DMs are closed explains how to open them and reaches no one', async () => {
      const carol = fake.addUser('carol_c', 'Carol');
      fake.failSendsTo(carol, 50007);
      const before = started.inbox.size;
      const mark = fake.mark();
      fake.slashCommand(carol, 'find', {}, guild);
      const answer = await fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, { after: mark });
      expect(body(answer).content).toMatch(/Direct Messages/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(started.inbox.items.slice(before).some((i) => i.userRef.externalId === carol.id)).toBe(false);
    });

    test('buttons map to ButtonInbound; a long action survives the 100-character custom_id limit', async () => {
      const longAction = `report_comment:${'x'.repeat(150)}`;
      const buttons = [
        [
          { label: '1', action: 'rate:1:session_0123456789' },
          { label: '2', action: 'rate:2:session_0123456789' },
          { label: '3', action: 'rate:3:session_0123456789' },
          { label: '4', action: 'rate:4:session_0123456789' },
          { label: '5', action: 'rate:5:session_0123456789' },
          { label: 'More', action: longAction },
        ],
      ];
      const [ref] = await transport.send(refOf(alice), notice('Rate your chat', { buttons }));
      const message = fake.message(ref?.messageId ?? '');
      const rows = message?.components as { components: { custom_id: string }[] }[];
      expect(rows.map((r) => r.components.length)).toEqual([5, 1]);
      const mappedId = rows[1]?.components[0]?.custom_id ?? '';
      expect(mappedId.length).toBeLessThanOrEqual(100);

      const mark = fake.mark();
      const click = await inboundAfter('button', () => fake.clickButton(alice, ref?.messageId ?? '', mappedId));
      expect(click).toMatchObject({ kind: 'button', action: longAction, userRef: refOf(alice) });
      const ack = await fake.waitForRequest('POST', CALLBACK, { after: mark });
      expect(body(ack).type).toBe(6);
    });

    test('a form asked for right after a button press opens as a modal; its submit comes back with the text', async () => {
      const form = { action: 'comment:session_0123456789', title: 'Feedback', label: 'Your comment (optional)' };
      started.inbox.respond = async (inbound) => {
        if (inbound.kind === 'button' && inbound.action === 'rate:4:session_0123456789') {
          await transport.send(inbound.userRef, notice('Thanks! Anything to add?', { form }));
        }
      };
      const [ref] = await transport.send(refOf(alice), notice('Rate', { buttons: [[{ label: '4', action: 'rate:4:session_0123456789' }]] }));
      const mark = fake.mark();
      const press = fake.clickButton(alice, ref?.messageId ?? '', 'rate:4:session_0123456789');
      await fake.waitFor(() => press.callbacks.length > 0);
      expect(press.callbacks[0]?.type).toBe(9);
      const modal = press.modal as { custom_id: string; title: string; components: { label: string }[] };
      expect(modal).toMatchObject({ custom_id: form.action, title: 'Feedback' });
      expect(modal.components[0]?.label).toBe('Your comment (optional)');
      // The prompt also lands in the DM, with a button to reopen the form if it was dismissed.
      const prompt = await fake.waitForRequest('POST', /^\/channels\/\d+\/messages$/, { after: mark });
      expect(body(prompt).content).toBe('Thanks! Anything to add?');

      started.inbox.respond = undefined;
      const submit = await inboundAfter('button', () => fake.submitModal(alice, modal.custom_id, 'Lovely chat', ref?.messageId));
      expect(submit).toMatchObject({ action: form.action, text: 'Lovely chat' });
    });

    test('a form without an interaction at hand is a button that opens the modal', async () => {
      const form = { action: 'rnote:r123', title: 'Report', label: 'Anything to add?' };
      const [ref] = await transport.send(refOf(bob), notice('Report sent.', { form }));
      const rows = fake.message(ref?.messageId ?? '')?.components as { components: { custom_id: string; label: string }[] }[];
      const opener = rows[0]?.components[0];
      expect(opener?.label).toContain('Report');
      const before = started.inbox.size;
      const press = fake.clickButton(bob, ref?.messageId ?? '', opener?.custom_id ?? '');
      await fake.waitFor(() => press.callbacks.length > 0);
      expect(press.callbacks[0]?.type).toBe(9);
      expect((press.modal as { custom_id: string }).custom_id).toBe(form.action);
      expect(started.inbox.size).toBe(before);
    });
  });

  describe('inbound DM messages', () => {
    test('text keeps its markdown; the bot does not hear its own messages', async () => {
      const message = await inboundAfter('message', () => fake.userSends(alice, { content: '**hi** _there_ @everyone' }));
      expect(message.content).toEqual({ kind: 'text', text: '**hi** _there_ @everyone' });
      expect(message.ref).toEqual({ platform: 'discord', chatId: fake.dmChannelOf(alice), messageId: message.updateId });
      expect(message.profile).toEqual({ username: 'alice_w', displayName: 'Alice Wonder' });

      const before = started.inbox.size;
      await transport.send(refOf(alice), notice('echo check'));
      const sentinel = await inboundAfter('message', () => fake.userSends(alice, { content: 'sentinel' }));
      expect(sentinel.content).toEqual({ kind: 'text', text: 'sentinel' });
      expect(started.inbox.size).toBe(before + 1);
    });

    test('an attachment is media with a fetchable Discord file; a voice message is voice; several make an album', async () => {
      const photo = await inboundAfter('message', () =>
        fake.userSends(alice, { content: 'look', attachments: [{ fileName: 'cat.png', contentType: 'image/png', data: PNG }] }),
      );
      expect(photo.content).toMatchObject({ kind: 'media', media: 'photo', caption: 'look' });
      const file = photo.content.kind === 'media' ? photo.content.file : undefined;
      expect(file).toMatchObject({ platform: 'discord', size: PNG.byteLength, mimeType: 'image/png', fileName: 'cat.png' });
      const fetched = Buffer.from(await (await fetch(file?.url ?? '')).arrayBuffer());
      expect(fetched.equals(PNG)).toBe(true);

      const voice = await inboundAfter('message', () =>
        fake.userSends(alice, { voice: true, attachments: [{ fileName: 'voice-message.ogg', contentType: 'audio/ogg', data: PNG }] }),
      );
      expect(voice.content).toMatchObject({ kind: 'media', media: 'voice' });

      const album = await inboundAfter('album', () =>
        fake.userSends(alice, {
          content: 'two things',
          attachments: [
            { fileName: 'a.jpg', contentType: 'image/jpeg', data: PNG },
            { fileName: 'b.pdf', contentType: 'application/pdf', data: PNG },
          ],
        }),
      );
      expect(album.items.map((i) => (i.content.kind === 'media' ? i.content.media : i.content.kind))).toEqual(['photo', 'document']);
      expect(album.items[0]?.content).toMatchObject({ caption: 'two things' });
    });

    test('stickers: an image sticker is media with its CDN url, a Lottie sticker is its name; replies carry replyTo', async () => {
      const sticker = await inboundAfter('message', () => fake.userSends(alice, { sticker: { name: 'wave', format: 'png' } }));
      expect(sticker.content).toMatchObject({ kind: 'media', media: 'sticker', file: { mimeType: 'image/png' } });
      const url = sticker.content.kind === 'media' ? (sticker.content.file.url ?? '') : '';
      expect(url.startsWith(fake.cdnRoot)).toBe(true);
      expect((await fetch(url)).ok).toBe(true);

      const lottie = await inboundAfter('message', () => fake.userSends(alice, { sticker: { name: 'dance', format: 'lottie' } }));
      expect(lottie.content).toEqual({ kind: 'text', text: '[Sticker: dance]' });

      const reply = await inboundAfter('message', () => fake.userSends(alice, { content: 'yes', replyTo: lottie.updateId }));
      expect(reply.replyTo).toEqual({ platform: 'discord', chatId: fake.dmChannelOf(alice), messageId: lottie.updateId });
    });

    test('edits become EditInbound (link previews do not), deletes become DeleteInbound', async () => {
      const original = await inboundAfter('message', () => fake.userSends(alice, { content: 'helo' }));
      const edit = await inboundAfter('edit', () => fake.userEdits(alice, original.updateId, 'hello'));
      expect(edit).toMatchObject({ ref: original.ref, content: { kind: 'text', text: 'hello' }, userRef: refOf(alice) });

      const before = started.inbox.size;
      fake.previewArrives(original.updateId);
      const deleted = await inboundAfter('delete', () => fake.userDeletes(alice, original.updateId));
      expect(deleted).toMatchObject({ ref: original.ref, userRef: refOf(alice) });
      expect(started.inbox.items.slice(before).map((i) => i.kind)).toEqual(['delete']);
    });

    test('a command typed as DM text is a command', async () => {
      const command = await inboundAfter('command', () => fake.userSends(alice, { content: '/next music lang:de' }));
      expect(command).toMatchObject({ name: 'next', args: 'music lang:de' });
    });
  });

  describe('outbound', () => {
    test('@everyone is sent as written, with allowed_mentions parse []', async () => {
      const mark = fake.mark();
      await transport.send(refOf(bob), relay({ kind: 'text', text: '@everyone look <@123456789012345678>' }));
      const request = await fake.waitForRequest('POST', /^\/channels\/\d+\/messages$/, { after: mark });
      expect(body(request).content).toBe('@everyone look <@123456789012345678>');
      expect(body(request).allowed_mentions).toEqual({ parse: [] });
    });

    test('reply, edit and delete map to message_reference, PATCH and DELETE', async () => {
      const [first] = await transport.send(refOf(bob), relay({ kind: 'text', text: 'first' }));
      if (!first) throw new Error('nothing sent');
      const mark = fake.mark();
      await transport.send(refOf(bob), relay({ kind: 'text', text: 'second' }, { replyTo: first }));
      const reply = await fake.waitForRequest('POST', /^\/channels\/\d+\/messages$/, { after: mark });
      expect(body(reply).message_reference).toEqual({ message_id: first.messageId, channel_id: first.chatId, fail_if_not_exists: false });

      await transport.edit(first, relay({ kind: 'text', text: 'first, edited' }));
      const patch = fake.requestsMatching('PATCH', new RegExp(`^/channels/${first.chatId}/messages/${first.messageId}$`), mark)[0];
      expect(patch && body(patch)).toMatchObject({ content: 'first, edited', allowed_mentions: { parse: [] } });

      const before = started.inbox.size;
      await transport.delete(first);
      expect(fake.requestsMatching('DELETE', new RegExp(`/messages/${first.messageId}$`), mark)).toHaveLength(1);
      await transport.delete(first);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(started.inbox.size).toBe(before);
    });

    test('media is re-uploaded; over the upload limit it becomes a link; an album is one message', async () => {
      const photo = await inboundAfter('message', () =>
        fake.userSends(alice, { attachments: [{ fileName: 'cat.png', contentType: 'image/png', data: PNG }] }),
      );
      const mark = fake.mark();
      const origin = { from: refOf(alice), ref: photo.ref };
      await transport.send(refOf(bob), relay(withCaption(photo.content, 'a cat'), { origin }));
      const upload = await fake.waitForRequest('POST', /^\/channels\/\d+\/messages$/, { after: mark });
      expect(upload.files).toHaveLength(1);
      expect(upload.files[0]?.data.equals(PNG)).toBe(true);
      // A photo's own name (cat.png) could be a camera or screenshot name: it travels as photo.png.
      expect(upload.files[0]?.name).toBe('photo.png');
      expect(body(upload)).toMatchObject({ content: 'a cat', attachments: [{ id: 0, filename: 'photo.png' }], allowed_mentions: { parse: [] } });

      const file = photo.content.kind === 'media' ? photo.content.file : undefined;
      if (!file) throw new Error('no file');
      const huge = await transport.send(refOf(bob), relay({ kind: 'media', media: 'video', file: { ...file, size: 50 * 1024 * 1024 } }));
      const linked = fake.message(huge[0]?.messageId ?? '');
      expect(linked?.attachments).toHaveLength(0);
      expect(linked?.content).toContain(file.url);

      const albumMark = fake.mark();
      const refs = await transport.send(refOf(bob), {
        kind: 'album',
        items: [relay(photo.content), relay(withCaption(photo.content, 'second'))],
      });
      const albumRequests = fake.requestsMatching('POST', /^\/channels\/\d+\/messages$/, albumMark);
      expect(albumRequests).toHaveLength(1);
      expect(albumRequests[0]?.files).toHaveLength(2);
      expect(refs).toHaveLength(2);
      expect(refs[0]).toEqual(refs[1]);
    });

    test('files from another platform come through the FileFetcher port; without bytes a notice says so', async () => {
      const telegramPhoto: MessageContent = {
        kind: 'media',
        media: 'photo',
        file: { platform: 'telegram', fileId: 'AgACAgIAAxkBAAI', mimeType: 'image/jpeg' },
        caption: '2*3*4 = 24',
        entities: [{ type: 'bold', offset: 0, length: 5 }],
      };
      const withFetcher = new DiscordTransport({
        token: fake.token,
        applicationId: fake.applicationId,
        apiRoot: fake.apiRoot,
        log: recordingLog(),
        fileFetcher: (file) =>
          Promise.resolve(file.fileId === 'AgACAgIAAxkBAAI' ? { data: PNG, fileName: 'photo.jpg', mimeType: 'image/jpeg' } : null),
      });
      const mark = fake.mark();
      await withFetcher.send(refOf(bob), relay(telegramPhoto, { origin: { from: { platform: 'telegram', externalId: '42' }, ref: { platform: 'telegram', chatId: '42', messageId: '7' } } }));
      const upload = await fake.waitForRequest('POST', /^\/channels\/\d+\/messages$/, { after: mark });
      expect(upload.files[0]?.data.equals(PNG)).toBe(true);
      expect(body(upload).content).toBe('**2\\*3\\*4** = 24');

      const [ref] = await transport.send(refOf(bob), relay(telegramPhoto));
      expect(fake.message(ref?.messageId ?? '')?.content).toContain('could not be delivered');
    });

    test('location, contact and poll are written as text', async () => {
      const [location] = await transport.send(refOf(bob), relay({ kind: 'location', latitude: 52.52, longitude: 13.405 }));
      expect(fake.message(location?.messageId ?? '')?.content).toContain('52.520000, 13.405000');
      const [poll] = await transport.send(refOf(bob), relay({ kind: 'poll', question: 'Tea?', options: ['yes', 'no'] }));
      expect(fake.message(poll?.messageId ?? '')?.content).toBe('📊 **Poll:** Tea?\n1. yes\n2. no');
    });
  });

  describe('delivery errors', () => {
    test('50007 is a permanent DeliveryError carrying 50007; so are 10003 and 10013', async () => {
      const dave = fake.addUser('dave_d', 'Dave');
      fake.failSendsTo(dave, 50007);
      const failure = await transport.send(refOf(dave), notice('hello')).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect(failure).toMatchObject({ kind: 'permanent', platformCode: 50007 });

      fake.failNext('POST', /^\/channels\/\d+\/messages$/, 10003);
      await expect(transport.send(refOf(bob), notice('hello'))).rejects.toMatchObject({ kind: 'permanent', platformCode: 10003 });

      await expect(transport.send({ platform: 'discord', externalId: '1300000000000000000' }, notice('hi'))).rejects.toMatchObject({
        kind: 'permanent',
        platformCode: 10013,
      });
    });

    test('a bad request is rejected once, 5xx is transient, a 429 is waited out by discord.js', async () => {
      fake.failNext('POST', /^\/channels\/\d+\/messages$/, 50035);
      const mark = fake.mark();
      await expect(transport.send(refOf(bob), notice('x'))).rejects.toMatchObject({ kind: 'rejected', platformCode: 50035 });
      expect(fake.requestsMatching('POST', /^\/channels\/\d+\/messages$/, mark)).toHaveLength(1);

      fake.serverErrorNext('POST', /^\/channels\/\d+\/messages$/, 4);
      await expect(transport.send(refOf(bob), notice('y'))).rejects.toMatchObject({ kind: 'transient', platformCode: 502 });

      fake.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 0.2);
      const limitedMark = fake.mark();
      const refs = await transport.send(refOf(bob), notice('z'));
      expect(refs).toHaveLength(1);
      expect(fake.requestsMatching('POST', /^\/channels\/\d+\/messages$/, limitedMark).map((r) => r.status)).toEqual([429, 200]);
    });
  });

  test('moderators are members of the moderation server with the moderator role', async () => {
    fake.setGuildRoles(guild.id, alice, ['1200000000000000042']);
    await expect(transport.isModerator(refOf(alice))).resolves.toBe(true);
    await expect(transport.isModerator(refOf(bob))).resolves.toBe(false);
  });

  test("nothing sent to Bob carries Alice's ids or names, and the logs above debug carry no ids, content or token", async () => {
    const bobChannel = fake.dmChannelOf(bob);
    const mark = fake.mark();
    started.inbox.respond = async (inbound) => {
      if (inbound.userRef.externalId !== alice.id) return;
      const items: MessageInbound[] = inbound.kind === 'album' ? [...inbound.items] : inbound.kind === 'message' ? [inbound] : [];
      for (const item of items) {
        const out: Outbound = relay(item.content, { origin: { from: item.userRef, ref: item.ref } });
        await transport.send(refOf(bob), out);
      }
    };
    const secret = 'my secret is pineapple';
    await inboundAfter('message', () => fake.userSends(alice, { content: secret }));
    await inboundAfter('message', () => fake.userSends(alice, { content: 'pic', attachments: [{ fileName: 'me.png', contentType: 'image/png', data: PNG }] }));
    await inboundAfter('message', () => fake.userSends(alice, { sticker: { name: 'wave', format: 'png' } }));
    await fake.waitFor(() => fake.requestsMatching('POST', new RegExp(`^/channels/${bobChannel}/messages$`), mark).length >= 3);

    const toBob = fake.requests.filter((r) => r.seq > mark && r.path.includes(bobChannel));
    expect(toBob.length).toBeGreaterThanOrEqual(3);
    const aliceDm = fake.dmChannelOf(alice);
    for (const request of toBob) {
      const visible = JSON.stringify([request.path, request.query, request.json, request.files.map((f) => f.name)]);
      for (const marker of [alice.id, alice.username, 'Alice Wonder', aliceDm]) expect(visible).not.toContain(marker);
    }

    const loud = started.log.records.filter((r) => r.level !== 'debug' && r.level !== 'trace');
    const logged = JSON.stringify(loud);
    for (const marker of [fake.token, alice.id, bob.id, secret, 'alice_w']) expect(logged).not.toContain(marker);
  });
});
