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
  pageErrors,
  screenshot,
  startBrowserApp,
  tabTo,
  type ConversationScene,
  type HostSite,
} from '../support/browser.js';
import { ResponseEntity } from '../../src/responses/response.entity.js';
import { ResponsesPubSub } from '../../src/responses/responses.pubsub.js';
import { given } from '../support/given.js';

declare const window: any;
declare const localStorage: any;

let emails = 0;
const newEmail = (name: string) =>
  `${name}.${Date.now().toString(36)}.${(emails += 1)}@example.test`;

// One browser and one app per suite; a busy CI machine makes a real browser slower.
jest.setTimeout(120_000);

describe('taking part in the embedded conversation', () => {
  let app: TestApp;
  let host: HostSite;
  let browser: Browser;
  let scene: ConversationScene;
  let mail: ReturnType<typeof mailbox>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Each reader may post once every 6 seconds of the app's clock, which stands still
    // unless the suite moves it: posting twice at once meets the limit (and its message)
    // every time, and waiting it out moves the clock on (sendPatiently).
    const started = await startBrowserApp({ env: { RATE_RESPONSE_INTERVAL_SECONDS: '6' } });
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

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  const postUrl = () => `${host.origin}/posts/${scene.essay.slug}`;

  async function openPost(page: Page): Promise<Frame> {
    await page.goto(postUrl());
    const { frame } = await embedFrame(page);
    await frame
      .getByRole('button', { name: 'Offer to collaborate', exact: true })
      .waitFor()
      .catch(async (error) => {
        await screenshot(page, `failed-${Date.now()}`);
        throw new Error(`${error}\nframe text: ${await frame.locator('body').innerText()}`);
      });
    return frame;
  }

  /** A reader whose session is already in the frame's own (partitioned) storage. */
  async function signedInPost(page: Page): Promise<Frame> {
    const reader = await given(app).reader();
    const frame = await openPost(page);
    await frame.evaluate((token) => localStorage.setItem('rizom.session', token), reader.token);
    await page.reload();
    const reloaded = (await embedFrame(page)).frame;
    await reloaded.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    return reloaded;
  }

  const thread = (frame: Frame | Page, text: string): Locator =>
    frame.locator('li.response:not(.response--reply)', { hasText: text });

  /**
   * Sends a form and waits for `posted`; when the API says to wait ("Try again in N
   * seconds"), waits that long and sends again, as a reader would.
   */
  async function sendPatiently(frame: Frame, send: () => Promise<void>, posted: Locator) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await send();
      const outcome = await Promise.race([
        posted.waitFor().then(() => 'posted'),
        frame
          .getByRole('alert')
          .filter({ hasText: /try again in/i })
          .waitFor()
          .then(() => 'wait'),
      ]);
      if (outcome === 'posted') return;
      const wait = await frame
        .getByRole('alert')
        .filter({ hasText: /try again in/i })
        .innerText();
      const seconds = Number(/(\d+) second/.exec(wait)?.[1] ?? 2);
      // The limits run on the app's clock: wait it out there.
      app.clock.advance(seconds * 1000 + 300);
    }
    throw new Error(
      `not posted: ${JSON.stringify(await frame.getByRole('alert').allInnerTexts())}`,
    );
  }

  async function respond(frame: Frame, text: string, { privately = false } = {}) {
    await frame.getByLabel('Your response', { exact: true }).fill(text);
    const privacy = frame.getByLabel('Only the author can see this', { exact: true });
    if (privately) await privacy.check();
    else expect(await privacy.isChecked()).toBe(false);
    const posted = thread(frame, text);
    await sendPatiently(
      frame,
      () => frame.getByRole('button', { name: 'Post', exact: true }).click(),
      posted,
    );
    // By its id from now on: while it is being edited its text sits in a text box.
    return frame.locator(`[id="${await posted.getAttribute('id')}"]`);
  }

  /** The editor that opened inside `scope` (reply or edit), filled and sent. */
  async function submitIn(frame: Frame, scope: Locator, text: string, posted: Locator) {
    const form = scope.locator('form').last();
    await form
      .getByRole('textbox')
      .fill(text)
      .catch(async (error) => {
        await screenshot(frame.page(), `failed-${Date.now()}`);
        throw new Error(`${error}\nscope: ${await scope.innerHTML()}`);
      });
    await sendPatiently(frame, () => form.locator('button[type="submit"]').click(), posted);
  }

  it('signs in with the emailed code inside the frame, keeps the session in that site’s storage, and signs out', async () => {
    const page = await newPage();
    const errors = pageErrors(page);
    const frame = await openPost(page);
    const email = newEmail('frame.reader');

    // A wrong code is refused in words, announced.
    await frame.getByLabel('Email', { exact: true }).fill(email);
    await frame.getByRole('button', { name: 'Email me a code', exact: true }).click();
    const code = await mail.signInCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    await frame.getByLabel('Code', { exact: true }).fill(wrong);
    await frame.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = frame.getByRole('alert').filter({ hasText: /\S/ });
    await alert.first().waitFor();
    expect(await alert.first().innerText()).toMatch(/code/i);
    await expectNoAxeViolations(frame, 'embed, wrong code shown');
    await screenshot(page, 'embed-wrong-code');

    await frame.getByLabel('Code', { exact: true }).fill(code);
    await frame.getByRole('button', { name: 'Sign in', exact: true }).click();
    await frame.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    expect(await frame.getByLabel('Your response', { exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'embed-signed-in-light');
    await expectNoAxeViolations(frame, 'embed signed in (light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'embed-signed-in-dark');
    await expectNoAxeViolations(frame, 'embed signed in (dark)');
    await page.emulateMedia({ colorScheme: 'light' });

    // Still signed in on this site after a reload: the session lives in the frame.
    await page.reload();
    let reloaded = (await embedFrame(page)).frame;
    await reloaded.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    // The platform's own page, top level in the same browser, has other storage.
    const hosted = await page.context().newPage();
    await hosted.goto(`${app.url}/essays/${scene.essay.slug}`);
    await hosted.getByRole('button', { name: 'Offer to collaborate', exact: true }).waitFor();
    expect(await hosted.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);
    await hosted.close();

    await reloaded.getByRole('button', { name: 'Sign out', exact: true }).click();
    await reloaded.getByLabel('Email', { exact: true }).waitFor();
    await page.reload();
    reloaded = (await embedFrame(page)).frame;
    await reloaded.getByRole('button', { name: 'Offer to collaborate', exact: true }).waitFor();
    expect(await reloaded.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);
    expect(await reloaded.getByLabel('Email', { exact: true }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('responds publicly and privately, replies, edits and deletes; others see only the public response, live', async () => {
    const writerPage = await newPage();
    const writer = await signedInPost(writerPage);
    const otherPage = await newPage();
    const other = await signedInPost(otherPage);
    const anonymousPage = await newPage();
    await anonymousPage.goto(`${app.url}/essays/${scene.essay.slug}`);
    await anonymousPage
      .getByRole('button', { name: 'Offer to collaborate', exact: true })
      .waitFor();
    // Marks that a reload would wipe.
    await other.evaluate(() => (window.__noReload = true));
    await anonymousPage.evaluate(() => (window.__noReload = true));

    const secret = `Only for the author: my budget is small (${Date.now()})`;
    const privateOne = await respond(writer, secret, { privately: true });
    expect(await privateOne.innerText()).toContain('Only the author can see this');

    // Straight after: the API asks to wait, and the reader is told for how long.
    const text = `We run a tool library on our street (${Date.now()})`;
    await writer.getByLabel('Your response', { exact: true }).fill(text);
    await writer.getByRole('button', { name: 'Post', exact: true }).click();
    const wait = writer.getByRole('alert').filter({ hasText: /try again in \d+ seconds?/i });
    await wait.waitFor();
    await expectNoAxeViolations(writer, 'embed, rate limit shown');
    const publicOne = await respond(writer, text);
    expect(await publicOne.innerText()).not.toContain('Only the author can see this');

    for (const [name, view] of [
      ['another reader', other],
      ['an anonymous reader', anonymousPage],
    ] as const) {
      const arrived = thread(view, text);
      const revealed = await Promise.race([
        arrived.waitFor({ timeout: 10_000 }).then(() => 'shown'),
        view
          .getByRole('button', { name: /new response/i })
          .waitFor({ timeout: 10_000 })
          .then(() => 'control'),
      ]);
      if (revealed === 'control') await view.getByRole('button', { name: /new response/i }).click();
      await arrived.waitFor();
      expect([name, await view.evaluate(() => window.__noReload === true)]).toEqual([name, true]);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const view of [other, anonymousPage]) {
      expect(await view.locator('body').innerText()).not.toContain(secret);
      expect(await view.content()).not.toContain(secret);
    }

    // Reply in one's own thread.
    const replyText = `And anyone can borrow a drill (${Date.now()})`;
    await publicOne.getByRole('button', { name: 'Reply', exact: true }).first().click();
    await submitIn(
      writer,
      publicOne,
      replyText,
      publicOne.locator('.response--reply', { hasText: replyText }),
    );

    // Edit: the new text, marked edited.
    const edited = `${text} (and seeds)`;
    await publicOne.getByRole('button', { name: 'Edit', exact: true }).first().click();
    await submitIn(
      writer,
      publicOne,
      edited,
      publicOne.locator('.response__body', { hasText: '(and seeds)' }).first(),
    );
    expect(await publicOne.locator('.response__edited').first().innerText()).toMatch(/edited/i);

    // Delete the private one.
    const privateId = (await privateOne.getAttribute('id'))!.replace(/^response-/, '');
    writerPage.on('dialog', (dialog) => void dialog.accept());
    await privateOne.getByRole('button', { name: 'Delete', exact: true }).first().click();
    const confirm = writer.getByRole('dialog').getByRole('button', { name: /delete/i });
    if (await confirm.count()) await confirm.first().click();
    await writer.waitForFunction((body) => !document.body.innerText.includes(body), secret, {
      timeout: 10_000,
    });
    const [row] = await app.sql<{ deleted_at: Date | null }>(
      `SELECT deleted_at FROM responses WHERE id = $1`,
      [privateId],
    );
    expect(row?.deleted_at).toBeInstanceOf(Date);

    // Nothing the frame told the host page carried the session or private text.
    const told = JSON.stringify(await writerPage.evaluate(() => window.__messages));
    expect(told).not.toContain(secret);
    expect(told).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    await expectNoAxeViolations(writer, 'embed with own responses');
  });

  it('a response whose edit is held leaves an open page at once, and comes back when approved', async () => {
    const settings = (terms: string[]) =>
      app.gqlOk(
        `mutation($input: ModerationSettingsInput!) { updateModerationSettings(input: $input) { mode } }`,
        { input: { essayId: scene.essay.id, blockedTerms: terms } },
        scene.author.token,
      );
    const post = async (body: string, by: { token: string }) =>
      (
        await app.gqlOk<{ respond: { id: string } }>(
          `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
          { input: { promptId: scene.prompt.id, body } },
          by.token,
        )
      ).respond.id;
    const writer = await given(app).reader();
    await settings(['cheap pills']);
    try {
      const marker = `A sentinel for the live page (${Date.now()})`;
      const markerId = await post(marker, await given(app).reader());
      const text = `Our repair café lends tools (${Date.now()})`;
      const id = await post(text, writer);
      const page = await newPage();
      await page.goto(`${app.url}/essays/${scene.essay.slug}`);
      await thread(page, text).waitFor();
      await page.evaluate(() => (window.__noReload = true));
      // Once a made-up removal of the sentinel takes it out, the page is listening.
      const pubsub = app.platform.app.get(ResponsesPubSub);
      const [sentinel] = await app.sql<ResponseEntity>(
        `SELECT id, essay_id AS "essayId", visibility, author_id AS "authorId" FROM responses WHERE id = $1`,
        [markerId],
      );
      for (let tries = 0; (await thread(page, marker).count()) > 0; tries += 1) {
        expect(tries).toBeLessThan(100);
        await pubsub.withdraw(sentinel!);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      await app.gqlOk(
        `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { id } }`,
        { id, body: `${text}, and cheap pills` },
        writer.token,
      );
      await thread(page, text).waitFor({ state: 'detached' });
      expect(await page.evaluate(() => window.__noReload === true)).toBe(true);

      await app.gqlOk(
        `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
        { id },
        scene.author.token,
      );
      await page.getByRole('button', { name: /new response/i }).click();
      await thread(page, `${text}, and cheap pills`).waitFor();
    } finally {
      await settings([]);
    }
  });

  it('takes a reader from sign-in to a posted response with the keyboard alone', async () => {
    const page = await newPage();
    const frame = await openPost(page);
    const email = newEmail('keyboard.reader');
    const focusVisible = (target: Locator) =>
      target.evaluate((element: any) => {
        const style = getComputedStyle(element);
        return (
          element.matches(':focus-visible') &&
          (style.outlineStyle !== 'none' || style.boxShadow !== 'none')
        );
      });

    const emailField = frame.getByLabel('Email', { exact: true });
    await tabTo(page, emailField);
    expect(await focusVisible(emailField)).toBe(true);
    await page.keyboard.type(email);
    const requestCode = frame.getByRole('button', { name: 'Email me a code', exact: true });
    await tabTo(page, requestCode);
    expect(await focusVisible(requestCode)).toBe(true);
    await page.keyboard.press('Enter');

    const codeField = frame.getByLabel('Code', { exact: true });
    await codeField.waitFor();
    const code = await mail.signInCode(email);
    if (!(await codeField.evaluate((element: any) => element === document.activeElement)))
      await tabTo(page, codeField);
    await page.keyboard.type(code);
    const signIn = frame.getByRole('button', { name: 'Sign in', exact: true });
    await tabTo(page, signIn);
    await page.keyboard.press('Space');
    await frame.getByRole('button', { name: 'Sign out', exact: true }).waitFor();

    const editor = frame.getByLabel('Your response', { exact: true });
    await tabTo(page, editor);
    const text = `Typed without a mouse (${Date.now()})`;
    await page.keyboard.type(text);
    const privacy = frame.getByLabel('Only the author can see this', { exact: true });
    await tabTo(page, privacy);
    await page.keyboard.press('Space');
    expect(await privacy.isChecked()).toBe(true);
    await page.keyboard.press('Space');
    expect(await privacy.isChecked()).toBe(false);
    await tabTo(page, editor, { backwards: true });
    const post = frame.getByRole('button', { name: 'Post', exact: true });
    await tabTo(page, post);
    expect(await focusVisible(post)).toBe(true);
    await page.keyboard.press('Enter');
    await thread(frame, text).waitFor();
    const [row] = await app.sql<{ visibility: string }>(
      `SELECT visibility FROM responses WHERE body_markdown = $1`,
      [text],
    );
    expect(row?.visibility).toBe('PUBLIC');
  });
});

declare const document: any;
declare function getComputedStyle(element: unknown): any;
