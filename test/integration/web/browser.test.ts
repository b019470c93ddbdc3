import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWorld, type WebWorld } from './helpers.js';

/*
 * The page end to end in a real browser: Debian's Chromium driven by playwright-core
 * (`npx playwright install` cannot download here; .ci/run apt-installs chromium). Two
 * browser contexts are two strangers with separate storage.
 */

/**
 * The few browser globals the page callbacks below use. tsconfig has no DOM lib (this is a
 * Node project), so callbacks run by page.evaluate() read them through this cast.
 */
interface Dom {
  readonly document: {
    querySelectorAll(selector: string): ArrayLike<{ readonly textContent: string | null }>;
    getElementById(id: string): { readonly textContent: string | null } | null;
  };
  readonly sessionStorage: { getItem(key: string): string | null };
  readonly localStorage: { getItem(key: string): string | null };
  readonly __pwned?: number;
}

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const OUT_DIR = fileURLToPath(new URL('../../../test-output/', import.meta.url));
export const SCREENSHOT = `${OUT_DIR}web-chat.png`;

if (!HAVE_CHROMIUM) {
  console.warn(`[browser test] SKIPPED: ${CHROMIUM} not found. Install it with: apt-get install -y chromium (.ci/run does this).`);
}

const title = HAVE_CHROMIUM
  ? 'the web chat in a real browser (Chromium)'
  : `the web chat in a real browser — SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)`;

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
  let w: WebWorld;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    w = await startWebWorld();
    // launch() gives every run a new, empty temporary user-data dir.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await w?.stop();
  });

  async function openPage(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 860, height: 640 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => problems.push(`${name} pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`${name} console: ${msg.text()}`);
    });
    await page.goto(`${w.base}/`);
    await online(page);
    return page;
  }

  const online = (page: Page) => page.waitForSelector('#conn[data-state="online"]');

  /** Waits until an element matching the selector has exactly this text content. */
  const waitForText = (page: Page, selector: string, text: string) =>
    page.waitForFunction(
      ([sel, t]) => Array.from((globalThis as unknown as Dom).document.querySelectorAll(sel)).some((e) => e.textContent === t),
      [selector, text] as const,
    );

  const waitForTextIn = (page: Page, selector: string, text: string) =>
    page.waitForFunction(
      ([sel, t]) =>
        Array.from((globalThis as unknown as Dom).document.querySelectorAll(sel)).some((e) => (e.textContent ?? '').includes(t)),
      [selector, text] as const,
    );

  async function say(page: Page, text: string): Promise<void> {
    await page.fill('#input', text);
    await page.press('#input', 'Enter');
  }

  it('two strangers find each other, chat, survive a reload, and one leaves; the other rates and reports', async () => {
    const alice = await openPage('alice');
    const bob = await openPage('bob');
    expect(await alice.textContent('footer.privacy')).toMatch(/never sees your name/);

    // Alice searches first and sees the searching state with elapsed time.
    await alice.fill('#interests', 'music, films');
    await alice.selectOption('#language', 'en');
    await alice.click('#find-btn');
    await alice.waitForSelector('#panel-searching:not([hidden])');
    await alice.waitForFunction(() => /^\d+:\d\d$/.test((globalThis as unknown as Dom).document.getElementById('elapsed')?.textContent ?? ''));

    await bob.fill('#interests', 'music');
    await bob.selectOption('#language', 'en');
    await bob.click('#find-btn');
    await Promise.all([alice.waitForSelector('#panel-chat:not([hidden])'), bob.waitForSelector('#panel-chat:not([hidden])')]);
    await waitForTextIn(alice, '.sys', "You're connected to a stranger");
    await waitForTextIn(bob, '.sys', 'You both like: music');

    await say(alice, 'Hi! Anyone into jazz?');
    await waitForText(bob, '.msg.them .bubble', 'Hi! Anyone into jazz?');
    await alice.waitForSelector('.msg.me:not(.pending) .meta >> text=✓');

    await say(bob, 'Always. Kind of Blue is on repeat here.');
    await waitForText(alice, '.msg.them .bubble', 'Always. Kind of Blue is on repeat here.');

    // Bob reloads mid-chat: the chat view and transcript come back at once and the chat goes on.
    await bob.reload();
    await bob.waitForSelector('#panel-chat:not([hidden])');
    await waitForText(bob, '.msg.them .bubble', 'Hi! Anyone into jazz?');
    await online(bob);
    const stored = await bob.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as Dom;
      return {
        status: JSON.parse(sessionStorage.getItem('es.status') ?? 'null') as unknown,
        live: JSON.parse(sessionStorage.getItem('es.live') ?? 'null') as unknown,
        sessionId: JSON.parse(sessionStorage.getItem('es.sessionId') ?? 'null') as unknown,
        identity: localStorage.getItem('es.identities'),
      };
    });
    expect(stored).toMatchObject({ status: 'chatting', live: true });
    expect(stored.sessionId).toMatch(/^session_[0-9a-f]{10}$/);
    expect(stored.identity).toContain('.');
    await say(alice, 'Still there?');
    await waitForText(bob, '.msg.them .bubble', 'Still there?');
    await say(bob, 'Yes, I just reloaded the page.');
    await waitForText(alice, '.msg.them .bubble', 'Yes, I just reloaded the page.');

    // Bob starts typing: Alice sees the indicator. Then the chat view is saved for the README.
    await bob.click('#input');
    for (let i = 0; i < 8; i++) {
      await bob.keyboard.type(i === 0 ? 'Miles Davis' : '!');
      if (await alice.waitForSelector('#typing:not([hidden])', { timeout: 800 }).then(() => true, () => false)) break;
    }
    await alice.waitForSelector('#typing:not([hidden])');
    mkdirSync(OUT_DIR, { recursive: true });
    await alice.screenshot({ path: SCREENSHOT });
    await bob.fill('#input', '');

    // Relayed text is shown as text: markup and scripts are never interpreted.
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold?</b>';
    await say(bob, hostile);
    await waitForText(alice, '.msg.them .bubble', hostile);
    const injected = await alice.evaluate(() => {
      const dom = globalThis as unknown as Dom;
      return { pwned: dom.__pwned ?? null, elements: dom.document.querySelectorAll('#log script, #log img, #log b').length };
    });
    expect(injected).toEqual({ pwned: null, elements: 0 });

    // Alice leaves; Bob is told, gets the feedback form, rates, comments and reports.
    await alice.click('#stop-btn');
    await waitForText(bob, '.sys', 'The stranger left the chat.');
    await waitForText(alice, '.sys', 'You left the chat.');
    await bob.waitForSelector('#panel-idle:not([hidden])');
    await bob.waitForSelector('.card .stars button');
    await bob.click('.card .stars button[data-rating="5"]');
    await bob.fill('.card textarea', 'Lovely chat about jazz');
    await bob.click('.card button.submit');
    await waitForTextIn(bob, '.sys', 'your comment was saved');
    await bob.click('.card button.report');
    await waitForTextIn(bob, '.sys', 'What happened?');
    await bob.click('.sys button:has-text("Harassment")');
    await waitForTextIn(bob, '.sys', 'The report was sent to our moderators');

    const sessionId = String(stored.sessionId);
    const feedback = await w.t.app.prisma.feedback.findMany({ where: { sessionId } });
    expect(feedback.map((f) => ({ rating: f.rating, comment: f.comment }))).toEqual([{ rating: 5, comment: 'Lovely chat about jazz' }]);
    const reports = await w.t.app.prisma.report.findMany({ where: { sessionId } });
    expect(reports.map((r) => r.category)).toEqual(['harassment']);
    const session = await w.t.app.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.endReason).toBe('stop');

    expect(problems).toEqual([]);
  }, 60_000);
});
