import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import type { TestApp } from '../support/app.js';
import {
  DESKTOP,
  conversationScene,
  embedFrame,
  expectNoAxeViolations,
  launchBrowser,
  mailbox,
  screenshot,
  startBrowserApp,
  type ConversationScene,
  type HostSite,
} from '../support/browser.js';
import { given, type GivenUser } from '../support/given.js';

declare const localStorage: any;

let emails = 0;
const newEmail = (name: string) =>
  `${name}.${Date.now().toString(36)}.${(emails += 1)}@example.test`;

/** Waits until the iframe's height stops changing, and returns it. */
async function settledHeight(iframe: Locator): Promise<number> {
  let last = -1;
  for (let round = 0; round < 50; round += 1) {
    const height = await iframe.evaluate((element: any) => element.getBoundingClientRect().height);
    if (height === last && height > 0) return height;
    last = height;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return last;
}

// One browser and one app per suite; a busy CI machine makes a real browser slower.
jest.setTimeout(120_000);

describe('the collaborator and digest forms, end to end', () => {
  let app: TestApp;
  let host: HostSite;
  let browser: Browser;
  let scene: ConversationScene;
  let mail: ReturnType<typeof mailbox>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const started = await startBrowserApp();
    [app, host] = [started.app, started.host];
    [browser, scene] = await Promise.all([launchBrowser(), conversationScene(app)]);
    started.serveEssay(scene.essay.slug);
    mail = mailbox(app);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await app?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function openPost(options: Parameters<Browser['newContext']>[0] = {}) {
    const context = await browser.newContext({ viewport: DESKTOP, ...options });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${host.origin}/posts/${scene.essay.slug}`);
    const { iframe, frame } = await embedFrame(page);
    await frame.getByRole('button', { name: 'Offer to collaborate', exact: true }).waitFor();
    return { page, iframe, frame };
  }

  async function signedIn(page: Page, frame: Frame, reader: GivenUser): Promise<Frame> {
    await frame.evaluate((token) => localStorage.setItem('rizom.session', token), reader.token);
    await page.reload();
    const reloaded = (await embedFrame(page)).frame;
    await reloaded.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    return reloaded;
  }

  /** The form that a button opened: the one holding `field`. */
  const formWith = (frame: Frame, field: RegExp) =>
    frame.locator('form', { has: frame.getByLabel(field) });

  it('a response whose hidden spam field was filled in is held, with no error, marked as awaiting review', async () => {
    const { page, frame } = await openPost();
    const reader = await given(app).reader();
    const conversation = await signedIn(page, frame, reader);
    // What a bot does: fill in every field, the one people never see included.
    await conversation.evaluate(() => {
      const trap = (globalThis as any).document.querySelector('input[name="website"]');
      trap.value = 'https://bot.example';
      trap.dispatchEvent(new (globalThis as any).Event('input', { bubbles: true }));
    });
    await conversation.getByLabel('Your response', { exact: true }).fill('Cheap watches here');
    await conversation.getByRole('button', { name: 'Post', exact: true }).click();
    const card = conversation.locator('li.response', { hasText: 'Cheap watches here' });
    await card.getByText('Awaiting review').waitFor();
    expect((await conversation.getByRole('alert').allInnerTexts()).join('').trim()).toBe('');
    const [row] = await app.sql<{ moderation_state: string; held_reason: string }>(
      `SELECT moderation_state, held_reason FROM responses WHERE body_markdown = 'Cheap watches here'`,
    );
    expect(row).toEqual({ moderation_state: 'HELD', held_reason: 'SUSPECTED_SPAM' });
    await expectNoAxeViolations(conversation, 'a held response');
  });

  it('"Get the digest": subscribes in the browser’s time zone, and the emailed link confirms', async () => {
    const { page, iframe, frame } = await openPost({ timezoneId: 'Europe/Berlin' });
    const closedHeight = await settledHeight(iframe);

    await frame.getByRole('button', { name: 'Get the digest', exact: true }).click();
    const form = formWith(frame, /weekly|frequency|how often/i);
    await form.waitFor();
    expect(await settledHeight(iframe)).toBeGreaterThan(closedHeight);
    await expectNoAxeViolations(frame, 'digest form open');
    await screenshot(page, 'embed-digest-form');

    const email = newEmail('subscriber');
    await form.getByLabel(/email/i).fill(email);
    const zone = form.getByLabel(/time ?zone/i);
    expect(await zone.inputValue()).toBe('Europe/Berlin');
    await form.getByLabel(/weekly/i).check();
    await form.locator('button[type="submit"]').click();
    await frame
      .getByText(/check your inbox/i)
      .first()
      .waitFor();

    const link = await mail.link(email, `${app.url}/subscriptions/confirm?token=`);
    const confirmPage = await page.context().newPage();
    await confirmPage.goto(link);
    await expectNoAxeViolations(confirmPage, 'confirm page');
    await confirmPage.getByRole('button', { name: /confirm/i }).click();
    await confirmPage
      .getByRole('heading', { name: /subscribed/i })
      .waitFor()
      .catch(async (error) => {
        throw new Error(`${error}\npage: ${await confirmPage.locator('body').innerText()}`);
      });
    await expectNoAxeViolations(confirmPage, 'confirmed page');
    const [row] = await app.sql<{ confirmed_at: Date | null; timezone: string; frequency: string }>(
      `SELECT confirmed_at, timezone, frequency FROM digest_subscriptions WHERE email = $1`,
      [email],
    );
    expect(row).toEqual({
      confirmed_at: expect.any(Date),
      timezone: 'Europe/Berlin',
      frequency: 'WEEKLY',
    });
  });

  it('"Offer to collaborate": sends the offer and shows it back to the reader', async () => {
    const opened = await openPost();
    const reader = await given(app).reader();
    const frame = await signedIn(opened.page, opened.frame, reader);

    await frame.getByRole('button', { name: 'Offer to collaborate', exact: true }).click();
    const form = formWith(frame, /^What you are building/i);
    await form.waitFor();
    await expectNoAxeViolations(frame, 'collaborate form open');
    await screenshot(opened.page, 'embed-collaborate-form');

    // Sending without consent is refused in words, and nothing is saved.
    const message = `Let us build a commons map together (${Date.now()})`;
    await form.getByLabel(/message|why/i).fill(message);
    await form.getByLabel(/^What you are building/i).fill('A map of shared spaces in our town');
    const contact = form.getByLabel(/contact email/i);
    if (!(await contact.inputValue())) await contact.fill(reader.email);
    await form.locator('button[type="submit"]').click();
    const consent = form.getByRole('checkbox', { name: /contact|consent|agree/i });
    expect(await consent.isChecked()).toBe(false);
    const refusal = form.getByRole('alert').filter({ hasText: /\S/ });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/contact|consent|tick/i);
    await expectNoAxeViolations(frame, 'collaborate form with an error');
    expect(
      await app.sql(`SELECT 1 FROM collaborator_interests WHERE reader_id = $1`, [reader.id]),
    ).toEqual([]);

    await consent.check();
    await form.locator('button[type="submit"]').click();
    await frame.getByText(message).first().waitFor();
    const [row] = await app.sql<{ message: string; contact_email: string }>(
      `SELECT message, contact_email FROM collaborator_interests WHERE reader_id = $1`,
      [reader.id],
    );
    expect(row).toEqual({ message, contact_email: reader.email });
    await expectNoAxeViolations(frame, 'collaborate offer shown back');
  });
});
