import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import type { TestApp } from '../support/app.js';
import {
  DESKTOP,
  PHONE,
  conversationScene,
  embedFrame,
  expectNoAxeViolations,
  hostPage,
  launchBrowser,
  pageErrors,
  screenshot,
  startBrowserApp,
  startHostSite,
  type ConversationScene,
  type HostSite,
} from '../support/browser.js';

// Page functions run in the browser.
declare const window: any;
declare const document: any;
declare const Node: any;
declare function getComputedStyle(element: unknown): any;

/** How the iframe sits against its own content, measured inside and out. */
async function geometry(iframe: Locator, frame: Frame) {
  const outer = await iframe.evaluate((element: any) => ({
    height: element.getBoundingClientRect().height,
    top: element.getBoundingClientRect().top + window.scrollY,
  }));
  const inner = await frame.evaluate(() => {
    const body = document.body;
    const style = getComputedStyle(body);
    let bottom = 0;
    for (const element of body.querySelectorAll('*')) {
      const rect = element.getBoundingClientRect();
      if (rect.height > 0) bottom = Math.max(bottom, rect.bottom + window.scrollY);
    }
    return {
      contentBottom: bottom + parseFloat(style.paddingBottom) + parseFloat(style.marginBottom),
      documentHeight: document.documentElement.scrollHeight,
    };
  });
  return { ...outer, ...inner };
}

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

const isShown = (iframe: Locator) =>
  iframe.evaluate((element: any) => {
    const style = getComputedStyle(element);
    return style.visibility !== 'hidden' && style.opacity !== '0' && style.display !== 'none';
  });

// One browser and one app per suite; a busy CI machine makes a real browser slower.
jest.setTimeout(120_000);

