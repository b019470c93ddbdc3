import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, notice, PARTNER_AWAY, PARTNER_BACK } from '../../../src/core/index.js';
import { CONNECTED as TG_CONNECTED } from '../chat/helpers.js';
import { CONNECTED, sleep, startWebWorld, type WebClient, type WebWorld } from './helpers.js';

/*
 * WEB_GRACE_S: a dropped connection is held; the partner hears about it; a visitor who comes
 * back in time resumes with everything sent meanwhile; one who does not leaves the chat.
 * Short periods here (1.5 s grace, 150 ms before the partner is told) keep the file fast.
 */

let w: WebWorld;
beforeAll(async () => {
  w = await startWebWorld({ graceS: 1.5, awayNoticeDelayMs: 150 });
});
afterAll(async () => {
  await w.stop();
});

async function webWithTelegram(tgId: string): Promise<{ web: WebClient; token: string; tg: ReturnType<WebWorld['fake']['user']> }> {
  const web = await w.client();
  const { token } = await web.hello();
  const tg = w.fake.user(tgId);
  web.send({ type: 'find' });
  await web.state('searching');
  await tg.command('find');
  await web.notice(CONNECTED);
  await tg.waitFor((t) => TG_CONNECTED.test(t));
  await web.state('chatting');
  return { web, token, tg };
}

describe('a dropped web connection', () => {
  it('tells the partner, buffers what they send, and resumes when the visitor is back in time', async () => {
    const { web, token, tg } = await webWithTelegram('8001');
    web.terminate(); // a lost connection, no close handshake
    await tg.waitFor((t) => t === PARTNER_AWAY);
    await tg.say('are you there?');
    await tg.say('hello?');
    await w.settle();

    const back = await w.client();
    const welcome = await back.hello(token);
    expect(welcome.state.status).toBe('chatting');
    await back.next('relay', (f) => f.content.kind === 'text' && f.content.text === 'hello?');
    expect(back.relayedTexts()).toEqual(['are you there?', 'hello?']);
    await tg.waitFor((t) => t === PARTNER_BACK);

    // Still the same chat, both ways, and well past the original grace period.
    await sleep(1800);
    back.say('sorry, train tunnel');
    await tg.waitFor((t) => t === 'sorry, train tunnel');
    expect(tg.texts()).not.toContain('The stranger left the chat.');
    await tg.command('stop');
    await back.notice(/The stranger left the chat/);
  });

  it('ends the chat as a leave when the visitor does not return; sends to them then fail as permanent', async () => {
    const { web, tg } = await webWithTelegram('8002');
    const visitorId = web.id;
    await web.close(); // the tab was closed
    await tg.waitFor((t) => t === PARTNER_AWAY);
    await tg.waitFor((t) => t === 'The stranger left the chat.', 5000);
    const rating = await tg.waitFor((t) => /How was this chat/.test(t));
    const sessionId = rating.outbound.kind === 'notice' ? rating.outbound.buttons?.[0]?.[0]?.action.split(':')[2] : undefined;
    const session = await w.t.app.prisma.session.findUniqueOrThrow({ where: { id: sessionId ?? '' } });
    expect(session.endReason).toBe('stop');
    const user = await w.t.app.prisma.user.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: visitorId } } });
    expect(session.endedById).toBe(user.id);
    expect(user.status).toBe('offline');

    await expect(w.web.send({ platform: 'web', externalId: visitorId }, notice('anyone?'))).rejects.toSatisfy(
      (e: unknown) => e instanceof DeliveryError && e.kind === 'permanent' && e.platformCode === 'gone',
    );
    expect(w.web.stats.held).toBe(0);
  });

  it('a visitor who drops while searching leaves the pool after the grace period', async () => {
    const web = await w.client();
    await web.hello();
    web.send({ type: 'find' });
    await web.state('searching');
    const visitorId = web.id;
    await web.close();
    await sleep(2300);
    await w.settle();
    const user = await w.t.app.prisma.user.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: visitorId } } });
    expect(user.status).toBe('offline');
    // Nobody is paired with the departed visitor.
    const tg = w.fake.user('8003');
    await tg.command('find');
    await sleep(300);
    expect(tg.texts().some((t) => TG_CONNECTED.test(t))).toBe(false);
    await tg.command('stop');
  });

  it('a visitor paired while away: the new partner is told the connection is down', async () => {
    const web = await w.client();
    const { token } = await web.hello();
    web.send({ type: 'find' });
    await web.state('searching');
    await web.close();
    await sleep(300); // past the away delay: nobody to tell yet, the visitor is only searching
    const tg = w.fake.user('8004');
    await tg.command('find');
    await tg.waitFor((t) => TG_CONNECTED.test(t));
    await tg.waitFor((t) => t === PARTNER_AWAY);
    const back = await w.client();
    const welcome = await back.hello(token);
    expect(welcome.state.status).toBe('chatting');
    await back.notice(CONNECTED);
    await tg.waitFor((t) => t === PARTNER_BACK);
    await tg.command('stop');
    await back.notice(/The stranger left the chat/);
  });
});
