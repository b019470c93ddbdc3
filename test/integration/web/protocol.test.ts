import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PARTNER_AWAY, PARTNER_BACK } from '../../../src/core/index.js';
import { CONNECTED as TG_CONNECTED } from '../chat/helpers.js';
import { CONNECTED, pairWeb, sleep, startWebWorld, WebClient, type WebWorld } from './helpers.js';

/*
 * The web transport's protocol over a real socket, with the whole service behind it (real
 * Postgres and Redis) and a fake Telegram sharing the pool.
 */

let w: WebWorld;
beforeAll(async () => {
  w = await startWebWorld();
});
afterAll(async () => {
  await w.stop();
});

async function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const res = await fetch(`${w.base}${path}`);
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

describe('the page on the shared HTTP server', () => {
  it('serves / and /assets with content types and a CSP, next to /healthz; nothing else', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('Find a Chat Partner');
    expect(page.body).toMatch(/Privacy/);
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/nope.js')).status).toBe(404);
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('identity', () => {
  it('a new visitor gets an id and signed token; the token brings the same id back; a forged one does not', async () => {
    const a = await w.client();
    const welcome = await a.hello();
    expect(welcome).toMatchObject({ v: 1, type: 'welcome', state: { status: 'offline', sessionId: null }, graceS: 30, maxText: 2000 });
    expect(welcome.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(welcome.token.startsWith(`${welcome.id}.`)).toBe(true);
    await a.close();

    // Just looking at the page leaves nothing behind: no held visitor, no user row.
    await sleep(50);
    expect(w.web.stats.held).toBe(0);
    expect(await w.t.app.prisma.user.count({ where: { platform: 'web', externalId: welcome.id } })).toBe(0);

    const again = await w.client();
    expect((await again.hello(welcome.token)).id).toBe(welcome.id);
    await again.close();

    const forger = await w.client();
    const forged = `${welcome.id}.${'A'.repeat(43)}`;
    const other = await forger.hello(forged);
    expect(other.id).not.toBe(welcome.id);
    await forger.close();
  });
});

describe('chatting between two web visitors', () => {
  it('pairs, relays both ways with acks, keeps text verbatim, and relays a re-sent message once', async () => {
    const a = await w.client();
    const b = await w.client();
    await a.hello();
    await b.hello();
    const mark = a.mark;
    a.send({ type: 'find', interests: ['music'], language: 'en' });
    await a.notice(/Looking for a stranger \(interests: music; language: en\)/, mark);
    await a.state('searching', mark);
    b.send({ type: 'find', interests: ['music'], language: 'en' });
    const [ca] = await Promise.all([a.notice(CONNECTED, mark), b.notice(CONNECTED)]);
    expect(ca.text).toMatch(/You both like: music/);
    const [sa, sb] = await Promise.all([a.state('chatting', mark), b.state('chatting')]);
    expect(sa.sessionId).toMatch(/^session_[0-9a-f]{10}$/);
    expect(sb.sessionId).toBe(sa.sessionId);

    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"';
    const id = a.say(hostile);
    await a.next('ack', (f) => f.id === id);
    const got = await b.next('relay');
    expect(got.content).toEqual({ kind: 'text', text: hostile });
    expect(got.id).toMatch(/^s-/);

    b.say('hello back');
    await a.next('relay', (f) => f.content.kind === 'text' && f.content.text === 'hello back');

    // The page re-sends unacknowledged messages after a reconnect, with the same id.
    a.say('only once', 'dup-message-0001');
    a.say('only once', 'dup-message-0001');
    await a.next('ack', (f) => f.id === 'dup-message-0001');
    a.say('after dup');
    await b.next('relay', (f) => f.content.kind === 'text' && f.content.text === 'after dup');
    expect(b.relayedTexts()).toEqual([hostile, 'only once', 'after dup']);

    // Typing reaches the partner's page.
    const tm = b.mark;
    a.send({ type: 'typing' });
    await b.next('typing', () => true, tm);

    const [ea, eb] = [a.mark, b.mark];
    a.send({ type: 'stop' });
    await b.notice(/The stranger left the chat/, eb);
    await a.notice(/You left the chat/, ea);
    await Promise.all([a.state('offline', ea), b.state('offline', eb)]);
  });

  it('after the chat: the rating notice drives feedback (with comment) and a report, stored in Postgres', async () => {
    const a = await w.client();
    const b = await w.client();
    await a.hello();
    await b.hello();
    const sessionId = await pairWeb(a, b);
    const mark = b.mark;
    a.send({ type: 'next' });
    const rating = await b.next('notice', (f) => /How was this chat/.test(f.text), mark);
    const actions = (rating.buttons ?? []).flat().map((x) => x.action);
    expect(actions).toContain(`rate:4:${sessionId}`);
    expect(actions).toContain(`report:${sessionId}`);

    b.send({ type: 'feedback', action: `rate:4:${sessionId}`, comment: 'friendly' });
    await b.notice(/comment was saved/, mark);
    const user = await w.t.app.prisma.user.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: b.id } } });
    const fb = await w.t.app.prisma.feedback.findUniqueOrThrow({ where: { sessionId_userId: { sessionId, userId: user.id } } });
    expect(fb).toMatchObject({ rating: 4, comment: 'friendly' });

    b.send({ type: 'report', action: `report:${sessionId}` });
    const pick = await b.notice(/What happened/, mark);
    const spam = (pick.buttons ?? []).flat().find((x) => x.action.startsWith('rcat:spam:'));
    if (!spam) throw new Error('no spam category button');
    b.send({ type: 'report', action: spam.action });
    await b.notice(/report was sent/, mark);
    const reports = await w.t.app.prisma.report.findMany({ where: { sessionId } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ reporterId: user.id, category: 'spam' });

    // Forged or foreign actions are refused before they reach the core.
    b.send({ type: 'feedback', action: 'stop' });
    await b.next('error', (f) => f.code === 'unknown_action', mark);
    // A (who pressed next) is searching again; stop it.
    a.send({ type: 'stop' });
    await a.notice(/Search stopped/);
  });
});

