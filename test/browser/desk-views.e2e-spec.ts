import { jest } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  DESKTOP,
  expectNoAxeViolations,
  launchBrowser,
  pageErrors,
  screenshot,
  tabTo,
} from '../support/browser.js';
import { given, type GivenUser } from '../support/given.js';

declare const localStorage: any;
declare const document: any;

jest.setTimeout(180_000);

/*
 * The desk beyond its first flows (desk.e2e-spec.ts): live counts on the saved
 * views, hiding a reported response, the queue keeping what "Load more"
 * loaded, the keys on every page, and the CSV as a plain download signed in
 * by the desk's cookie.
 */
describe("the author's desk: live counts, HIDE, the loaded extent, keys everywhere, the CSV link", () => {
  let app: TestApp;
  let browser: Browser;
  let author: GivenUser;
  let ana: GivenUser;
  let ben: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string; text: string }[] };
  const ids: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const texts = {
    garden: 'A community garden where the neighbours share the harvest and the tools.',
    housing: 'Cooperative housing with open books and a rota for the boiler.',
    spam: 'Buy cheap watches at a shop that is not a commons at all.',
  };

  const respond = async (user: GivenUser, body: string) => {
    const data = await app.gqlOk(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body } },
      user.token,
    );
    app.clock.advance(60_000);
    return data.respond.id as string;
  };
  const counts = async () =>
    (
      await app.gqlOk(
        `{ reviewQueueCounts { inbox shortlist needsReply held reported } }`,
        {},
        author.token,
      )
    ).reviewQueueCounts as Record<string, number>;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    browser = await launchBrowser();
    const make = given(app);
    author = await make.author();
    ana = await make.reader();
    ben = await make.reader();
    for (const [user, name] of [
      [author, 'Jonas Berg'],
      [ana, 'Ana Lima'],
      [ben, 'Ben Okafor'],
    ] as const)
      await app.sql(`UPDATE users SET display_name = $2 WHERE id = $1`, [user.id, name]);
    essay = await make.essay(
      author,
      `---\ntitle: 'Living organizations'\nstatus: published\nprompts:\n  - 'What does a living organization look like in your world?'\n---\n\nOrganizations can grow like gardens.\n`,
    );
    ids.garden = await respond(ana, texts.garden);
    ids.housing = await respond(ben, texts.housing);
    ids.spam = await respond(ben, texts.spam);
    for (const [reader, message] of [
      [ana, 'I would love to compare notes on shared harvests.'],
      [ben, 'Our housing co-op could share its rota tools.'],
    ] as const)
      await app.gqlOk(
        `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`,
        {
          input: {
            essayId: essay.id,
            message,
            building: 'A cooperative',
            contactEmail: reader.email,
            consentToContact: true,
          },
        },
        reader.token,
      );
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function deskAs(user: GivenUser, path = '/desk'): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    contexts.push(context);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/desk`);
    await page.evaluate((token) => localStorage.setItem('rizom.session', token), user.token);
    await page.goto(`${app.url}${path}`);
    return page;
  }

  const views = (page: Page) => page.getByRole('navigation', { name: 'Saved views' });
  const view = (page: Page, name: string) => views(page).getByRole('button', { name, exact: true });
  /** The count a saved view shows, as a number (NaN while none is shown). */
  const shownCount = async (page: Page, name: string) =>
    Number(await view(page, name).locator('.desk-views__count').innerText());
  const waitForCount = (page: Page, name: string, expected: number) =>
    page.waitForFunction(
      ([label, value]) =>
        [...document.querySelectorAll('.desk-views button')].some(
          (button: any) =>
            button.firstChild?.textContent === label &&
            button.querySelector('.desk-views__count')?.textContent === String(value),
        ),
      [name, expected] as const,
    );
  const row = (page: Page, text: string) => page.locator('.queue-row', { hasText: text });
  const focusedId = (page: Page) =>
    page.evaluate(() => (document.activeElement?.id ?? '') as string);

  it('the saved views show their counts, and the counts follow new responses, reports and statuses live', async () => {
    const page = await deskAs(author);
    const errors = pageErrors(page);
    await row(page, texts.garden).waitFor();
    const start = await counts();
    expect(start).toMatchObject({ inbox: 3, shortlist: 0, held: 0, reported: 0 });
    await waitForCount(page, 'Inbox', 3);
    for (const [name, key] of [
      ['Shortlist', 'shortlist'],
      ['Needs a reply', 'needsReply'],
      ['Held', 'held'],
      ['Reported', 'reported'],
    ] as const)
      expect(await shownCount(page, name)).toBe(start[key]);
    // The button's name stays the view's; the count is its description, for screen readers.
    expect(await view(page, 'Inbox').getAttribute('aria-describedby')).toBe('desk-view-inbox');
    expect(await page.locator('#desk-view-inbox').textContent()).toBe('3 responses');

    // A response arrives while the desk is open: once the socket is up, the inbox counts it.
    let arrived = 0;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      ids[`live${attempt}`] = await respond(ana, `Arrived live ${attempt}: a repair café.`);
      arrived += 1;
      const seen = await waitForCount(page, 'Inbox', 3 + arrived)
        .then(() => true)
        .catch(() => false);
      if (seen) break;
    }
    expect(await shownCount(page, 'Inbox')).toBe((await counts()).inbox);
    // A reader reports a response: "Reported" counts it, with no reload.
    await app.gqlOk(
      `mutation($id: ID!) { reportResponse(id: $id, reason: SPAM) }`,
      { id: ids.spam },
      ana.token,
    );
    await waitForCount(page, 'Reported', 1);
    // A status set elsewhere (another tab, the CLI): "Shortlist" counts it.
    await app.gqlOk(
      `mutation($input: ReviewResponseInput!) { reviewResponse(input: $input) { id } }`,
      { input: { id: ids.housing, status: 'SHORTLISTED' } },
      author.token,
    );
    await waitForCount(page, 'Shortlist', 1);
    // And one set here.
    await row(page, texts.garden).locator('.queue-row__open').focus();
    await page.keyboard.press('s');
    await waitForCount(page, 'Shortlist', 2);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await waitForCount(page, 'Shortlist', 1);
    expect(await shownCount(page, 'Inbox')).toBe((await counts()).inbox);

    await expectNoAxeViolations(page, 'desk saved views with counts');
    await screenshot(page, 'desk-views-counts');
    // Reachable by keyboard: Tab from the top gets to each view.
    await page.locator('body').focus();
    expect(await tabTo(page, view(page, 'Reported'))).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await page.waitForURL(/reported=yes/);
    await row(page, texts.spam).waitFor();
    expect(errors).toEqual([]);
  });

  it('"Hide response" on a report: the response leaves the conversation for readers, and "Reported" empties', async () => {
    const readerSees = async (reader: GivenUser) => {
      const answer = await app.gql(
        `query($id: ID!) { response(id: $id) { id body } }`,
        { id: ids.spam },
        reader.token,
      );
      return answer.errors?.[0]?.extensions?.code ?? answer.data?.response?.body;
    };
    expect(await readerSees(ana)).toBe(texts.spam);
    const page = await deskAs(author, '/desk?reported=yes');
    await row(page, texts.spam).locator('.queue-row__open').click();
    const hide = page.getByRole('button', { name: 'Hide response: the spam report', exact: true });
    await hide.waitFor();
    // From the opened response's heading, by keyboard.
    await page.locator('#desk-detail-title').focus();
    expect(await tabTo(page, hide)).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await page.getByText('Response hidden.').waitFor();
    await page.getByText('Nothing here').waitFor();
    await waitForCount(page, 'Reported', 0);
    await expectNoAxeViolations(page, 'desk after hiding a reported response');
    await screenshot(page, 'desk-report-hidden');
    const [report] = await app.sql<{ status: string }>(
      `SELECT status FROM response_reports WHERE response_id = $1`,
      [ids.spam],
    );
    expect(report!.status).toBe('HIDDEN');
    // Another reader no longer finds it, through the API or on the reader page.
    expect(await readerSees(ana)).toBe('NOT_FOUND');
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${app.url}/essays/${essay.slug}`);
    await reader.getByText(texts.garden).first().waitFor();
    expect(await reader.getByText(texts.spam).count()).toBe(0);
    await reader.context().close();
  });

  it('the keys work on every page: `?` lists the page’s keys, `/` focuses its filter, `j`/`k` move through cards, never while typing', async () => {
    const page = await deskAs(author, '/desk/collaborators');
    const cards = page.locator('.board__card > article');
    await cards.nth(1).waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const keys = await help.locator('kbd').allInnerTexts();
    expect(keys).toEqual(['j', 'k', '/', '?']);
    await expectNoAxeViolations(page, 'desk collaborators shortcut help');
    await screenshot(page, 'desk-collaborators-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.keyboard.press('j');
    await page.waitForFunction(
      () => document.activeElement === document.querySelectorAll('.board__card > article')[0],
    );
    await page.keyboard.press('j');
    await page.waitForFunction(
      () => document.activeElement === document.querySelectorAll('.board__card > article')[1],
    );
    await page.keyboard.press('k');
    await page.waitForFunction(
      () => document.activeElement === document.querySelectorAll('.board__card > article')[0],
    );
    // Tab goes on from the card to its own controls.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() =>
        document.querySelectorAll('.board__card > article')[0].contains(document.activeElement),
      ),
    ).toBe(true);
    await expectNoAxeViolations(page, 'desk collaborators card focused by j');

    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.id === 'desk-filter-offers');
    // Typed into a field, the keys are text.
    await page.keyboard.type('ben j?');
    expect(await page.getByLabel('Filter offers').inputValue()).toBe('ben j?');
    expect(await help.isVisible()).toBe(false);
    expect(await focusedId(page)).toBe('desk-filter-offers');
    await page.getByLabel('Filter offers').fill('Ben');
    await page.waitForFunction(
      () => document.querySelectorAll('.board__card > article').length === 1,
    );
    await cards.getByRole('heading', { name: 'Ben Okafor' }).waitFor();

    // The essays page: the same keys, its own filter.
    await page.goto(`${app.url}/desk/essays`);
    await page.getByRole('article', { name: 'Living organizations' }).waitFor();
    await page.keyboard.press('j');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-labelledby')?.startsWith('essay-') === true,
    );
    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.id === 'desk-filter-essays');
    await page.keyboard.type('nothing like it');
    await page
      .getByRole('article', { name: 'Living organizations' })
      .waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await help.waitFor();
    expect(await help.locator('kbd').allInnerTexts()).toEqual(['j', 'k', '/', '?']);
    await expectNoAxeViolations(page, 'desk essays shortcut help');
    await page.keyboard.press('Escape');

    // The audit log: `/` focuses its Action filter; Settings lists `?` alone.
    await page.goto(`${app.url}/desk/audit`);
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    await page.locator('.audit-log li').first().waitFor();
    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.id === 'desk-audit-action');
    await page.goto(`${app.url}/desk/settings`);
    await page.getByLabel('Name readers see').waitFor();
    await page.getByRole('button', { name: 'Keyboard shortcuts', exact: true }).click();
    await help.waitFor();
    expect(await help.locator('kbd').allInnerTexts()).toEqual(['?']);
  });

  it('"Load more" rows stay loaded, and focus stays put, through an action and "N new — show"', async () => {
    const dana = await given(app).reader();
    for (let n = 0; n < 55; n += 1) await respond(dana, `Batch response number ${n}: a note.`);
    const page = await deskAs(author);
    await page
      .getByRole('heading', { name: '50 responses shown, more to load', exact: true })
      .waitFor();
    await page.getByRole('button', { name: 'Load more', exact: true }).click();
    const total = (await counts()).inbox;
    await page.getByRole('heading', { name: `${total} responses`, exact: true }).waitFor();
    expect(total).toBeGreaterThan(50);

    // A row beyond the first 50: shortlist it by key; the queue reloads, keeping every row.
    // (One of the batch: new until now.)
    const deep = page.locator('.queue-row').nth(52);
    const deepId = (await deep.getAttribute('data-id'))!;
    // The keys act on the row that has focus.
    await deep.locator('.queue-row__open').focus();
    await page.keyboard.press('s');
    await page.getByText('Shortlisted: 1 response.').waitFor();
    await deep.getByText('Shortlisted', { exact: true }).waitFor();
    expect(await page.locator('.queue-row').count()).toBe(total);
    expect(await focusedId(page)).toBe(`row-${deepId}`);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await deep.getByText('New', { exact: true }).waitFor();
    expect(await page.locator('.queue-row').count()).toBe(total);

    // New responses shown: on top, with every loaded row still below.
    let fresh = '';
    for (let attempt = 0; attempt < 20 && !fresh; attempt += 1) {
      const body = `Arrived while deep in the queue, try ${attempt}.`;
      await respond(ben, body);
      const banner = page.getByRole('button', { name: /new responses? — show/ });
      if (
        await banner.waitFor({ timeout: 2_000 }).then(
          () => true,
          () => false,
        )
      )
        fresh = body;
    }
    expect(fresh).not.toBe('');
    const now = (await counts()).inbox;
    await expectNoAxeViolations(page, 'desk deep in the queue with new responses waiting');
    await screenshot(page, 'desk-queue-deep-new-waiting');
    await page.getByRole('button', { name: /new responses? — show/ }).click();
    await page.getByRole('heading', { name: `${now} responses`, exact: true }).waitFor();
    expect(await page.locator('.queue-row').count()).toBe(now);
    await row(page, fresh).waitFor();
    expect(await page.locator(`#row-${deepId}`).count()).toBe(1);
  });

  it('downloads the CSV through a plain link, signed in by the desk’s cookie (no hand-made header); sign-out removes it (last: it signs the author out everywhere)', async () => {
    const page = await deskAs(author, '/desk/essays');
    const context = page.context();
    const card = page.getByRole('article', { name: 'Living organizations' });
    const link = card.getByRole('link', { name: 'Download CSV', exact: true });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/essays/${essay.id}/export.csv`);
    expect(await link.getAttribute('download')).toBe(`${essay.slug}.csv`);
    // The desk asked for its cookie when it loaded.
    for (let tries = 0; tries < 50; tries += 1) {
      if ((await context.cookies()).some((cookie) => cookie.name === 'rizom_desk')) break;
      await page.waitForTimeout(100);
    }
    const cookies = (await context.cookies()).filter((cookie) => cookie.name === 'rizom_desk');
    expect(cookies.map((cookie) => cookie.path).sort()).toEqual(['/account', '/essays']);
    for (const cookie of cookies) {
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', domain: '127.0.0.1' });
    }
    expect(await page.evaluate(() => (document as any).cookie)).toBe('');

    const graphqlHeaders: Record<string, string>[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) graphqlHeaders.push(request.headers());
    });
    await link.focus();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.find((record) => record.id === ids.garden)).toMatchObject({
      record: 'response',
      body: texts.garden,
    });
    expect(rows.filter((record) => record.record === 'interest')).toHaveLength(2);
    expect(await download.failure()).toBeNull();
    await expectNoAxeViolations(page, 'desk essays with the CSV link');
    await screenshot(page, 'desk-essays-csv-link');

    // It is the cookie that signs the link in (the page adds no header): without it, refused.
    await context.clearCookies({ name: 'rizom_desk' });
    const [unsigned] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(await unsigned.failure()).not.toBeNull();
    await page.reload();
    await link.waitFor();
    for (let tries = 0; tries < 50; tries += 1) {
      if ((await context.cookies()).some((cookie) => cookie.name === 'rizom_desk')) break;
      await page.waitForTimeout(100);
    }
    expect((await context.cookies()).some((cookie) => cookie.name === 'rizom_desk')).toBe(true);

    // Without the cookie (another browser), the same link is refused.
    const stranger = await browser.newContext();
    const refused = await stranger.request.get(`${app.url}/essays/${essay.id}/export.csv`);
    expect(refused.status()).toBe(401);
    await stranger.close();

    // The cookie never goes with the API's requests; sign-out removes it (last: it signs the author out everywhere).
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email', { exact: true }).waitFor();
    expect(graphqlHeaders.length).toBeGreaterThan(0);
    for (const headers of graphqlHeaders) expect(headers.cookie ?? '').not.toContain('rizom_desk');
    expect((await context.cookies()).filter((cookie) => cookie.name === 'rizom_desk')).toEqual([]);
  });
});
