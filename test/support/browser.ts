import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedMail } from 'mailparser';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { given, type GivenUser } from './given.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The page functions below run in the browser; Node's types know no DOM.
declare const window: any;
declare const document: any;

const screenshotDir = join(root, 'test-artifacts', 'screenshots');

/** Debian's Chromium (the `chromium` package); never a browser Playwright downloads. */
export function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
];

/** One browser per suite; each scenario opens its own context. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Playwright turns storage partitioning off (ThirdPartyStoragePartitioning in its
      // --disable-features list), and Chromium then refuses a third-party frame any
      // localStorage at all. Browsers partition it by top-level site, and the embed's
      // session depends on exactly that: the last --disable-features wins, so this is
      // Playwright's list without it.
      `--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(',')}`,
    ],
  });
}

export interface HostSite {
  /** `http://localhost:PORT`: another site than the platform's `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  /** Serves `html` at `path` from now on. */
  serve(path: string, html: string): void;
  close(): Promise<void>;
}

/** A tiny web server standing in for the author's own site. */
export async function startHostSite(port?: number): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const html = pages.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    response.writeHead(html === undefined ? 404 : 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(html ?? 'not found');
  });
  // Port 0 unless told: the system picks one that nobody holds, with no gap in which
  // another suite's freePort() could be handed the same one.
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  const chosen = (server.address() as { port: number }).port;
  return {
    origin: `http://localhost:${chosen}`,
    port: chosen,
    serve: (path, html) => void pages.set(path, html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface HostPageOptions {
  platformUrl: string;
  slug: string;
  dark?: boolean;
  /** Extra attributes on the snippet, e.g. `data-theme="dark"`. */
  attributes?: string;
  /** Paragraphs of text after the snippet, so the frame can grow below the fold or not. */
  after?: number;
}

/**
 * The author's blog post with the embed snippet inside the article, exactly as the
 * README tells authors to paste it. A small inline script records, for the tests,
 * every message the page receives and every layout shift.
 */
export function hostPage(options: HostPageOptions): string {
  const { platformUrl, slug, dark = false, attributes = '', after = 1 } = options;
  const colors = dark
    ? 'background:#121417;color:#e8e6e3;color-scheme:dark'
    : 'background:#fbfaf7;color:#1d1d1f;color-scheme:light';
  const link = dark ? '#9ecbff' : '#0b57d0';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The author's own blog</title>
<style>
  body { margin: 0; font: 18px/1.6 Georgia, serif; ${colors} }
  header, main, footer { max-width: 42rem; margin: 0 auto; padding: 1rem; }
  a { color: ${link}; }
</style>
<script>
  window.__messages = [];
  window.addEventListener('message', (event) => {
    window.__messages.push({ origin: event.origin, data: event.data });
  });
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__shifts.push({
        value: entry.value,
        nodes: (entry.sources || []).map((source) => source.node).filter(Boolean),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
</script>
</head>
<body>
<header><p><a href="/">The author's blog</a></p></header>
<main>
<article>
<h1 id="host-title">Living organizations</h1>
<p id="before-embed">This is the author's own site. The conversation below comes from the platform.</p>
<script async src="${platformUrl}/embed.js" data-essay="${slug}"${attributes ? ` ${attributes}` : ''}></script>
${Array.from({ length: after }, (_, i) => `<p class="after-embed">Paragraph ${i + 1} after the conversation.</p>`).join('\n')}
</article>
</main>
<footer><p>© The author</p></footer>
</body>
</html>`;
}

export interface BrowserApp {
  app: TestApp;
  host: HostSite;
}

/**
 * The real app with `EMBED_ORIGINS` naming the host site (started first, so its
 * origin is known), and the host site serving the light and dark post for `slug`
 * once `serveEssay` is called.
 */
export async function startBrowserApp(
  options: TestAppOptions & { extraOrigins?: string[] } = {},
): Promise<BrowserApp & { serveEssay(slug: string, extra?: Partial<HostPageOptions>): void }> {
  const host = await startHostSite();
  const app = await startTestApp({
    ...options,
    env: {
      EMBED_ORIGINS: [host.origin, ...(options.extraOrigins ?? [])].join(','),
      // A test types faster than a person: the time-to-submit spam check is the forms suite's.
      SPAM_MIN_SUBMIT_MS: '0',
      ...options.env,
    },
  });
  return {
    app,
    host,
    serveEssay(slug, extra = {}) {
      host.serve(`/posts/${slug}`, hostPage({ platformUrl: app.url, slug, ...extra }));
      host.serve(
        `/posts/${slug}/dark`,
        hostPage({ platformUrl: app.url, slug, dark: true, ...extra }),
      );
    },
  };
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core in the page or frame (injected by evaluation, which the page's CSP
 * does not govern) and returns its violations, readably. Frames are checked on
 * their own: pass the frame.
 */
export async function axeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  await target.evaluate(axeSource);
  return target.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      iframes: false,
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((violation: any) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node: any) => ({
        target: node.target.join(' '),
        summary: node.failureSummary,
      })),
    }));
  });
}

/** Fails with axe's violations spelled out (rule, impact, elements, why) when there are any. */
export async function expectNoAxeViolations(target: Page | Frame, state: string): Promise<void> {
  const violations = await axeViolations(target);
  const report = violations.map(
    (v) =>
      `${state}: ${v.id} (${v.impact}) ${v.help}\n` +
      v.nodes
        .map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`)
        .join('\n'),
  );
  expect(report).toEqual([]);
}

/** Saves a full-page PNG under test-artifacts/screenshots/ (kept out of git). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // Chromium paints a cross-origin frame only near the viewport, so a full-page capture
  // of a long page shows the embed cut off: make the viewport as tall as the page.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight as number);
  if (viewport && height > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height });
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  if (viewport && height > viewport.height) await page.setViewportSize(viewport);
  return path;
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

const recipientsOf = (mail: ParsedMail): string[] =>
  [mail.to ?? []]
    .flat()
    .flatMap((to) => to.value.map((address) => address.address?.toLowerCase() ?? ''));

/** Reads emails in arrival order, each handed out once. */
export function mailbox(app: TestApp) {
  const seen = new Set<ParsedMail>();
  const next = async (to: string, match: (mail: ParsedMail) => boolean = () => true) => {
    const mail = await app.smtp.waitFor(
      (candidate) =>
        !seen.has(candidate) &&
        recipientsOf(candidate).includes(to.toLowerCase()) &&
        match(candidate),
    );
    seen.add(mail);
    return mail;
  };
  return {
    next,
    /** The 6-digit code of the next sign-in email to `to`. */
    async signInCode(to: string): Promise<string> {
      const mail = await next(to);
      const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
      if (!code) throw new Error(`no 6-digit code in the sign-in email:\n${mail.text}`);
      return code;
    },
    /** The first link in the next email to `to` that starts with `prefix`. */
    async link(to: string, prefix: string): Promise<string> {
      const pattern = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s"<>]*`);
      const mail = await next(to, (candidate) => pattern.test(candidate.text ?? ''));
      return pattern.exec(mail.text ?? '')![0];
    },
  };
}

/** The embedded conversation's iframe on a host page, and its frame once loaded. */
export async function embedFrame(page: Page): Promise<{ iframe: Locator; frame: Frame }> {
  // The first: the one the snippet put in place (a test may add others after it).
  const iframe = page.locator('iframe[src*="/embed/essays/"]').first();
  const handle = await iframe.elementHandle({ timeout: 10_000 });
  const frame = await handle!.contentFrame();
  if (!frame) throw new Error('the embed iframe has no frame');
  await frame.waitForLoadState('load');
  return { iframe, frame };
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails after `max` presses. */
export async function tabTo(
  page: Page,
  target: Locator,
  { backwards = false, max = 60 } = {},
): Promise<number> {
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focused = await target.evaluate(
      (element) =>
        element === element.ownerDocument.activeElement && element.ownerDocument.hasFocus(),
    );
    if (focused) return presses;
  }
  throw new Error(`${String(target)} never got focus in ${max} presses of Tab`);
}

export interface ConversationScene {
  author: GivenUser;
  essay: { id: string; slug: string; title: string };
  prompt: { id: string; text: string };
  /** A public response by a reader, with a public reply by the author. */
  publicResponse: { id: string; text: string; replyText: string };
  /** A private response by another reader: never in anyone else's browser. */
  privateResponse: { id: string; text: string };
}

let sceneCounter = 0;

/** A published essay with one open prompt, a public thread and a private response. */
export async function conversationScene(app: TestApp, title?: string): Promise<ConversationScene> {
  sceneCounter += 1;
  title ??= sceneCounter === 1 ? 'Living organizations' : `Living organizations ${sceneCounter}`;
  const make = given(app);
  const author = await make.author();
  const question = 'What does a living organization look like in your world?';
  const imported = await make.essay(
    author,
    `---\ntitle: '${title}'\nstatus: published\ntags: [organizations]\nprompts:\n  - '${question}'\n---\n\nOrganizations can grow like gardens. This essay is about **${title}**.\n\n## Your turn\n\n${question}\n`,
  );
  const prompt = imported.prompts[0]!;
  const writer = await make.reader();
  const other = await make.reader();
  // Names a reader would choose, so the screenshots read like the product.
  for (const [user, name] of [
    [author, 'Jonas Berg'],
    [writer, 'Mira Okafor'],
    [other, 'Sam Lee'],
  ] as const)
    await app.sql(`UPDATE users SET display_name = $2 WHERE id = $1`, [user.id, name]);
  const respond = `mutation($input: RespondInput!) { respond(input: $input) { id } }`;
  const text = 'A cooperative bakery that shares its books with everyone who bakes there.';
  const { respond: pub } = await app.gqlOk(
    respond,
    { input: { promptId: prompt.id, body: text } },
    writer.token,
  );
  const replyText = 'Thank you! How do you decide together what to bake next?';
  await app.gqlOk(
    `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`,
    { id: pub.id, body: replyText },
    author.token,
  );
  const secret = 'My not-yet-public plan for a community land trust.';
  const { respond: priv } = await app.gqlOk(
    respond,
    { input: { promptId: prompt.id, body: secret, visibility: 'PRIVATE' } },
    other.token,
  );
  return {
    author,
    essay: { id: imported.id, slug: imported.slug, title },
    prompt,
    publicResponse: { id: pub.id, text, replyText },
    privateResponse: { id: priv.id, text: secret },
  };
}

/** Collects uncaught errors of a page and its frames, to assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