describe('web and Telegram users share one pool', () => {
  it('pairs a web visitor with a Telegram user: text both ways, photos, edits, deletes and replies', async () => {
    const web = await w.client();
    await web.hello();
    const tg = w.fake.user('7001');
    web.send({ type: 'find' });
    await web.state('searching');
    await tg.command('find');
    await web.notice(CONNECTED);
    await tg.waitFor((t) => TG_CONNECTED.test(t));

    const id = web.say('hi from the web <b>not bold</b>');
    await web.next('ack', (f) => f.id === id);
    const copy = await tg.waitFor((_t, r) => r.outbound.kind === 'relay');
    expect(copy.outbound).toMatchObject({ kind: 'relay', content: { kind: 'text', text: 'hi from the web <b>not bold</b>' } });

    // The Telegram user replies to their copy: the web page learns which of its messages.
    const copyRef = copy.refs[0];
    if (!copyRef) throw new Error('no copy ref');
    const original = await tg.say('hi from telegram', { replyTo: copyRef });
    const got = await web.next('relay', (f) => f.content.kind === 'text' && f.content.text === 'hi from telegram');
    expect(got.replyTo).toBe(id);

    await tg.edit(original, 'hi from telegram (edited)');
    await web.next('edit', (f) => f.id === got.id && f.content.kind === 'text' && f.content.text === 'hi from telegram (edited)');
    await tg.remove(original);
    await web.next('delete', (f) => f.id === got.id);

    // Telegram photos carry no URL (it would contain the bot token): the page shows a notice.
    await tg.say({ kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: 'AgAD' }, caption: 'my cat' });
    const noUrl = await web.next('relay', (f) => f.content.kind === 'unavailable');
    expect(noUrl.content).toEqual({ kind: 'unavailable', what: 'a photo', caption: 'my cat' });
    // A photo with a fetchable URL (Discord's CDN) is shown as an image.
    await tg.say({ kind: 'media', media: 'photo', file: { platform: 'discord', fileId: '1', url: 'https://cdn.example.com/cat.png' } });
    const withUrl = await web.next('relay', (f) => f.content.kind === 'photo');
    expect(withUrl.content).toEqual({ kind: 'photo', url: 'https://cdn.example.com/cat.png' });
    // What the page cannot show at all is refused at the sender, who is told.
    await tg.say({ kind: 'media', media: 'voice', file: { platform: 'telegram', fileId: 'v' } });
    await tg.waitFor((t) => /can't show voice messages/.test(t));

    const before = web.mark;
    await tg.command('stop');
    await web.notice(/The stranger left the chat/, before);
    await web.state('offline', before);
  });
});

