import { afterEach, describe, expect, it } from 'vitest';
import { MODERATOR_COMMAND } from '../../../src/core/index.js';
import { BOT_COMMANDS, MODERATOR_BOT_COMMANDS } from '../../../src/bots/telegram/index.js';
import { telegramErrors } from '../../fakes/telegram-bot-api.js';
import type { RecordedCall } from '../../fakes/telegram-bot-api.js';
import { startHarness, until } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const alice = { id: 1001, first_name: 'Alice' };
const mod1 = { id: 5001, first_name: 'Mona' };
const mod2 = { id: 5002, first_name: 'Max' };
/** Configured, but has never opened the bot: Telegram does not know the chat yet. */
const newcomer = { id: 5003, first_name: 'Nia' };

const names = (commands: readonly unknown[] | undefined): string[] =>
  (commands ?? []).map((c) => (c as { command: string }).command);
const scopeOf = (c: RecordedCall): unknown => c.params.scope;

describe('TelegramTransport command menus for moderators', () => {
  it('keeps /mod out of the default menu and shows it in each configured moderator chat only', async () => {
    h = await startHarness({ start: false, transport: { moderatorChatIds: [String(mod1.id), String(mod2.id), String(mod1.id)] } });
    const { fake, transport } = h;
    fake.user(mod1);
    fake.user(mod2);
    fake.user(alice);
    await transport.start();

    expect(fake.calls().map((c) => c.method).slice(0, 5)).toEqual(['getMe', 'setMyCommands', 'setMyCommands', 'setMyCommands', 'deleteWebhook']);
    const [defaultMenu, ...scoped] = fake.calls({ method: 'setMyCommands' });
    expect(scopeOf(defaultMenu as RecordedCall)).toBeUndefined();
    expect(fake.myCommands).toEqual(BOT_COMMANDS);
    expect(names(fake.myCommands)).not.toContain('mod');

    // Once per moderator (a repeated id is set once), each in its own chat's scope.
    expect(scoped.map(scopeOf)).toEqual([
      { type: 'chat', chat_id: mod1.id },
      { type: 'chat', chat_id: mod2.id },
    ]);
    expect(MODERATOR_BOT_COMMANDS).toEqual([...BOT_COMMANDS, { command: 'mod', description: MODERATOR_COMMAND.description }]);
    expect(fake.chatCommandsOf(mod1.id)).toEqual(MODERATOR_BOT_COMMANDS);
    expect(fake.chatCommandsOf(mod2.id)).toEqual(MODERATOR_BOT_COMMANDS);
    expect(fake.chatCommandsOf(alice.id)).toBeUndefined();
  });

  it('takes /mod back from a chat that was a moderator at the last start and is not any more', async () => {
    const remembered: string[][] = [[String(mod1.id), String(mod2.id)]];
    const memory = {
      previous: () => Promise.resolve(remembered.at(-1) ?? []),
      remember: (ids: readonly string[]) => {
        remembered.push([...ids]);
        return Promise.resolve();
      },
    };
    h = await startHarness({ start: false, transport: { moderatorChatIds: [String(mod1.id)], moderatorMenuMemory: memory } });
    const { fake, transport } = h;
    fake.user(mod1);
    fake.user(mod2).command('start');
    // mod2 still has the menu an earlier start gave them.
    await fetch(`${fake.apiRoot}/bot${fake.token}/setMyCommands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ commands: MODERATOR_BOT_COMMANDS, scope: { type: 'chat', chat_id: mod2.id } }),
    });
    expect(fake.chatCommandsOf(mod2.id)).toEqual(MODERATOR_BOT_COMMANDS);
    await transport.start();

    expect(fake.calls({ method: 'deleteMyCommands' }).map(scopeOf)).toEqual([{ type: 'chat', chat_id: mod2.id }]);
    expect(fake.chatCommandsOf(mod2.id)).toBeUndefined();
    expect(fake.chatCommandsOf(mod1.id)).toEqual(MODERATOR_BOT_COMMANDS);
    expect(remembered.at(-1)).toEqual([String(mod1.id)]);
  });

  it('starts when the remembered list cannot be read, and takes back nothing', async () => {
    const memory = { previous: () => Promise.reject(new Error('database down')), remember: () => Promise.resolve() };
    h = await startHarness({ start: false, transport: { moderatorChatIds: [String(mod1.id)], moderatorMenuMemory: memory } });
    h.fake.user(mod1);
    await h.transport.start();
    expect(h.fake.calls({ method: 'deleteMyCommands' })).toEqual([]);
    expect(h.fake.chatCommandsOf(mod1.id)).toEqual(MODERATOR_BOT_COMMANDS);
    expect(h.lines.some((l) => l.level === 'warn' && /moderator menu list/.test(l.msg))).toBe(true);
  });

  it('sets only the default menu when no moderator is configured', async () => {
    h = await startHarness();
    expect(h.fake.calls({ method: 'setMyCommands' }).map(scopeOf)).toEqual([undefined]);
  });

  it('a moderator chat Telegram refuses is logged without its id and does not stop the start', async () => {
    h = await startHarness({
      start: false,
      transport: { moderatorChatIds: [String(newcomer.id), String(mod1.id), String(mod2.id)] },
    });
    const { fake, transport, lines } = h;
    fake.user(mod1);
    fake.user(mod2);
    fake.failNext(mod1.id, 'setMyCommands', telegramErrors.serverError());
    await transport.start();

    const scoped = fake.calls((c) => c.method === 'setMyCommands' && c.params.scope !== undefined);
    expect(scoped.map((c) => [c.chatId, c.response.ok])).toEqual([
      [newcomer.id, false],
      [mod1.id, false],
      [mod2.id, true],
    ]);
    expect(scoped[0]?.response.error?.description).toBe('Bad Request: chat not found');
    expect(fake.myCommands).toEqual(BOT_COMMANDS);
    expect(fake.chatCommandsOf(mod2.id)).toEqual(MODERATOR_BOT_COMMANDS);
    expect(fake.chatCommandsOf(mod1.id)).toBeUndefined();

    // Above debug, the logs never name the moderator.
    const warnings = lines.filter((l) => l.level === 'warn' && /moderator/.test(l.msg));
    expect(warnings).toHaveLength(2);
    const aboveDebug = JSON.stringify(lines.filter((l) => l.level !== 'debug' && l.level !== 'trace'));
    for (const id of [newcomer.id, mod1.id]) expect(aboveDebug).not.toContain(String(id));
    expect(lines.filter((l) => l.level === 'debug' && /moderator chat/.test(l.msg)).map((l) => l.fields)).toEqual([
      expect.objectContaining({ chatId: String(newcomer.id) }),
      expect.objectContaining({ chatId: String(mod1.id) }),
    ]);

    // The bot runs: updates are polled and handed to the core.
    fake.user(alice).text('hello');
    await h.waitForInbound('message');
  });

  it('tries a refused moderator chat again when the moderator first writes, without holding up the message', async () => {
    h = await startHarness({ start: false, transport: { moderatorChatIds: [String(newcomer.id)] } });
    const { fake, transport } = h;
    await transport.start();
    expect(fake.chatCommandsOf(newcomer.id)).toBeUndefined();

    fake.user(newcomer).command('start');
    await h.waitForInbound('command', (c) => c.name === 'start');
    await until(() => fake.chatCommandsOf(newcomer.id) !== undefined);
    expect(fake.chatCommandsOf(newcomer.id)).toEqual(MODERATOR_BOT_COMMANDS);

    // Only once: later messages do not set the menu again.
    fake.user(newcomer).text('hi');
    await h.waitForInbound('message');
    expect(fake.calls({ method: 'setMyCommands', chatId: newcomer.id })).toHaveLength(2);
  });

  it('passes /mod <sub> <args> to the core as the command mod with its arguments', async () => {
    h = await startHarness({ start: false, transport: { moderatorChatIds: [String(mod1.id)] } });
    const m = h.fake.user(mod1);
    await h.transport.start();
    m.command('mod', 'reports open 2');
    m.command('mod', 'ban u_4f9c2a 24h spam   links', { addressed: true });
    m.command('mod');
    await until(() => h?.inbound.filter((i) => i.kind === 'command').length === 3);
    expect(h.inbound.map((i) => (i.kind === 'command' ? [i.name, i.args, i.userRef.externalId] : i.kind))).toEqual([
      ['mod', 'reports open 2', String(mod1.id)],
      ['mod', 'ban u_4f9c2a 24h spam   links', String(mod1.id)],
      ['mod', '', String(mod1.id)],
    ]);
  });
});
