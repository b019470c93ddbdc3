import { FakeTransport, type FakeUser } from '../../fakes/fake-transport.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import type { AppSettings } from '../../../src/app.js';
import type { NoticeOutbound, Outbound } from '../../../src/core/index.js';

export interface ChatWorld {
  readonly t: TestApp;
  readonly fake: FakeTransport;
  settle(): Promise<void>;
}

export async function startChatWorld(overrides: Partial<AppSettings> = {}, fake = new FakeTransport('telegram')): Promise<ChatWorld> {
  const t = await startTestApp(() => [fake], overrides);
  return { t, fake, settle: () => t.app.settle() };
}

export const CONNECTED = /connected to a stranger/i;

/** Both users /find and wait until each is told they are connected. */
export async function pair(a: FakeUser, b: FakeUser, args = ''): Promise<void> {
  const before = { a: a.received().length, b: b.received().length };
  await a.command('find', args);
  await b.command('find', args);
  await Promise.all([
    a.waitFor((text, r) => CONNECTED.test(text) && a.received().indexOf(r) >= before.a),
    b.waitFor((text, r) => CONNECTED.test(text) && b.received().indexOf(r) >= before.b),
  ]);
}

export const buttonsOf = (o: Outbound): string[] =>
  o.kind === 'notice' ? (o.buttons ?? []).flat().map((btn) => btn.action) : [];

export const lastNotice = (u: FakeUser, re: RegExp): NoticeOutbound | undefined =>
  u
    .received()
    .map((r) => r.outbound)
    .filter((o): o is NoticeOutbound => o.kind === 'notice' && re.test(o.text))
    .at(-1);

/** Relayed texts a user received (what the stranger wrote), in arrival order. */
export const relayedTexts = (u: FakeUser): string[] =>
  u
    .received()
    .map((r) => r.outbound)
    .flatMap((o) => (o.kind === 'relay' && o.content.kind === 'text' ? [o.content.text] : []));