describe('safety', () => {
  it('refuses a foreign Origin with 403, accepts its own origin and clients that send none', async () => {
    await expect(WebClient.open(w.wsUrl, { origin: 'http://evil.example' })).rejects.toThrow(/HTTP 403/);
    const own = await WebClient.open(w.wsUrl, { origin: w.base });
    await own.hello();
    await own.close();
    const bare = await WebClient.open(w.wsUrl, { origin: null });
    await bare.hello();
    await bare.close();
  });

  it('answers bad frames with errors: before hello, bad JSON, binary, invalid fields, other versions', async () => {
    const c = await w.client();
    c.send({ type: 'stop' });
    await c.next('error', (f) => f.code === 'hello_first');
    c.ws.send('not json');
    await c.next('error', (f) => f.code === 'bad_json');
    c.ws.send(Buffer.from([1, 2, 3]));
    await c.next('error', (f) => f.code === 'binary');
    await c.hello();
    c.send({ type: 'message', id: 'abcdefgh1234', text: 'x'.repeat(2001) });
    const tooLong = await c.next('error', (f) => f.code === 'bad_frame');
    expect(tooLong.message).toMatch(/2000/);
    c.send({ type: 'message', id: 'abcdefgh1234', text: 'not in a chat' });
    await c.notice(/not in a chat/);
    c.ws.send(JSON.stringify({ v: 9, type: 'hello' }));
    await c.next('error', (f) => f.code === 'unsupported_version');
    expect((await c.closed).code).toBe(4000);
  });

  it('closes a connection that sends a frame over the size limit (1009)', async () => {
    const c = await w.client();
    await c.hello();
    c.ws.send(JSON.stringify({ v: 1, type: 'message', id: 'abcdefgh1234', text: 'x'.repeat(20_000) }));
    expect((await c.closed).code).toBe(1009);
  });

  it('rate-limits each connection and then closes one that keeps flooding', async () => {
    const c = await w.client();
    await c.hello();
    for (let i = 0; i < 60; i++) c.send({ type: 'typing' });
    await c.next('error', (f) => f.code === 'rate_limited');
    for (let i = 0; i < 300; i++) c.send({ type: 'typing' });
    expect((await c.closed).code).toBe(1008);
  });

  it('a second page with the same identity replaces the first', async () => {
    const first = await w.client();
    const { token } = await first.hello();
    const second = await w.client();
    await second.hello(token);
    await first.next('error', (f) => f.code === 'replaced');
    expect((await first.closed).code).toBe(4001);
    await second.close();
  });
});

describe('resuming', () => {
  it('a quick reconnect (a page reload) resumes the chat without telling the partner; frames sent meanwhile follow the welcome', async () => {
    const a = await w.client();
    const b = await w.client();
    await a.hello();
    const { token } = await b.hello();
    const sessionId = await pairWeb(a, b);
    await b.close();
    a.say('while you reloaded');
    await a.next('ack');
    await w.settle();

    const b2 = await w.client();
    const welcome = await b2.hello(token);
    expect(welcome.state).toEqual({ status: 'chatting', sessionId });
    const relay = await b2.next('relay');
    expect(relay.content).toEqual({ kind: 'text', text: 'while you reloaded' });
    expect(b2.frames.findIndex((f) => f.type === 'welcome')).toBeLessThan(b2.frames.indexOf(relay));
    b2.say('back again');
    await a.next('relay', (f) => f.content.kind === 'text' && f.content.text === 'back again');
    await sleep(1700); // longer than the away-notice delay: a quick reload is never announced
    expect(a.notices()).not.toContain(PARTNER_AWAY);
    expect(a.notices()).not.toContain(PARTNER_BACK);
    a.send({ type: 'stop' });
    await b2.notice(/The stranger left the chat/);
  });

  it('other upgrade paths get a 404', async () => {
    const ws = new WebSocket(w.wsUrl.replace('/ws', '/other'));
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });
});
