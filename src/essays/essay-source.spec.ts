import { BadUserInput } from '../common/errors.js';
import { EssayStatus } from './essay.entity.js';
import { MAX_MARKDOWN_LENGTH, parseEssaySource } from './essay-source.js';
import { DEFAULT_PROMPT } from './prompt-extractor.js';

/** A markdown file with the given frontmatter lines and body. */
function essay(frontmatter: string, body = 'Organizations are living things.') {
  return `---\n${frontmatter}\n---\n\n${body}\n`;
}

function rejectionOf(markdown: string): BadUserInput {
  let thrown: unknown;
  try {
    parseEssaySource(markdown);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(BadUserInput);
  return thrown as BadUserInput;
}

function expectRejected(markdown: string, field: string, message?: RegExp) {
  const error = rejectionOf(markdown);
  expect(error.code).toBe('BAD_USER_INPUT');
  expect(error.details).toEqual({ field });
  if (message) expect(error.message).toMatch(message);
}

describe('parseEssaySource', () => {
  it('reads the frontmatter of the example in the issue', () => {
    const source = parseEssaySource(
      "---\nsubject: 'Designing systems that grow'\nstatus: draft\nentityIds: []\n---\n\nOrganizations grow.\n",
    );
    expect(source).toMatchObject({
      title: 'Designing systems that grow',
      slug: 'designing-systems-that-grow',
      status: EssayStatus.DRAFT,
      bodyMarkdown: 'Organizations grow.',
      tags: [],
      entityIds: [],
      publishedAt: null,
      canonicalUrl: null,
      extraFrontmatter: {},
    });
  });

  describe('title', () => {
    it('comes from "subject"', () => {
      expect(parseEssaySource(essay('subject: Living systems')).title).toBe('Living systems');
    });

    it('comes from "title"', () => {
      expect(parseEssaySource(essay('title: Living systems')).title).toBe('Living systems');
    });

    it('prefers "subject" when both are given', () => {
      const source = parseEssaySource(essay('subject: The subject\ntitle: The title'));
      expect(source.title).toBe('The subject');
    });

    it('is trimmed, and a number is read as text', () => {
      expect(parseEssaySource(essay("title: '  Spaced out  '")).title).toBe('Spaced out');
      expect(parseEssaySource(essay('title: 2024')).title).toBe('2024');
    });

    it('comes from the first "# heading" when the frontmatter has none, as plain text', () => {
      const source = parseEssaySource(
        '## Not this\n\n# A *living* [system](https://example.com) &amp; more\n\n# Not this either\n\nBody.',
      );
      expect(source.title).toBe('A living system & more');
      expect(source.slug).toBe('a-living-system-and-more');
    });

    it('comes from an underlined (setext) first-level heading', () => {
      expect(parseEssaySource('Growing systems\n===============\n\nBody.').title).toBe(
        'Growing systems',
      );
    });

    it('drops the closing hashes of a heading', () => {
      expect(parseEssaySource('# Growing systems ##\n\nBody.').title).toBe('Growing systems');
    });

    it('is not taken from a "# line" inside a code block', () => {
      expectRejected('```sh\n# install it\nnpm i\n```\n\nBody.', 'title', /subject:|title:/);
    });

    it('is required: no key and no "# heading" is rejected', () => {
      expectRejected('Just a paragraph.\n\n## A second-level heading', 'title');
      expectRejected(essay('status: draft'), 'title');
    });

    it('rejects an empty, structured or overlong title', () => {
      expectRejected(essay("title: ''"), 'title', /empty/);
      expectRejected(essay('title: [a, b]'), 'title', /text/);
      expectRejected(essay('subject: {a: 1}'), 'title', /text/);
      expectRejected(essay(`title: ${'x'.repeat(301)}`), 'title', /300/);
    });
  });

  describe('slug', () => {
    it('is kept when given', () => {
      expect(parseEssaySource(essay('title: Anything\nslug: my-essay-2')).slug).toBe('my-essay-2');
    });

    it('is derived from the title: lower case, punctuation dropped, single dashes', () => {
      const title = "What's next? (Part 2): A Field Guide -- Rock & Roll!";
      expect(parseEssaySource(essay(`title: ${JSON.stringify(title)}`)).slug).toBe(
        'whats-next-part-2-a-field-guide-rock-and-roll',
      );
    });

    it('is derived from a title with accents and ligatures by transliterating them', () => {
      expect(parseEssaySource(essay("title: 'Über Café: naïve — déjà vu'")).slug).toBe(
        'ueber-cafe-naive-deja-vu',
      );
      expect(parseEssaySource(essay("title: 'Ærøskøbing Straße'")).slug).toBe(
        'aeroskobing-strasse',
      );
    });

    it('keeps words written in camel case together', () => {
      expect(parseEssaySource(essay('title: JavaScript on the iPhone')).slug).toBe(
        'javascript-on-the-iphone',
      );
    });

    it('is at most 120 characters and does not end in a dash', () => {
      const slug = parseEssaySource(essay(`title: ${'abc '.repeat(60)}`)).slug;
      expect(slug.length).toBeLessThanOrEqual(120);
      expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(slug.startsWith('abc-abc-')).toBe(true);
    });

    it('asks for a slug when the title has no letters it can use', () => {
      expectRejected(essay("title: '日本語のエッセイ'"), 'slug', /slug:/);
    });

    it.each([
      'Not A Slug',
      'has_underscore',
      'double--dash',
      '-leading',
      'trailing-',
      'ünïcode',
      'a'.repeat(121),
    ])('rejects the invalid slug %j', (slug) => {
      expectRejected(essay(`title: T\nslug: ${JSON.stringify(slug)}`), 'slug', /slug/);
    });
  });

  describe('status', () => {
    it('defaults to draft', () => {
      expect(parseEssaySource(essay('title: T')).status).toBe(EssayStatus.DRAFT);
    });

    it.each([
      ['draft', EssayStatus.DRAFT],
      ['Published', EssayStatus.PUBLISHED],
      ['PUBLISHED', EssayStatus.PUBLISHED],
      ['archived', EssayStatus.ARCHIVED],
      ["' Archived '", EssayStatus.ARCHIVED],
    ])('reads %s without regard to case', (written, status) => {
      expect(parseEssaySource(essay(`title: T\nstatus: ${written}`)).status).toBe(status);
    });

    it.each(['live', 'true', 'constructor', '[published]'])('rejects %s', (written) => {
      expectRejected(
        essay(`title: T\nstatus: ${written}`),
        'status',
        /draft, published or archived/,
      );
    });
  });

  describe('tags and entity ids', () => {
    it('reads tags from a list, trimmed, without blanks or repeats', () => {
      const source = parseEssaySource(
        essay("title: T\ntags: [systems, ' growth ', '', systems, 42]"),
      );
      expect(source.tags).toEqual(['systems', 'growth', '42']);
    });

    it('reads tags from a comma-separated string', () => {
      expect(parseEssaySource(essay("title: T\ntags: 'systems, growth,,systems'")).tags).toEqual([
        'systems',
        'growth',
      ]);
    });

    it('rejects tags that are not text', () => {
      expectRejected(essay('title: T\ntags: {a: 1}'), 'tags');
      expectRejected(essay('title: T\ntags: [[nested]]'), 'tags');
    });

    it('reads entity ids given as numbers or strings, as strings', () => {
      const source = parseEssaySource(essay("title: T\nentityIds: [12, 'org-7', 3.5, '0012']"));
      expect(source.entityIds).toEqual(['12', 'org-7', '3.5', '0012']);
    });

    it('reads a single entity id, and does not split it at commas', () => {
      expect(parseEssaySource(essay('title: T\nentityIds: 7')).entityIds).toEqual(['7']);
      expect(parseEssaySource(essay("title: T\nentityIds: 'a,b'")).entityIds).toEqual(['a,b']);
    });

    it('rejects an entity id number too large to keep exactly, asking for quotes', () => {
      expectRejected(essay('title: T\nentityIds: [12345678901234567890]'), 'entityIds', /quotes/);
      expect(
        parseEssaySource(essay("title: T\nentityIds: ['12345678901234567890']")).entityIds,
      ).toEqual(['12345678901234567890']);
    });

    it('rejects entity ids that are not text or numbers', () => {
      expectRejected(essay('title: T\nentityIds: [{id: 1}]'), 'entityIds');
      expectRejected(essay('title: T\nentityIds: true'), 'entityIds');
    });
  });

  describe('prompts', () => {
    const body = '## Closing\n\nWhat are you growing?';

    it('are extracted from the closing section when the frontmatter has none', () => {
      expect(parseEssaySource(essay('title: T', body)).prompts).toEqual(['What are you growing?']);
    });

    it('come from the frontmatter list instead of the essay, whitespace tidied', () => {
      const source = parseEssaySource(
        essay("title: T\nprompts:\n  - '  What   do you build? '\n  - Who helps you?", body),
      );
      expect(source.prompts).toEqual(['What do you build?', 'Who helps you?']);
    });

    it('from the frontmatter drop repeats without regard to case', () => {
      const source = parseEssaySource(essay('title: T\nprompts: [Why now?, WHY NOW?, Why not?]'));
      expect(source.prompts).toEqual(['Why now?', 'Why not?']);
    });

    it('fall back to the default prompt when the frontmatter list is empty', () => {
      expect(parseEssaySource(essay('title: T\nprompts: []', body)).prompts).toEqual([
        DEFAULT_PROMPT,
      ]);
    });

    it('reject more than 20, an overlong one, or a list of non-text', () => {
      const many = Array.from({ length: 21 }, (_, i) => `  - Question ${i}?`).join('\n');
      expectRejected(essay(`title: T\nprompts:\n${many}`), 'prompts', /20/);
      expectRejected(essay(`title: T\nprompts: ['${'x'.repeat(501)}?']`), 'prompts', /500/);
      expectRejected(essay('title: T\nprompts: {q: Why?}'), 'prompts');
    });
  });

  describe('publishedAt', () => {
    it('reads a YAML date as midnight UTC', () => {
      const source = parseEssaySource(essay('title: T\npublishedAt: 2024-05-01'));
      expect(source.publishedAt?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    });

    it('reads a YAML date-time with an offset, and one with a comment after it', () => {
      expect(
        parseEssaySource(essay('title: T\npublishedAt: 2024-05-01T10:30:00+02:00')).publishedAt,
      ).toEqual(new Date('2024-05-01T08:30:00Z'));
      expect(
        parseEssaySource(essay('title: T\npublishedAt: 2024-05-01 # first draft')).publishedAt,
      ).toEqual(new Date('2024-05-01T00:00:00Z'));
    });

    it('reads quoted ISO strings, taking a time without an offset as UTC', () => {
      expect(
        parseEssaySource(essay("title: T\npublishedAt: '2024-05-01T10:30:00Z'")).publishedAt,
      ).toEqual(new Date('2024-05-01T10:30:00Z'));
      expect(
        parseEssaySource(essay("title: T\npublishedAt: '2024-05-01T10:30:00.250-05:00'"))
          .publishedAt,
      ).toEqual(new Date('2024-05-01T15:30:00.250Z'));
      expect(
        parseEssaySource(essay("title: T\npublishedAt: '2024-05-01T10:30'")).publishedAt,
      ).toEqual(new Date('2024-05-01T10:30:00Z'));
    });

    it('accepts a leap day in a leap year', () => {
      expect(parseEssaySource(essay('title: T\npublishedAt: 2024-02-29')).publishedAt).toEqual(
        new Date('2024-02-29T00:00:00Z'),
      );
    });

    it('is null when absent or empty', () => {
      expect(parseEssaySource(essay('title: T')).publishedAt).toBeNull();
      expect(parseEssaySource(essay("title: T\npublishedAt: ''")).publishedAt).toBeNull();
      expect(parseEssaySource(essay('title: T\npublishedAt:')).publishedAt).toBeNull();
    });

    it.each([
      ["'next tuesday'", 'a phrase'],
      ["'May 1, 2024'", 'a date in words'],
      ['12', 'a number'],
      ['true', 'a boolean'],
      ['[2024-05-01]', 'a list'],
      ['2024-02-30', 'a YAML date that does not exist'],
      ['2023-02-29', 'a leap day in a common year'],
      ['2024-13-01', 'a thirteenth month'],
      ["'2024-02-30'", 'a quoted date that does not exist'],
      ["'2024-05-01T25:00:00Z'", 'an hour that does not exist'],
      ["'2024-05-01T10:00:00+25:00'", 'an impossible offset'],
    ])('rejects %s (%s)', (written) => {
      expectRejected(essay(`title: T\npublishedAt: ${written}`), 'publishedAt', /publishedAt/);
    });
  });

  describe('canonicalUrl', () => {
    it('keeps an http(s) URL', () => {
      expect(
        parseEssaySource(essay("title: T\ncanonicalUrl: 'https://example.com/essays/grow'"))
          .canonicalUrl,
      ).toBe('https://example.com/essays/grow');
      expect(
        parseEssaySource(essay("title: T\ncanonicalUrl: 'http://example.com/'")).canonicalUrl,
      ).toBe('http://example.com/');
    });

    it.each([
      'not a url',
      '/relative/path',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,hi',
      'ftp://example.com/file',
    ])('rejects %s', (url) => {
      expectRejected(essay(`title: T\ncanonicalUrl: '${url}'`), 'canonicalUrl', /http\(s\)/);
    });
  });

  describe('unknown keys', () => {
    it('are kept as JSON values, and known keys are not repeated there', () => {
      const source = parseEssaySource(
        essay(
          [
            'title: T',
            'tags: [a]',
            'newsletter: weekly',
            'readingMinutes: 7',
            'featured: true',
            'nothing: ~',
            'series: {name: Growth, part: 2}',
            'related: [one, 2, {three: 3}]',
            'reviewedOn: 2024-04-30',
          ].join('\n'),
        ),
      );
      expect(source.extraFrontmatter).toEqual({
        newsletter: 'weekly',
        readingMinutes: 7,
        featured: true,
        nothing: null,
        series: { name: 'Growth', part: 2 },
        related: ['one', 2, { three: 3 }],
        reviewedOn: '2024-04-30T00:00:00.000Z',
      });
      expect(JSON.parse(JSON.stringify(source.extraFrontmatter))).toEqual(source.extraFrontmatter);
    });

    it('keep a "__proto__" key as data without touching any prototype', () => {
      const source = parseEssaySource(essay('title: T\n__proto__: {polluted: yes}'));
      expect(Object.keys(source.extraFrontmatter)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((source.extraFrontmatter as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('are refused when YAML aliases blow them up far beyond the file (alias bomb)', () => {
      let yaml = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
      for (let level = 1; level < 9; level++) {
        yaml += `l${level}: &l${level} [${Array(9)
          .fill(`*l${level - 1}`)
          .join(', ')}]\n`;
      }
      const started = Date.now();
      expectRejected(essay(`title: T\n${yaml.trimEnd()}`), 'frontmatter', /aliases/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('may repeat a value through an alias when that stays small', () => {
      const source = parseEssaySource(essay('title: T\nowner: &who Ada\nreviewer: *who'));
      expect(source.extraFrontmatter).toEqual({ owner: 'Ada', reviewer: 'Ada' });
    });
  });

  describe('files without frontmatter', () => {
    it('use the whole file as the body and the first heading as the title', () => {
      const markdown = '# Living systems\n\nThey grow.\n\n## Closing\n\nWhat grows for you?\n';
      const source = parseEssaySource(markdown);
      expect(source).toMatchObject({
        title: 'Living systems',
        slug: 'living-systems',
        status: EssayStatus.DRAFT,
        bodyMarkdown: markdown.trimEnd(),
        prompts: ['What grows for you?'],
        extraFrontmatter: {},
      });
    });

    it('accept an empty frontmatter block', () => {
      expect(parseEssaySource('---\n---\n# Heading title\n\nBody.').title).toBe('Heading title');
    });
  });

  describe('the body', () => {
    it('leaves the frontmatter out and trims blank lines around it', () => {
      const source = parseEssaySource(essay('title: T', '\n\nFirst paragraph.\n\nSecond.\n\n\n'));
      expect(source.bodyMarkdown).toBe('First paragraph.\n\nSecond.');
    });

    it('is read the same with a byte-order mark and Windows line endings', () => {
      const source = parseEssaySource('\uFEFF---\r\ntitle: Windows\r\n---\r\nBody line.\r\n');
      expect(source.title).toBe('Windows');
      expect(source.bodyMarkdown).toBe('Body line.');
    });
  });

  describe('input that is not an essay', () => {
    it.each(['', '   \n\t\n'])('rejects empty input %j', (markdown) => {
      expectRejected(markdown, 'markdown', /empty/);
    });

    it('rejects input longer than the limit', () => {
      const markdown = `# Title\n\n${'a'.repeat(MAX_MARKDOWN_LENGTH)}`;
      expectRejected(markdown, 'markdown', new RegExp(String(MAX_MARKDOWN_LENGTH)));
    });

    it('accepts input of exactly the limit', () => {
      const head = '# Title\n\n';
      const markdown = (head + 'word '.repeat(MAX_MARKDOWN_LENGTH / 5)).slice(
        0,
        MAX_MARKDOWN_LENGTH,
      );
      expect(markdown.length).toBe(MAX_MARKDOWN_LENGTH);
      expect(parseEssaySource(markdown).title).toBe('Title');
    });
  });

  describe('broken frontmatter is a BadUserInput naming the frontmatter', () => {
    it.each([
      ["title: 'unclosed single quote", 'an unclosed single quote', /not valid YAML/],
      ['title: "unclosed double quote', 'an unclosed double quote', /not valid YAML/],
      ['title: T\ntags: [a, b', 'an unclosed list', /not valid YAML/],
      ['title: T\ntitle: U', 'a repeated key', /not valid YAML/],
      ['title: T\n  status: draft', 'a wrongly indented key', /not valid YAML/],
      ['title: T\nseries:\n\tname: Growth', 'a tab-indented nested key', /tab on line 4/],
      ['title: T\n\tstatus: draft', 'a tab-indented key', /tab/],
      ['- title\n- status', 'a list where a map is expected', /key: value/],
      ['just a sentence', 'a lone scalar', /key: value/],
      ['2024-05-01', 'a lone date', /key: value/],
    ])('%j (%s)', (frontmatter, _why, message) => {
      expectRejected(essay(frontmatter), 'frontmatter', message);
    });

    it('rejects frontmatter that is never closed', () => {
      expectRejected('---\ntitle: T\n\nThe essay starts here.', 'frontmatter', /closing/);
    });

    it('refuses a JavaScript block instead of running it', () => {
      const globals = globalThis as Record<string, unknown>;
      delete globals.__essaySourceRan;
      const markdown = "---js\n{ title: (globalThis.__essaySourceRan = true, 'ran') }\n---\nBody.";
      expectRejected(markdown, 'frontmatter', /must be YAML/);
      expectRejected(`\uFEFF${markdown}`, 'frontmatter', /must be YAML/);
      expect(globals.__essaySourceRan).toBeUndefined();
    });

    it('refuses frontmatter in another language, and accepts an explicit "---yaml"', () => {
      expectRejected('---json\n{"title": "T"}\n---\nBody.', 'frontmatter', /must be YAML/);
      expectRejected('---toml\ntitle = "T"\n---\nBody.', 'frontmatter', /must be YAML/);
      expect(parseEssaySource('---yaml\ntitle: T\n---\nBody.').title).toBe('T');
    });
  });

  describe('sourceHash', () => {
    const markdown = essay('title: Hashing\ntags: [a]', 'Body.');

    it('is a SHA-256 hex digest, the same for the same input', () => {
      const first = parseEssaySource(markdown).sourceHash;
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(parseEssaySource(markdown).sourceHash).toBe(first);
    });

    it('differs when the body or the frontmatter changes by one character', () => {
      const hash = parseEssaySource(markdown).sourceHash;
      expect(parseEssaySource(markdown.replace('Body.', 'Body!')).sourceHash).not.toBe(hash);
      expect(parseEssaySource(markdown.replace('[a]', '[b]')).sourceHash).not.toBe(hash);
    });
  });

  it('returns a fresh result each time: changing one does not change the next', () => {
    const markdown = essay('title: T\ntags: [a]\nseries: {part: 1}');
    const first = parseEssaySource(markdown);
    first.tags.push('changed');
    (first.extraFrontmatter.series as { part: number }).part = 99;
    const second = parseEssaySource(markdown);
    expect(second.tags).toEqual(['a']);
    expect(second.extraFrontmatter).toEqual({ series: { part: 1 } });
  });
});