describe('the embedded conversation on the author’s own site', () => {
  let app: TestApp;
  let host: HostSite;
  let stranger: HostSite;
  let browser: Browser;
  let scene: ConversationScene;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const started = await startBrowserApp();
    [app, host] = [started.app, started.host];
    [browser, stranger, scene] = await Promise.all([
      launchBrowser(),
      startHostSite(),
      conversationScene(app),
    ]);
    started.serveEssay(scene.essay.slug);
    stranger.serve('/', hostPage({ platformUrl: app.url, slug: scene.essay.slug }));
  });
  afterAll(async () => {
    await browser?.close();
    await stranger?.close();
    await host?.close();
    await app?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, ...options });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  async function openPost(page: Page, variant = '') {
    const errors = pageErrors(page);
    await page.goto(`${host.origin}/posts/${scene.essay.slug}${variant}`);
    const { iframe, frame } = await embedFrame(page);
    await frame.getByRole('region', { name: 'Conversation' }).waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('iframe')].some(
        (element: any) =>
          getComputedStyle(element).visibility !== 'hidden' &&
          getComputedStyle(element).opacity !== '0',
      ),
    );
    return { iframe, frame, errors };
  }

  it('loads from another site, sized to its content, with nothing above it moving', async () => {
    const page = await newPage();
    const before = page.locator('#before-embed');
    const { iframe, frame, errors } = await openPost(page);

    expect(await iframe.getAttribute('src')).toContain(
      `${app.url}/embed/essays/${scene.essay.slug}`,
    );
    expect(await frame.locator(`#response-${scene.publicResponse.id}`).innerText()).toContain(
      scene.publicResponse.text,
    );
    expect(await frame.content()).not.toContain(scene.privateResponse.text);
    // The frame is the conversation only: no site header or footer of the platform.
    expect(await frame.locator('body > header, body > footer').count()).toBe(0);

    const height = await settledHeight(iframe);
    const measured = await geometry(iframe, frame);
    expect(height).toBeGreaterThan(200);
    // Not cut off, no empty band under the content (padding counted once).
    expect(measured.contentBottom).toBeLessThanOrEqual(height + 2);
    expect(height - measured.contentBottom).toBeLessThan(40);
    expect(Math.abs(measured.documentHeight - height)).toBeLessThanOrEqual(2);
    // The host page's own paragraph sits right above the frame and never moved.
    const beforeBox = (await before.boundingBox())!;
    expect(beforeBox.y + beforeBox.height).toBeLessThanOrEqual(measured.top);
    const shiftedAbove = await page.evaluate(() => {
      const frameElement = document.querySelector('iframe');
      return window.__shifts
        .flatMap((shift: any) => shift.nodes)
        .filter(
          (node: any) =>
            node !== frameElement &&
            frameElement.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING &&
            !node.contains(frameElement),
        )
        .map((node: any) => node.outerHTML?.slice(0, 80) ?? node.nodeName);
    });
    expect(shiftedAbove).toEqual([]);
    expect(errors).toEqual([]);

    await screenshot(page, 'embed-host-light');
    await expectNoAxeViolations(page, 'host page with the embed');
    await expectNoAxeViolations(frame, 'embed signed out (light)');
    await page.setViewportSize(PHONE);
    await settledHeight(iframe);
    await screenshot(page, 'embed-host-phone');
    const phone = await geometry(iframe, frame);
    expect(phone.contentBottom).toBeLessThanOrEqual(phone.height + 2);
    expect(phone.height - phone.contentBottom).toBeLessThan(40);
    await expectNoAxeViolations(frame, 'embed signed out (phone)');
  });

  it('stays hidden until its document says it is ready, with its space reserved', async () => {
    const page = await newPage();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let requested!: () => void;
    const reached = new Promise<void>((resolve) => (requested = resolve));
    // Hold the frame's own script: the frame's HTML arrives, its app does not start.
    await page.route(`${app.url}/assets/**/*.js`, async (route) => {
      requested();
      await held;
      await route.continue();
    });
    await page.goto(`${host.origin}/posts/${scene.essay.slug}`, { waitUntil: 'commit' });
    await reached;
    const iframe = page.locator('iframe[src*="/embed/essays/"]');
    await iframe.waitFor({ state: 'attached' });
    const reserved = await iframe.evaluate((element: any) => ({
      height: element.getBoundingClientRect().height,
      minHeight: getComputedStyle(element).minHeight,
    }));
    expect(await isShown(iframe)).toBe(false);
    expect(reserved.height).toBeGreaterThan(0);

    release();
    await page.waitForFunction(() => {
      const element = document.querySelector('iframe');
      const style = getComputedStyle(element);
      return style.visibility !== 'hidden' && style.opacity !== '0';
    });
    expect(await isShown(iframe)).toBe(true);
  });

  it('on a dark page, the frame is dark from the first paint (no white canvas)', async () => {
    const page = await newPage({ colorScheme: 'dark' });
    const { iframe, frame } = await openPost(page, '/dark');
    const scheme = await iframe.evaluate((element: any) => getComputedStyle(element).colorScheme);
    expect(scheme).toMatch(/dark/);
    const background = await frame.evaluate(() => {
      const pick = (element: any) => getComputedStyle(element).backgroundColor;
      const color = [pick(document.body), pick(document.documentElement)].find(
        (value) => value !== 'rgba(0, 0, 0, 0)' && value !== 'transparent',
      );
      return color ?? 'transparent';
    });
    const [r, g, b] = (background.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).map(Number);
    // Either see-through (the dark host shows) or a dark colour of its own.
    if (background !== 'transparent') expect((r! + g! + b!) / 3).toBeLessThan(80);
    const height = await settledHeight(iframe);
    await screenshot(page, 'embed-host-dark');
    const measured = await geometry(iframe, frame);
    expect(measured.contentBottom).toBeLessThanOrEqual(height + 2);
    expect(height - measured.contentBottom).toBeLessThan(40);
    const after = (await page.locator('.after-embed').boundingBox())!;
    expect(after.y).toBeGreaterThanOrEqual(measured.top + height);
    await expectNoAxeViolations(frame, 'embed signed out (dark)');
  });

  it('is refused by a site that EMBED_ORIGINS does not list', async () => {
    const page = await newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(`${stranger.origin}/`);
    const iframe = page.locator('iframe[src*="/embed/essays/"]');
    await iframe.waitFor({ state: 'attached' });
    const frame = (await (await iframe.elementHandle())!.contentFrame())!;
    await frame.waitForLoadState('load').catch(() => undefined);
    // Chromium swaps the refused document for its own error page.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(frame.url()).toMatch(/^chrome-error:/);
    expect(consoleLines.some((line) => /frame-ancestors/.test(line))).toBe(true);
    expect(await frame.locator('#conversation').count()).toBe(0);
    expect(await frame.evaluate(() => document.body?.innerText ?? '')).not.toContain(
      scene.publicResponse.text,
    );

    const headers = (await fetch(`${app.url}/embed/essays/${scene.essay.slug}`)).headers;
    const ancestors = /frame-ancestors ([^;]*)/.exec(headers.get('content-security-policy') ?? '');
    expect(ancestors?.[1]?.split(/\s+/).sort()).toEqual(["'self'", host.origin].sort());
    expect(headers.get('x-frame-options')).toBeNull();
  });

  it('ignores height messages from any window but its own frame', async () => {
    const page = await newPage();
    const { iframe } = await openPost(page);
    const height = await settledHeight(iframe);

    // The frame's own messages, replayed with a huge height from elsewhere.
    const fromFrame = await page.evaluate(
      (origin) =>
        window.__messages
          .filter((message: any) => message.origin === origin)
          .map((message: any) => message.data),
      app.url,
    );
    expect(fromFrame.length).toBeGreaterThan(0);
    const forged = [
      ...fromFrame.map((data: any) => forge(data)),
      { type: 'rizom:height', height: 4321 },
      { type: 'height', height: 4321 },
    ];

    // 1. The host page's own window (another script on the author's page).
    await page.evaluate((messages) => {
      for (const data of messages) window.postMessage(data, '*');
    }, forged);
    // 2. A window of another origin that the host page opened.
    stranger.serve(
      '/forger',
      `<!doctype html><html lang="en"><title>forger</title><script>
        for (const data of ${JSON.stringify(forged)}) window.opener.postMessage(data, '*');
      </script></html>`,
    );
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate((url) => void window.open(url), `${stranger.origin}/forger`),
    ]);
    await popup.waitForLoadState('load');
    // 3. A frame of another origin inside the host page, posting to its parent.
    stranger.serve(
      '/forger-in-frame',
      `<!doctype html><html lang="en"><title>forger</title><script>
        for (const data of ${JSON.stringify(forged)}) window.parent.postMessage(data, '*');
      </script></html>`,
    );
    await page.evaluate((url) => {
      const other = document.createElement('iframe');
      other.src = url;
      other.title = 'forger';
      document.body.append(other);
    }, `${stranger.origin}/forger-in-frame`);
    // 4. A window of the platform's own origin that is not the embed's frame (another
    // frame of the platform on the same page): the origin is right, the source is not.
    await page.evaluate((url) => {
      const other = document.createElement('iframe');
      other.src = url;
      other.name = 'second-platform-frame';
      other.title = 'another conversation';
      document.body.append(other);
    }, `${app.url}/embed/essays/${scene.essay.slug}`);
    const second = await expectFrame(page, 'second-platform-frame');
    await second.waitForLoadState('load');
    await second.evaluate((messages) => {
      for (const data of messages) window.parent.postMessage(data, '*');
    }, forged);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const fromPlatformOrigin = await page.evaluate(
      (origin) => window.__messages.filter((message: any) => message.origin === origin).length,
      app.url,
    );
    expect(fromPlatformOrigin).toBeGreaterThan(fromFrame.length + forged.length - 1);

    const received = await page.evaluate(() => window.__messages.length);
    expect(received).toBeGreaterThan(fromFrame.length);
    expect(await settledHeight(iframe)).toBe(height);
  });
});

/** The frame named `name`, once the page has it. */
async function expectFrame(page: Page, name: string): Promise<Frame> {
  for (let tries = 0; tries < 100; tries += 1) {
    const frame = page.frame({ name });
    if (frame) return frame;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no frame named ${name}`);
}

/** The same message with every number in it made huge. */
function forge(data: unknown): unknown {
  if (typeof data === 'number') return 4321;
  if (Array.isArray(data)) return data.map(forge);
  if (data && typeof data === 'object')
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, forge(value)]));
  return data;
}
