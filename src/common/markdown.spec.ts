import { excerptOf, plainTextOf, renderMarkdown } from './markdown.js';
import { marked } from 'marked';

/** Every start tag in sanitized output, with its attributes (values quoted, entities kept). */
function tagsIn(html: string): { name: string; attributes: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)].map(
    ([, name, attributeText]) => ({
      name: name.toLowerCase(),
      attributes: Object.fromEntries(
        [...attributeText.matchAll(/([^\s=/>]+)(?:="([^"]*)")?/g)].map(([, key, value]) => [
          key.toLowerCase(),
          value ?? '',
        ]),
      ),
    }),
  );
}

/** An attribute value as a browser reads it: entities decoded, ignored characters removed. */
function asBrowserReads(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&colon;/gi, ':')
    .replace(/&(?:tab|newline);/gi, '')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/./gsu, (char) => (char.charCodeAt(0) <= 0x20 ? '' : char));
}

function expectSafe(html: string) {
  expect(html).not.toMatch(/<\s*script/i);
  expect(html).not.toMatch(
    /<\s*(?:iframe|object|embed|style|form|svg|math|base|meta|link|details)\b/i,
  );
  // Every '<' that is not a tag is escaped, so nothing can hide from the parse below.
  expect(html.replace(/<\/?[a-zA-Z][^>]*>/g, '')).not.toMatch(/</);
  for (const tag of tagsIn(html)) {
    for (const [name, value] of Object.entries(tag.attributes)) {
      expect(name).not.toMatch(/^on/i);
      expect(name).not.toBe('style');
      expect(name).not.toBe('srcset');
      expect(asBrowserReads(value)).not.toMatch(/^(?:javascript|vbscript|data):/i);
      expect(asBrowserReads(value)).not.toMatch(/javascript:|data:/i);
    }
  }
}

const XSS_PAYLOADS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<<script>script>alert(1)<</script>/script>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)" />',
  '<IMG SRC=x OnError=alert(1)>',
  '<svg onload=alert(1)><circle r="1" /></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JAVASCRIPT:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img src="javascript:alert(1)">',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '[x](data:text/html,<script>alert(1)</script>)',
  '![x](javascript:alert(1))',
  '![x](data:image/png;base64,iVBORw0KGgo=)',
  '<javascript:alert(1)>',
  '<data:text/html,hi>',
  '<iframe src="https://evil.example"></iframe>',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<style>body { background: url(javascript:alert(1)) }</style>',
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
  '<p style="background:url(javascript:alert(1))">styled</p>',
  '<div onclick="alert(1)">click</div>',
  '<a href="https://ok.example" onmouseover="alert(1)">hover</a>',
  '<details open ontoggle=alert(1)>',
  '<input type="text" onfocus="alert(1)" autofocus>',
  '<input type="image" src="javascript:alert(1)">',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<img srcset="javascript:alert(1) 1x" src="https://ok.example/a.png">',
  '- [x] <img src=x onerror=alert(1)>',
  '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  '**<img src=x onerror=alert(1)>** and _<svg/onload=alert(1)>_',
];

