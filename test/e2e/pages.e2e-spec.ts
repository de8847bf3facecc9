import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { WEB_ROOT } from '../../src/common/web-assets.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const EMBED_ORIGINS = 'https://blog.example.org, http://localhost:4321';

const RESPOND = `mutation($input: RespondInput!) { respond(input: $input) { id } }`;
const REPLY = `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`;

const essayFile = (
  slug: string,
  options: { status?: string; publishedAt?: string; canonicalUrl?: string; tags?: string[] } = {},
) => `---
title: 'The ${slug} essay'
slug: ${slug}
status: ${options.status ?? 'published'}
${options.publishedAt ? `publishedAt: '${options.publishedAt}'\n` : ''}${options.canonicalUrl ? `canonicalUrl: '${options.canonicalUrl}'\n` : ''}tags: [${(options.tags ?? []).join(', ')}]
---

An opening paragraph about ${slug}, with *emphasis*.

## Over to you

What are you building with ${slug}?
`;

async function page(app: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
  return { response, html: await response.text() };
}

function bootOf(html: string): unknown {
  const json = /<script type="application\/json" id="rizom-boot">([^<]*)<\/script>/.exec(html)?.[1];
  return json === undefined ? undefined : JSON.parse(json);
}

function cspOf(response: Response): Record<string, string> {
  return Object.fromEntries(
    (response.headers.get('content-security-policy') ?? '')
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => {
        const [name, ...values] = directive.split(/\s+/);
        return [name!, values.join(' ')];
      }),
  );
}

const manifest = (): Record<string, string> =>
  JSON.parse(readFileSync(join(WEB_ROOT, 'manifest.json'), 'utf8')) as Record<string, string>;

