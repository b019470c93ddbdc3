import { describe, expect, it } from 'vitest';
import { classifyUpdate, commandOrMessage, profileOf } from '../../../src/bots/telegram/inbound-mapper.js';
import { updateSchema } from '../../../src/bots/telegram/update-schema.js';

const user = { id: 7, is_bot: false, first_name: 'Ann' };
const privateChat = { id: 7, type: 'private' };
const parse = (u: unknown) => updateSchema.parse(u);

describe('classifyUpdate', () => {
  it('routes private messages, edits, callbacks and kicks', () => {
    expect(classifyUpdate(parse({ update_id: 1, message: { message_id: 1, date: 1, chat: privateChat, from: user, text: 'x' } })).kind).toBe('message');
    expect(classifyUpdate(parse({ update_id: 2, edited_message: { message_id: 1, date: 1, chat: privateChat, from: user, text: 'y' } })).kind).toBe('edit');
    expect(classifyUpdate(parse({ update_id: 3, callback_query: { id: 'q', from: user, data: 'd' } })).kind).toBe('callback');
    const kicked = { chat: privateChat, from: user, date: 1, new_chat_member: { status: 'kicked' } };
    expect(classifyUpdate(parse({ update_id: 4, my_chat_member: kicked })).kind).toBe('left');
  });

  it('sends group traffic to the hint and ignores the rest', () => {
    const group = { id: -100, type: 'supergroup' };
    expect(classifyUpdate(parse({ update_id: 1, message: { message_id: 1, date: 1, chat: group, from: user, text: 'x' } }))).toEqual({
      kind: 'group',
      chatId: -100,
    });
    expect(classifyUpdate(parse({ update_id: 2, my_chat_member: { chat: group, from: user, date: 1, new_chat_member: { status: 'kicked' } } })).kind).toBe(
      'ignored',
    );
    expect(classifyUpdate(parse({ update_id: 3, my_chat_member: { chat: privateChat, from: user, date: 1, new_chat_member: { status: 'member' } } })).kind).toBe(
      'ignored',
    );
    expect(classifyUpdate(parse({ update_id: 4, inline_query: { id: 'i' } })).kind).toBe('ignored');
  });
});

describe('update validation', () => {
  it.each([
    [{ update_id: -1 }],
    [{ update_id: 1.5 }],
    [{ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 'x', type: 'private' } } }],
    [{ update_id: 1, message: { message_id: 1, date: 1, chat: privateChat, photo: [] } }],
    [{ update_id: 1, message: { message_id: 1, date: 1, chat: privateChat, video: { file_id: '' } } }],
    [{ update_id: 1, callback_query: { id: 'q' } }],
  ])('rejects %j', (u) => {
    expect(updateSchema.safeParse(u).success).toBe(false);
  });
});

describe('profile and commands', () => {
  it('builds a display name from the parts that exist', () => {
    expect(profileOf({ id: 1, first_name: 'Ann', last_name: 'Lee', username: 'ann' })).toEqual({ username: 'ann', displayName: 'Ann Lee' });
    expect(profileOf({ id: 1, first_name: 'Ann' })).toEqual({ displayName: 'Ann' });
  });

  it('makes a CommandInbound addressed to this bot and a MessageInbound otherwise', () => {
    const at = new Date(0);
    const m = (text: string) => parse({ update_id: 9, message: { message_id: 3, date: 1, chat: privateChat, from: user, text } }).message!;
    expect(commandOrMessage(9, m('/next@EchoBot now'), 'EchoBot', at)).toEqual({
      kind: 'command',
      name: 'next',
      args: 'now',
      updateId: '9',
      userRef: { platform: 'telegram', externalId: '7' },
      receivedAt: at,
      profile: { displayName: 'Ann' },
    });
    expect(commandOrMessage(9, m('/next@OtherBot'), 'EchoBot', at).kind).toBe('message');
  });
});
