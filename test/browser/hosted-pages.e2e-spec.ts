import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  DESKTOP,
  PHONE,
  conversationScene,
  expectNoAxeViolations,
  launchBrowser,
  mailbox,
  pageErrors,
  screenshot,
  type ConversationScene,
} from '../support/browser.js';
import { given } from '../support/given.js';

declare const window: any;
declare const document: any;
declare const Node: any;
declare class PerformanceObserver {
  constructor(callback: (list: any) => void);
  observe(options: object): void;
}

// One browser and one app per suite; a busy CI machine makes a real browser slower.
jest.setTimeout(120_000);

describe('hosted pages in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let scene: ConversationScene;
  let older: { slug: string; title: string };
  let draftTitle: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const author = await given(app).author();
    older = { title: 'An older essay on commons', slug: '' };
    older.slug = (await given(app).publishedEssay(author, older.title)).slug;
    await app.sql(`UPDATE essays SET published_at = now() - interval '3 days' WHERE slug = $1`, [
      older.slug,
    ]);
    draftTitle = 'A draft nobody may see';
    await given(app).essay(author, `---\ntitle: '${draftTitle}'\nstatus: draft\n---\n\nDraft.\n`);
    scene = await conversationScene(app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function open(
    path: string,
    options: Parameters<Browser['newContext']>[0] = {},
    init?: () => void,
  ) {
    const context = await browser.newContext({ viewport: DESKTOP, ...options });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    const errors = pageErrors(page);
    const response = await page.goto(`${app.url}${path}`);
    return { page, response, errors };
  }

  async function lightAndDark(page: Page, name: string, state: string) {
    // Screenshots first: they are there to look at when axe fails.
    await screenshot(page, `${name}-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `${name}-dark`);
    await expectNoAxeViolations(page, `${state} (dark)`);
    await page.emulateMedia({ colorScheme: 'light' });
    await expectNoAxeViolations(page, `${state} (light)`);
  }

  it('the index lists the published essays newest first, and each link opens its essay', async () => {
    const { page, response, errors } = await open('/');
    expect(response?.status()).toBe(200);

    const links = page.locator('main a[href^="/essays/"]');
    const titles = (await links.allInnerTexts()).map((text) => text.trim());
    expect(titles).toContain(scene.essay.title);
    expect(titles).toContain(older.title);
    expect(titles.indexOf(scene.essay.title)).toBeLessThan(titles.indexOf(older.title));
    expect(await page.content()).not.toContain(draftTitle);

    await lightAndDark(page, 'index', 'index');

    await page.getByRole('link', { name: older.title, exact: true }).click();
    await page.waitForURL(`${app.url}/essays/${older.slug}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(older.title);
    // Nobody has answered yet: the empty state invites the first.
    await page.getByText('Be the first to answer').first().waitFor();
    expect(errors).toEqual([]);
  });

  it('with JavaScript off, the essay and its public conversation are readable and say JavaScript is needed', async () => {
    const { page, response } = await open(`/essays/${scene.essay.slug}`, {
      javaScriptEnabled: false,
    });
    expect(response?.status()).toBe(200);

    expect(await page.title()).toContain(scene.essay.title);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(scene.essay.title);
    expect(await page.locator('main').innerText()).toContain('Organizations can grow like gardens');
    const conversation = page.getByRole('region', { name: 'Conversation' });
    expect(await conversation.getByRole('heading', { name: scene.prompt.text }).count()).toBe(1);
    const thread = page.locator(`#response-${scene.publicResponse.id}`);
    expect(await thread.innerText()).toContain(scene.publicResponse.text);
    const reply = thread.locator('.replies .response--reply');
    expect(await reply.innerText()).toContain(scene.publicResponse.replyText);
    expect(await reply.locator('.badge--author').innerText()).toMatch(/author/i);
    expect(await conversation.innerText()).toMatch(/JavaScript/);

    const html = await page.content();
    expect(html).not.toContain(scene.privateResponse.text);
    expect(html).not.toContain(scene.privateResponse.id);

    await screenshot(page, 'essay-no-js-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'essay-no-js-dark');

    // axe needs JavaScript of its own: the same server-rendered page, its scripts refused.
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    await context.route(`${app.url}/assets/**/*.js`, (route) => route.abort());
    const bare = await context.newPage();
    await bare.goto(`${app.url}/essays/${scene.essay.slug}`);
    await expectNoAxeViolations(bare, 'essay without its scripts (light)');
    await bare.emulateMedia({ colorScheme: 'dark' });
    await expectNoAxeViolations(bare, 'essay without its scripts (dark)');
  });

  it('with JavaScript, the conversation becomes interactive in place', async () => {
    const { page, errors } = await open(`/essays/${scene.essay.slug}`, {}, () => {
      // Every layout shift, recorded from the first paint (runs before the page's scripts).
      (window as any).__shifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as any[])
          (window as any).__shifts.push({
            value: entry.value,
            nodes: (entry.sources ?? []).map((source: any) => source.node).filter(Boolean),
          });
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const conversation = page.getByRole('region', { name: 'Conversation' });

    await page
      .getByRole('button', { name: 'Offer to collaborate', exact: true })
      .waitFor({ state: 'visible' });
    expect(
      await page.getByRole('button', { name: 'Get the digest', exact: true }).isVisible(),
    ).toBe(true);
    expect(await conversation.innerText()).toContain(scene.publicResponse.text);
    expect(await conversation.innerText()).toContain(scene.publicResponse.replyText);
    expect(await conversation.innerText()).not.toContain(scene.privateResponse.text);
    // Signed out: the way in is the sign-in form, in place.
    expect(await page.getByLabel('Email', { exact: true }).isVisible()).toBe(true);
    expect(
      await page.getByRole('button', { name: 'Email me a code', exact: true }).isVisible(),
    ).toBe(true);

    // The essay above the conversation never moves while the conversation comes alive.
    const shiftedAbove = await page.evaluate(() => {
      const mount = document.querySelector('#conversation');
      return (window as any).__shifts
        .flatMap((shift: any) => shift.nodes)
        .filter(
          (node: any) =>
            mount.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING &&
            !node.contains(mount),
        )
        .map((node: any) => node.outerHTML?.slice(0, 80) ?? node.nodeName);
    });
    expect(shiftedAbove).toEqual([]);
    // Nor do the responses: the server renders the controls where the script puts them.
    const card = `#response-${scene.publicResponse.id}`;
    // Read in one step: the conversation may re-render (and replace the card) between two calls.
    const top = (element: { getBoundingClientRect(): { top: number } }) =>
      element.getBoundingClientRect().top + window.scrollY;
    const mounted = await page.locator(card).evaluate(top);
    const bare = await browser.newContext({ viewport: DESKTOP });
    contexts.push(bare);
    await bare.route(`${app.url}/assets/**/*.js`, (route) => route.abort());
    const serverRendered = await bare.newPage();
    await serverRendered.goto(`${app.url}/essays/${scene.essay.slug}`);
    expect(Math.abs((await serverRendered.locator(card).evaluate(top)) - mounted)).toBeLessThan(4);

    // The forms open in place.
    const digest = page.getByRole('button', { name: 'Get the digest', exact: true });
    await digest.click();
    expect(await digest.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('form', { name: 'Get the digest' }).waitFor();
    await screenshot(page, 'essay-digest-form');
    await expectNoAxeViolations(page, 'essay, digest form open');
    await digest.click();

    // Offline: said in words, to everyone.
    await page.context().setOffline(true);
    const offline = page.getByRole('alert').filter({ hasText: /offline/i });
    await offline.waitFor();
    await expectNoAxeViolations(page, 'essay, offline');
    await page.context().setOffline(false);
    await offline.waitFor({ state: 'detached' });

    await lightAndDark(page, 'essay', 'essay');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'essay-phone');
    await expectNoAxeViolations(page, 'essay on a phone');
    expect(errors).toEqual([]);
  });

  it('the emailed link signs the hosted page in and leads back to the essay', async () => {
    const { page } = await open(`/essays/${scene.essay.slug}`);
    const email = `link.reader.${Date.now().toString(36)}@example.test`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Email me a code', exact: true }).click();
    const link = await mailbox(app).link(email, `${app.url}/sign-in?token=`);

    await page.goto(link);
    await expectNoAxeViolations(page, 'sign-in link page');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .getByRole('heading', { name: /signed in/i })
      .waitFor()
      .catch(async (error) => {
        throw new Error(`${error}\npage: ${await page.locator('body').innerText()}`);
      });
    await expectNoAxeViolations(page, 'signed-in page');
    await page.waitForURL(`${app.url}/essays/${scene.essay.slug}`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    expect(await page.getByLabel('Your response', { exact: true }).isVisible()).toBe(true);
  });

  it('the sign-in and subscription pages share the look and pass axe', async () => {
    for (const [name, path] of [
      ['sign-in', '/sign-in?token=not-a-real-token'],
      ['subscription-confirm', '/subscriptions/confirm?token=not-a-real-token'],
      ['subscription-unsubscribe', '/subscriptions/unsubscribe?token=not-a-real-token'],
    ] as const) {
      const { page } = await open(path);
      const stylesheets = await page
        .locator('link[rel="stylesheet"]')
        .evaluateAll((links) => links.map((link: any) => link.getAttribute('href') as string));
      expect(stylesheets.some((href) => /\/assets\/style-[\w-]+\.css$/.test(href))).toBe(true);
      await lightAndDark(page, name, name);
    }
  });
});