describe('renderMarkdown', () => {
  it('is checked against more than 20 XSS payloads', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(XSS_PAYLOADS)('makes %j safe', (payload) => {
    expectSafe(renderMarkdown(payload));
    expectSafe(renderMarkdown(payload, { images: true }));
  });

  it('keeps the text around removed markup', () => {
    const html = renderMarkdown(
      'Before <script>alert(1)</script> after <span onclick="x()">kept</span>.',
    );
    expect(html).toContain('Before');
    expect(html).toContain('after');
    expect(html).toContain('kept');
    expectSafe(html);
  });

  it('drops a dangerous link target but keeps the link text', () => {
    const html = renderMarkdown('[read this](javascript:alert(1))');
    expect(html).toContain('read this');
    expect(tagsIn(html).find((tag) => tag.name === 'a')?.attributes.href).toBeUndefined();
  });

  it('checks itself: the safety check catches unsafe HTML', () => {
    expect(() => expectSafe('<a href="javascript:alert(1)">x</a>')).toThrow();
    expect(() => expectSafe('<a href="&#106;avascript:alert(1)">x</a>')).toThrow();
    expect(() => expectSafe('<img src="x" onerror="alert(1)">')).toThrow();
    expect(() => expectSafe('<p style="color:red">x</p>')).toThrow();
    expect(() => expectSafe('<img src="data:image/png;base64,AA">')).toThrow();
    expect(() => expectSafe('<ScRiPt>alert(1)</ScRiPt>')).toThrow();
    expect(() => expectSafe('<p>fine</p>')).not.toThrow();
  });

  describe('benign markdown', () => {
    it('renders headings', () => {
      expect(renderMarkdown('# One\n\n## Two\n\n### Three')).toBe(
        '<h1>One</h1>\n<h2>Two</h2>\n<h3>Three</h3>',
      );
    });

    it('renders emphasis, strong, strikethrough and code spans', () => {
      expect(renderMarkdown('*em* **strong** ~~gone~~ `a < b`')).toBe(
        '<p><em>em</em> <strong>strong</strong> <del>gone</del> <code>a &lt; b</code></p>',
      );
    });

    it('renders links with their title and rel="nofollow noopener noreferrer ugc"', () => {
      const html = renderMarkdown('[Rizom](https://rizom.example/a?b=1&c=2 "The site")');
      expect(tagsIn(html).find((tag) => tag.name === 'a')?.attributes).toEqual({
        href: 'https://rizom.example/a?b=1&amp;c=2',
        title: 'The site',
        rel: 'nofollow noopener noreferrer ugc',
      });
    });

    it('replaces a rel given in raw HTML', () => {
      const html = renderMarkdown('<a href="https://x.example" rel="opener">x</a>');
      expect(tagsIn(html).find((tag) => tag.name === 'a')?.attributes.rel).toBe(
        'nofollow noopener noreferrer ugc',
      );
    });

    it('renders autolinks, bare www links and mailto links with the same rel', () => {
      const html = renderMarkdown(
        '<https://auto.example> www.example.com [mail](mailto:ada@example.com)',
      );
      const links = tagsIn(html).filter((tag) => tag.name === 'a');
      expect(links.map((link) => link.attributes.href)).toEqual([
        'https://auto.example',
        'http://www.example.com',
        'mailto:ada@example.com',
      ]);
      for (const link of links)
        expect(link.attributes.rel).toBe('nofollow noopener noreferrer ugc');
    });

    it('keeps relative links', () => {
      const html = renderMarkdown('[about](/about)');
      expect(tagsIn(html).find((tag) => tag.name === 'a')?.attributes.href).toBe('/about');
    });

    describe('remote images', () => {
      const images = { images: true };

      it('shows an https image in an essay lazily, without a referrer', () => {
        expect(renderMarkdown('![A tree](https://img.example/tree.png "Oak")', images)).toBe(
          '<p><img src="https://img.example/tree.png" alt="A tree" title="Oak" loading="lazy" referrerpolicy="no-referrer" /></p>',
        );
      });

      it('drops width and height, and any loading or referrer policy written in', () => {
        const html = renderMarkdown(
          '<img src="https://t.example/p.gif" width="1" height="1" loading="eager" referrerpolicy="unsafe-url" alt="">',
          images,
        );
        expect(tagsIn(html)).toEqual([
          {
            name: 'img',
            attributes: {
              src: 'https://t.example/p.gif',
              alt: '',
              loading: 'lazy',
              referrerpolicy: 'no-referrer',
            },
          },
        ]);
      });

      it('loads nothing but https: an http image keeps no src', () => {
        for (const src of [
          'http://img.example/a.png',
          '//img.example/a.png',
          'ftp://x.example/a',
        ]) {
          const img = tagsIn(renderMarkdown(`![a](${src})`, images)).find((t) => t.name === 'img');
          expect(img?.attributes.src).toBeUndefined();
        }
      });

      it("turns images in readers' responses into links, loading nothing", () => {
        const html = renderMarkdown(
          'Look: ![A tree](https://img.example/tree.png) and <img src="https://t.example/p.gif" width="1" height="1">',
        );
        expect(html).not.toMatch(/<img/);
        expect(tagsIn(html).filter((tag) => tag.name === 'a')).toEqual([
          {
            name: 'a',
            attributes: {
              href: 'https://img.example/tree.png',
              rel: 'nofollow noopener noreferrer ugc',
            },
          },
          {
            name: 'a',
            attributes: {
              href: 'https://t.example/p.gif',
              rel: 'nofollow noopener noreferrer ugc',
            },
          },
        ]);
        expect(html).toContain('>Image: A tree</a>');
        expect(html).toContain('>Image</a>');
        const unsafe = renderMarkdown('<img src="javascript:alert(1)" alt="x">');
        expect(tagsIn(unsafe).find((tag) => tag.name === 'a')?.attributes.href).toBeUndefined();
      });
    });

    it('renders fenced code with its language class, escaped', () => {
      expect(renderMarkdown('```ts\nconst ok = 1 < 2 && "yes";\n```')).toBe(
        '<pre><code class="language-ts">const ok = 1 &lt; 2 &amp;&amp; "yes";\n</code></pre>',
      );
    });

    it('drops a class that is not a language class', () => {
      const html = renderMarkdown('<code class="evil">x</code>');
      expect(html).toBe('<p><code>x</code></p>');
    });

    it('renders tables with column alignment', () => {
      const html = renderMarkdown('| Left | Centre | Right |\n|:--|:-:|--:|\n| a | b | c |');
      expect(html).toContain('<table>');
      expect(html).toContain('<th align="left">Left</th>');
      expect(html).toContain('<th align="center">Centre</th>');
      expect(html).toContain('<td align="right">c</td>');
    });

    it('renders task lists as disabled checkboxes', () => {
      expect(renderMarkdown('- [ ] todo\n- [x] done')).toBe(
        '<ul>\n<li><input type="checkbox" disabled /> todo</li>\n<li><input type="checkbox" disabled checked /> done</li>\n</ul>',
      );
    });

    it('renders ordered lists with their start, blockquotes, rules and line breaks', () => {
      expect(renderMarkdown('3. three\n4. four')).toBe(
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>',
      );
      expect(renderMarkdown('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>');
      expect(renderMarkdown('above\n\n---\n\nbelow')).toBe('<p>above</p>\n<hr />\n<p>below</p>');
      expect(renderMarkdown('one  \ntwo')).toBe('<p>one<br />two</p>');
    });

    it('escapes characters that are not markup', () => {
      expect(renderMarkdown('Fish & chips < 5 > 3')).toBe('<p>Fish &amp; chips &lt; 5 &gt; 3</p>');
    });

    it('renders empty input as nothing', () => {
      expect(renderMarkdown('')).toBe('');
    });
  });
});

describe('excerptOf', () => {
  it('is the first paragraph only', () => {
    expect(excerptOf('# Title\n\nFirst paragraph.\n\nSecond paragraph.')).toBe('First paragraph.');
  });

  it('skips code blocks, block quotes, lists, tables and HTML blocks before it', () => {
    const markdown = [
      '```\ncode\n```',
      '> quoted',
      '- listed',
      '| a |\n|---|\n| b |',
      '<div>html</div>',
      'The real first paragraph.',
    ].join('\n\n');
    expect(excerptOf(markdown)).toBe('The real first paragraph.');
  });

  it('is plain text: no markdown syntax, no HTML tags, one line', () => {
    const markdown =
      'A *living* **system** with ~~no~~ [links](https://x.example), `code`, <b>tags</b>,\n![an image](https://x.example/i.png) and a  \nbreak.';
    expect(excerptOf(markdown)).toBe(
      'A living system with no links, code, tags, an image and a break.',
    );
  });

  it('decodes entities, named and numeric, and applies backslash escapes', () => {
    expect(
      excerptOf(
        'Fish &amp; chips &lt;3 &quot;q&quot; &#39;s&#39; &copy; &#8212; &#x2014; \\*not em\\*',
      ),
    ).toBe('Fish & chips <3 "q" \'s\' © — — *not em*');
  });

  it('decodes only once, and keeps code spans literal', () => {
    expect(excerptOf('&amp;lt; and `&copy;`')).toBe('&lt; and &copy;');
  });

  it('turns non-breaking spaces into plain spaces', () => {
    expect(excerptOf('one&nbsp;two\u00a0three')).toBe('one two three');
  });

  it('keeps a paragraph of up to 280 characters whole', () => {
    const text = 'x'.repeat(280);
    expect(excerptOf(text)).toBe(text);
  });

  it('cuts a longer paragraph at a word boundary and adds "…", within 280 characters', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const excerpt = excerptOf(words);
    expect(excerpt.length).toBeLessThanOrEqual(280);
    expect(excerpt.endsWith('…')).toBe(true);
    const kept = excerpt.slice(0, -1);
    expect(words.startsWith(`${kept} `)).toBe(true);
    expect(kept.length).toBeGreaterThan(200);
  });

  it('cuts a single overlong word hard, still within 280 characters', () => {
    const excerpt = excerptOf('y'.repeat(400));
    expect(excerpt).toBe(`${'y'.repeat(279)}…`);
  });

  it('does not cut an emoji in half', () => {
    const excerpt = excerptOf('😀'.repeat(200));
    expect(excerpt.length).toBeLessThanOrEqual(280);
    expect(excerpt.endsWith('😀…')).toBe(true);
    expect(excerpt).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('is empty when there is no paragraph', () => {
    expect(excerptOf('')).toBe('');
    expect(excerptOf('# Only a heading')).toBe('');
    expect(excerptOf('```\nonly code\n```')).toBe('');
    expect(excerptOf('- only\n- a list')).toBe('');
  });
});

describe('plainTextOf', () => {
  it('gives the text of inline tokens', () => {
    const [paragraph] = marked.lexer('A [*linked*](https://x.example) &amp; `code` <i>tag</i>');
    expect(plainTextOf([paragraph])).toBe('A linked & code tag');
  });
});