describe('pages for people', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let other: GivenUser;
  let promptId: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_LIMITS: 'off', EMBED_ORIGINS, MAIL_POSTAL_ADDRESS: '1 Road, Town' },
    });
    const g = given(app);
    author = await g.author();
    reader = await g.reader();
    other = await g.reader();
    // Twelve published essays a day apart (more than a page), one draft, one archived.
    for (let day = 1; day <= 12; day += 1) {
      await g.essay(
        author,
        essayFile(`day-${day}`, {
          publishedAt: `2026-03-${String(day).padStart(2, '0')}T09:00:00Z`,
        }),
      );
    }
    await g.essay(author, essayFile('unfinished', { status: 'draft' }));
    await g.essay(
      author,
      essayFile('retired', { status: 'archived', publishedAt: '2026-03-20T09:00:00Z' }),
    );
    const talk = await g.essay(
      author,
      essayFile('talk', {
        publishedAt: '2026-02-01T09:00:00Z',
        tags: ['systems', 'gardens'],
      }),
    );
    promptId = talk.prompts[0]!.id;

    const respond = async (user: GivenUser, body: string, visibility = 'PUBLIC') => {
      app.clock.advance(60_000);
      const data = await app.gqlOk<{ respond: { id: string } }>(
        RESPOND,
        { input: { promptId, body, visibility } },
        user.token,
      );
      return data.respond.id;
    };
    const reply = async (user: GivenUser, id: string, body: string) => {
      app.clock.advance(60_000);
      return (await app.gqlOk<{ replyToResponse: { id: string } }>(REPLY, { id, body }, user.token))
        .replyToResponse.id;
    };
    ids = {};
    ids.older = await respond(reader, 'An older public answer about **compost**.');
    ids.secret = await respond(other, 'My private plan for the orchard', 'PRIVATE');
    ids.gone = await respond(other, 'Words I took back');
    ids.newer = await respond(other, 'A newer public answer <script>alert(1)</script>');
    ids.authorReply = await reply(author, ids.older, 'The author answers about compost.');
    ids.readerReply = await reply(other, ids.older, 'A reader joins the thread.');
    ids.deepReply = await reply(reader, ids.readerReply, 'A reply to the reply.');
    await app.gqlOk(
      `mutation($id: ID!) { deleteResponse(id: $id) { id } }`,
      { id: ids.gone },
      other.token,
    );
    await app.gqlOk(
      `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { id } }`,
      { id: ids.newer, body: 'A newer public answer, edited <script>alert(1)</script>' },
      other.token,
    );
  });
  afterAll(() => app.close());

  describe('GET / lists the published essays', () => {
    it('newest first, a page at a time, without drafts or archived essays', async () => {
      const first = await page(app, '/');
      expect(first.response.status).toBe(200);
      expect(first.response.headers.get('content-type')).toMatch(/^text\/html/);
      const titles = (html: string) =>
        [...html.matchAll(/<h2 class="essay-card__title"><a href="\/essays\/([^"]+)">/g)].map(
          (match) => match[1],
        );
      expect(titles(first.html)).toEqual([
        'day-12',
        'day-11',
        'day-10',
        'day-9',
        'day-8',
        'day-7',
        'day-6',
        'day-5',
        'day-4',
        'day-3',
      ]);
      expect(first.html).not.toContain('unfinished');
      expect(first.html).not.toContain('retired');
      expect(first.html).toContain('<time datetime="2026-03-12T09:00:00.000Z">12 Mar 2026</time>');
      expect(first.html).toContain('An opening paragraph about day-12, with emphasis.');

      const older = /<a class="pager__link" href="(\/\?after=[^"]+)">Older essays<\/a>/.exec(
        first.html,
      )?.[1];
      expect(older).toBeDefined();
      const second = await page(app, older!.replace(/&amp;/g, '&'));
      expect(second.response.status).toBe(200);
      expect(titles(second.html)).toEqual(['day-2', 'day-1', 'talk']);
      expect(second.html).not.toContain('Older essays');
      expect(second.html).toContain('<a class="pager__link" href="/">Newest essays</a>');
    });

    it('shows each essay’s count of public responses', async () => {
      const second = await page(app, '/');
      expect(second.html).toContain('0 responses');
      const rest = await fetch(
        `${app.url}${/href="(\/\?after=[^"]+)">Older/.exec(second.html)![1]}`,
      ).then((response) => response.text());
      // older, newer and the deleted one are public; the private one is not counted.
      expect(rest).toMatch(/The talk essay<\/a><\/h2>\n<p class="essay-card__meta">.*3 responses/);
    });

    it('answers a forged cursor with a page saying so, not a 500', async () => {
      const { response, html } = await page(app, '/?after=forged');
      expect(response.status).toBe(400);
      expect(html).toContain('The cursor is not one this API gave out.');
    });
  });

  describe('GET /essays/:slug', () => {
    it('renders the essay and its public conversation without JavaScript', async () => {
      const { response, html } = await page(app, '/essays/talk');
      expect(response.status).toBe(200);
      expect(html).toContain('<h1 class="essay__title">The talk essay</h1>');
      expect(html).toContain('An opening paragraph about talk, with <em>emphasis</em>.');
      expect(html).toContain('<li class="tag">systems</li><li class="tag">gardens</li>');
      expect(html).toContain('<time datetime="2026-02-01T09:00:00.000Z">1 Feb 2026</time>');
      expect(html).toContain(
        '<section class="conversation" id="conversation" aria-label="Conversation">',
      );
      expect(html).toContain(
        `<section class="prompt" id="prompt-${promptId}" aria-labelledby="prompt-${promptId}-q">`,
      );
      expect(html).toContain(
        `<h2 class="prompt__question" id="prompt-${promptId}-q">What are you building with talk?</h2>`,
      );
      expect(html).toContain('<p class="prompt__meta">3 responses</p>');
      expect(html).toContain('An older public answer about <strong>compost</strong>.');
      expect(html).toContain('Turn on JavaScript to answer, reply or offer to collaborate.');
    });

    it('puts the controls where the browser code will, disabled until it runs', async () => {
      const { html } = await page(app, '/essays/talk');
      const conversation = html.slice(html.indexOf('id="conversation"'));
      const at = (text: string) => conversation.indexOf(text);
      expect(at('<label for="conversation-email">Email</label>')).toBeGreaterThan(0);
      expect(conversation).toMatch(
        /<button type="submit" class="button" disabled>Email me a code<\/button>/,
      );
      expect(at('<label for="conversation-email">Email</label>')).toBeLessThan(
        at('class="prompt"'),
      );
      expect(conversation).toContain(
        `<label for="prompt-${promptId}-response">Your response</label>`,
      );
      expect(conversation).toContain(
        `<textarea id="prompt-${promptId}-response" rows="5" disabled`,
      );
      expect(conversation).toContain('0 / 10,000 characters · Markdown');
      expect(conversation).toContain('>Only the author can see this</label>');
      expect(at('Your response</label>')).toBeLessThan(at('class="responses"'));
      // Reply on each top-level response (not on replies, not on deleted ones).
      expect(conversation.match(/disabled>Reply<\/button>/g)).toHaveLength(2);
      expect(at('disabled>Offer to collaborate</button>')).toBeGreaterThan(at('class="responses"'));
      expect(conversation).toContain('disabled>Get the digest</button>');
      expect(
        conversation.match(/<(input|textarea|button)\b(?![^>]*\bdisabled\b)[^>]*>/g),
      ).toBeNull();
    });

    it('shows responses newest first, replies under them, the author’s marked, deleted and edited ones as such', async () => {
      const { html } = await page(app, '/essays/talk');
      const order = [
        ids.newer,
        ids.gone,
        ids.older,
        ids.authorReply,
        ids.readerReply,
        ids.deepReply,
      ].map((id) => html.indexOf(`id="response-${id}"`));
      expect(order.every((position) => position > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(html).toMatch(
        new RegExp(
          `<li class="response response--reply" id="response-${ids.authorReply}">\\s*<article class="response__card">\\s*<header class="response__meta"><span class="response__author">[^<]+</span> <span class="badge badge--author">Author</span> <time`,
        ),
      );
      expect(html.match(/badge--author/g)).toHaveLength(1);
      expect(html).toContain('The author answers about compost.');
      expect(html).toContain('A reply to the reply.');
      expect(html).toMatch(
        new RegExp(`id="response-${ids.gone}">[\\s\\S]*?This response was deleted\\.`),
      );
      expect(html).not.toContain('Words I took back');
      expect(html).toMatch(
        new RegExp(
          `id="response-${ids.newer}">[\\s\\S]*?<span class="response__edited">edited</span>`,
        ),
      );
      expect(html).toContain('A newer public answer, edited');
      expect(html).not.toContain('<script>alert(1)</script>');
    });

    it('never shows a private response or anyone’s email', async () => {
      const { html } = await page(app, '/essays/talk');
      expect(html).not.toContain('private plan');
      expect(html).not.toContain('orchard');
      expect(html).not.toContain(ids.secret);
      for (const user of [author, reader, other]) expect(html).not.toContain(user.email);
      expect(html).not.toContain('@example.test');
    });

    it('has a title, description, Open Graph tags and a canonical link', async () => {
      const { html } = await page(app, '/essays/talk');
      const canonical = `${app.config.publicUrl}/essays/talk`;
      expect(html).toContain('<title>The talk essay · Rizom Conversations</title>');
      expect(html).toContain(
        '<meta name="description" content="An opening paragraph about talk, with emphasis.">',
      );
      expect(html).toContain(`<link rel="canonical" href="${canonical}">`);
      expect(html).toContain('<meta property="og:type" content="article">');
      expect(html).toContain('<meta property="og:title" content="The talk essay">');
      expect(html).toContain(`<meta property="og:url" content="${canonical}">`);
      expect(html).toContain(
        '<meta property="og:description" content="An opening paragraph about talk, with emphasis.">',
      );
    });

    it('uses the essay’s canonicalUrl when it has one', async () => {
      await given(app).essay(
        author,
        essayFile('elsewhere', { canonicalUrl: 'https://author.example.org/posts/elsewhere' }),
      );
      const { html } = await page(app, '/essays/elsewhere');
      expect(html).toContain(
        '<link rel="canonical" href="https://author.example.org/posts/elsewhere">',
      );
      expect(html).toContain(
        '<meta property="og:url" content="https://author.example.org/posts/elsewhere">',
      );
    });

    it('answers drafts, archived and unknown essays with a 404 page in the same look', async () => {
      for (const slug of ['unfinished', 'retired', 'no-such-essay']) {
        const { response, html } = await page(app, `/essays/${slug}`);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(html).toContain('<header class="site-header">');
        expect(html).toContain('We could not find that page');
        expect(html).not.toContain('The unfinished essay');
        expect(html).not.toContain('The retired essay');
      }
    });

    it('answers a slug holding a NUL byte with the 404 page, not a 500', async () => {
      for (const path of ['/essays/bad%00slug', '/embed/essays/bad%00slug']) {
        const { response, html } = await page(app, path);
        expect(response.status).toBe(404);
        expect(html).toContain('We could not find that page');
      }
    });

    it('answers a browser asking for a page that does not exist with the 404 page, others with JSON', async () => {
      const browser = await page(app, '/no/such/page', { accept: 'text/html,*/*;q=0.8' });
      expect(browser.response.status).toBe(404);
      expect(browser.response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(browser.html).toContain('We could not find that page');
      expect(browser.html).toContain('<header class="site-header">');
      const script = await fetch(`${app.url}/no/such/page`);
      expect(script.status).toBe(404);
      expect(await script.json()).toMatchObject({ statusCode: 404 });
    });

    it('sends the hosted page’s security headers', async () => {
      const { response } = await page(app, '/essays/talk');
      const host = new URL(app.config.publicUrl).host;
      expect(cspOf(response)).toMatchObject({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' https: data:",
        'connect-src': `'self' ws://${host}`,
        'frame-ancestors': "'none'",
      });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    });

    it('embeds boot data for the browser code, escaped, then its script and stylesheet', async () => {
      const { html } = await page(app, '/essays/talk');
      expect(bootOf(html)).toEqual({
        publicUrl: app.config.publicUrl,
        essay: 'talk',
        prompt: null,
        mode: 'hosted',
        responseMaxLength: 10_000,
      });
      const assets = manifest();
      expect(html).toContain(`<link rel="stylesheet" href="/${assets['style.css']}">`);
      const boot = html.indexOf('id="rizom-boot"');
      const script = html.indexOf(
        `<script type="module" src="/${assets['conversation.js']}"></script>`,
      );
      expect(boot).toBeGreaterThan(0);
      expect(script).toBeGreaterThan(boot);
      // Our own scripts only: nothing inline that would run.
      expect(html.match(/<script(?![^>]*(type="application\/json"|src="\/))/g)).toBeNull();
    });

    it('pages a prompt’s responses with a link that works without JavaScript', async () => {
      const g = given(app);
      const busy = await g.essay(author, essayFile('busy'));
      const readers = await Promise.all(Array.from({ length: 3 }, () => g.reader()));
      const bodies: string[] = [];
      for (let n = 1; n <= 23; n += 1) {
        app.clock.advance(60_000);
        const body = `Busy answer number ${n}.`;
        bodies.push(body);
        await app.gqlOk(
          RESPOND,
          { input: { promptId: busy.prompts[0]!.id, body } },
          readers[n % 3]!.token,
        );
      }
      const first = await page(app, '/essays/busy');
      const shown = (html: string) =>
        [...html.matchAll(/Busy answer number (\d+)\./g)].map((match) => Number(match[1]));
      expect(shown(first.html)).toEqual(Array.from({ length: 20 }, (_, i) => 23 - i));
      const more = /<a class="pager__link" href="([^"]+)">Load more responses<\/a>/.exec(
        first.html,
      )?.[1];
      expect(more).toBeDefined();
      const second = await page(app, more!.replace(/&amp;/g, '&').split('#')[0]!);
      expect(second.response.status).toBe(200);
      expect(shown(second.html)).toEqual([3, 2, 1]);
      expect(second.html).toContain('Newest responses');
      expect(second.html).not.toContain('Load more responses');
    });
  });

  describe('GET /embed/essays/:slug', () => {
    it('is the conversation only, framable by EMBED_ORIGINS and our own pages, nobody else', async () => {
      const { response, html } = await page(app, '/embed/essays/talk');
      expect(response.status).toBe(200);
      expect(cspOf(response)['frame-ancestors']).toBe(
        "'self' https://blog.example.org http://localhost:4321",
      );
      expect(cspOf(response)['script-src']).toBe("'self'");
      expect(response.headers.get('x-frame-options')).toBeNull();
      expect(html).not.toContain('site-header');
      expect(html).not.toContain('essay__body');
      expect(html.match(/<h1[ >]/g)).toHaveLength(1);
      expect(html).toContain('<h1 class="visually-hidden">Conversation: The talk essay</h1>');
      expect(html).toContain('<section class="conversation" id="conversation"');
      expect(html).toContain('An older public answer about <strong>compost</strong>.');
      expect(html).not.toContain('orchard');
      expect(html).toContain('<html lang="en" data-theme="auto">');
      expect(html).toContain('<meta name="color-scheme" content="light dark">');
      expect(bootOf(html)).toEqual({
        publicUrl: app.config.publicUrl,
        essay: 'talk',
        prompt: null,
        mode: 'embed',
        responseMaxLength: 10_000,
      });
    });

    it('takes a theme and one prompt', async () => {
      const dark = await page(app, `/embed/essays/talk?theme=dark&prompt=${promptId}`);
      expect(dark.html).toContain('<html lang="en" data-theme="dark">');
      expect(dark.html).toContain('<meta name="color-scheme" content="dark">');
      expect(bootOf(dark.html)).toMatchObject({ prompt: promptId, mode: 'embed' });
      const odd = await page(app, '/embed/essays/talk?theme=%22%3E&prompt=nonsense');
      expect(odd.html).toContain('<html lang="en" data-theme="auto">');
      expect(bootOf(odd.html)).toMatchObject({ prompt: null });
    });

    it('answers drafts with a 404 frame', async () => {
      const { response, html } = await page(app, '/embed/essays/unfinished');
      expect(response.status).toBe(404);
      expect(html).not.toContain('site-header');
      expect(cspOf(response)['frame-ancestors']).toBe(
        "'self' https://blog.example.org http://localhost:4321",
      );
    });
  });

  describe('the built browser code', () => {
    it('exists (npm run build builds it)', () => {
      expect(existsSync(join(WEB_ROOT, 'manifest.json'))).toBe(true);
      expect(manifest()['conversation.js']).toMatch(/^assets\/conversation-[\w-]+\.js$/);
      expect(manifest()['style.css']).toMatch(/^assets\/style-[\w-]+\.css$/);
    });

    it('serves hashed assets for a year, compressed when asked', async () => {
      for (const name of ['conversation.js', 'style.css']) {
        const response = await fetch(`${app.url}/${manifest()[name]}`, {
          headers: { 'accept-encoding': 'gzip' },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(response.headers.get('content-type')).toMatch(
          name.endsWith('.js') ? /javascript/ : /^text\/css/,
        );
        const text = await response.text();
        expect(text.length).toBeGreaterThan(0);
        if (text.length >= 1024) expect(response.headers.get('content-encoding')).toBe('gzip');
      }
      const missing = await fetch(`${app.url}/assets/conversation-nothere.js`);
      expect(missing.status).toBe(404);
    });

    it('compresses pages too', async () => {
      const response = await fetch(`${app.url}/essays/talk`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(response.headers.get('content-encoding')).toBe('gzip');
      expect(await response.text()).toContain('The talk essay');
    });

    it('serves the embed loader under its stable name for five minutes', async () => {
      const response = await fetch(`${app.url}/embed.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(response.headers.get('content-type')).toMatch(/javascript/);
    });
  });

  describe('the small pages share the look', () => {
    const stylesheet = () => `<link rel="stylesheet" href="/${manifest()['style.css']}">`;

    it.each([
      '/sign-in?token=abc',
      '/subscriptions/confirm?token=abc',
      '/subscriptions/unsubscribe?token=abc',
      '/notifications/unsubscribe?list=replies&token=abc',
    ])('%s uses the shared stylesheet and no inline style', async (path) => {
      const { response, html } = await page(app, path);
      expect(response.status).toBe(200);
      expect(html).toContain(stylesheet());
      expect(html).toContain('<header class="site-header">');
      expect(html).not.toContain('<style');
      expect(cspOf(response)['style-src']).toBe("'self'");
      expect(cspOf(response)['frame-ancestors']).toBe("'none'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      // Their URLs carry tokens: never more than our origin as a referrer, and a real
      // Origin on their own form posts (no-referrer would make it "null").
      expect(response.headers.get('referrer-policy')).toBe('strict-origin');
    });
  });

  describe('after signing in, back to the essay', () => {
    const recipientsOf = (mail: ParsedMail): string[] =>
      [mail.to ?? []].flat().flatMap((to) => to.value.map((a) => a.address?.toLowerCase() ?? ''));

    async function linkToken(email: string): Promise<string> {
      await app.gqlOk(`mutation($email: String!) { requestSignIn(email: $email) }`, { email });
      const mail = await app.smtp.waitFor((candidate) => recipientsOf(candidate).includes(email));
      return /\/sign-in\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    }

    const signInPage = (token: string, returnTo: string) =>
      fetch(`${app.url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, return: returnTo }).toString(),
      });

    it.each([
      ['/essays/talk', '/essays/talk'],
      ['/essays/talk?prompt=1#conversation', '/essays/talk?prompt=1#conversation'],
      ['//evil.example', '/'],
      ['//evil.example/essays/talk', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example/essays/talk', '/'],
      ['javascript:alert(1)', '/'],
      ['/\t/evil.example', '/'],
      ['essays/talk', '/'],
    ])('the sign-in form carries return=%j as %j', async (returnTo, kept) => {
      const { response, html } = await page(
        app,
        `/sign-in?token=abc&return=${encodeURIComponent(returnTo)}`,
      );
      expect(response.status).toBe(200);
      const value = /<input type="hidden" name="return" value="([^"]*)">/.exec(html)?.[1];
      expect(value?.replace(/&amp;/g, '&')).toBe(kept);
    });

    it('follows the emailed link back to the essay, keeping the session with our own script', async () => {
      const email = `back.${Date.now()}@example.test`;
      await app.gqlOk(
        `mutation($email: String!, $returnTo: String) { requestSignIn(email: $email, returnTo: $returnTo) }`,
        { email, returnTo: '/essays/talk' },
      );
      const mail = await app.smtp.waitFor((candidate) => recipientsOf(candidate).includes(email));
      const link = new RegExp(`${app.config.publicUrl}(/sign-in\\?[^\\s]+)`).exec(
        mail.text ?? '',
      )?.[1];
      expect(link).toContain('return=/essays/talk');
      const { html: form } = await page(app, link!);
      const field = (name: string) =>
        new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(form)?.[1];
      expect(field('return')).toBe('/essays/talk');

      const response = await signInPage(field('token')!, field('return')!);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('You are signed in');
      expect(html).toContain(
        '<a class="button" href="/essays/talk" data-return>Back to the essay</a>',
      );
      expect(html).toContain('<script type="module" src="/sign-in/complete.js"></script>');
      const session = /<code data-session-token>([^<]+)<\/code>/.exec(html)?.[1];
      const { me } = await app.gqlOk(`{ me { email } }`, {}, session);
      expect(me.email).toBe(email);

      const script = await fetch(`${app.url}/sign-in/complete.js`);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      const code = await script.text();
      expect(code).toContain('localStorage.setItem("rizom.session"');
      expect(code).toContain('[data-session-token]');
      expect(code).toContain('location.replace');
    });

    it('sends a forged return path home, never off the site', async () => {
      const email = `evil.${Date.now()}@example.test`;
      const response = await signInPage(await linkToken(email), '//evil.example/essays/talk');
      const html = await response.text();
      expect(html).toContain('You are signed in');
      expect(html).toContain('<a class="button" href="/" data-return>Go to the essays</a>');
      expect(html).not.toContain('evil.example');
    });
  });

  describe('previewMarkdown', () => {
    const PREVIEW = `query($markdown: String!) { previewMarkdown(markdown: $markdown) }`;

    it('renders and sanitizes like a posted response, storing nothing', async () => {
      const [{ count: before }] = await app.sql<{ count: string }>(
        'SELECT count(*) FROM responses',
      );
      const { previewMarkdown } = await app.gqlOk(PREVIEW, {
        markdown: 'A **bold** idea <script>alert(1)</script> [x](javascript:alert(1))',
      });
      expect(previewMarkdown).toContain('<strong>bold</strong>');
      expect(previewMarkdown).not.toMatch(/<script|javascript:/i);
      const [{ count: after }] = await app.sql<{ count: string }>('SELECT count(*) FROM responses');
      expect(after).toBe(before);
      expect(await app.gqlOk(PREVIEW, { markdown: '   ' })).toEqual({ previewMarkdown: '' });
    });

    it('refuses what a response could not hold', async () => {
      const result = await app.gql(PREVIEW, {
        markdown: 'x'.repeat(app.config.responses.maxLength + 1),
      });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});

describe('pages without EMBED_ORIGINS', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_PREVIEW_PER_CLIENT_MINUTE: '3' } });
    const author = await given(app).author();
    await given(app).essay(author, essayFile('alone'));
  });
  afterAll(() => app.close());

  it('lets only our own pages frame the conversation', async () => {
    const { response } = await page(app, '/embed/essays/alone');
    expect(response.status).toBe(200);
    expect(cspOf(response)['frame-ancestors']).toBe("'self'");
    expect(response.headers.get('x-frame-options')).toBeNull();
  });

  it('rate limits previews per client', async () => {
    const preview = () =>
      app.gql(`query($m: String!) { previewMarkdown(markdown: $m) }`, {
        m: `*hi* ${Math.random()}`,
      });
    for (let n = 0; n < 3; n += 1) expect((await preview()).errors).toBeUndefined();
    const limited = await preview();
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('pages for people: statements per page', () => {
  // API only: no worker polls the queue or sends mail while statements are counted.
  let app: TestApp;
  let author: GivenUser;
  const statements: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_LIMITS: 'off', ROLE: 'api' },
      onQuery: (sql) => statements.push(sql),
    });
    author = await given(app).author();
  });
  afterAll(() => app.close());

  async function statementsFor(path: string): Promise<number> {
    await page(app, path); // warm: nothing cached changes the count, but be fair
    statements.length = 0;
    const { response } = await page(app, path);
    expect(response.status).toBe(200);
    return statements.length;
  }

  it('do not grow with the number of responses and replies', async () => {
    const g = given(app);
    const essay = await g.essay(author, essayFile('counted'));
    const writers = await Promise.all(Array.from({ length: 4 }, () => g.reader()));
    const addThreads = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        app.clock.advance(60_000);
        const { respond } = await app.gqlOk<{ respond: { id: string } }>(
          RESPOND,
          { input: { promptId: essay.prompts[0]!.id, body: `Thread ${statements.length} ${i}` } },
          writers[i % 4]!.token,
        );
        const { replyToResponse } = await app.gqlOk<{ replyToResponse: { id: string } }>(
          REPLY,
          { id: respond.id, body: `A reply ${i}` },
          writers[(i + 1) % 4]!.token,
        );
        await app.gqlOk(REPLY, { id: replyToResponse.id, body: `Deeper ${i}` }, author.token);
      }
    };
    await addThreads(2);
    const few = await statementsFor('/essays/counted');
    await addThreads(8);
    const many = await statementsFor('/essays/counted');
    expect(many).toBe(few);
    expect(few).toBeLessThanOrEqual(12);
  });
});
