import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const ESSAY_FIELDS = `id slug title status bodyMarkdown bodyHtml excerpt tags entityIds canonicalUrl
  publishedAt createdAt updatedAt prompts { id text isOpen }`;
const PROMPT_FIELDS = `id text isOpen essay { id }`;

const IMPORT = `mutation($markdown: String!) { importEssay(markdown: $markdown) { ${ESSAY_FIELDS} } }`;
const CREATE = `mutation($input: CreateEssayInput!) { createEssay(input: $input) { ${ESSAY_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateEssayInput!) { updateEssay(input: $input) { ${ESSAY_FIELDS} } }`;
const PUBLISH = `mutation($id: ID!) { publishEssay(id: $id) { ${ESSAY_FIELDS} } }`;
const ARCHIVE = `mutation($id: ID!) { archiveEssay(id: $id) { ${ESSAY_FIELDS} } }`;
const ADD_PROMPT = `mutation($essayId: ID!, $text: String!) {
  addPrompt(essayId: $essayId, text: $text) { ${PROMPT_FIELDS} } }`;
const UPDATE_PROMPT = `mutation($id: ID!, $text: String!) {
  updatePrompt(id: $id, text: $text) { ${PROMPT_FIELDS} } }`;
const CLOSE_PROMPT = `mutation($id: ID!) { closePrompt(id: $id) { ${PROMPT_FIELDS} } }`;

const UNKNOWN_ID = '7d1c6a4e-2a8b-4f7e-9d7c-2f0a8e1b9c3d';

let sequence = 0;
const uniqueTitle = (title: string) => `${title} ${(sequence += 1)}`;

function codeOf(result: GraphQLResult): unknown {
  return result.errors?.[0]?.extensions?.code;
}

describe('author mutations', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;

  beforeAll(async () => {
    app = await startTestApp();
    author = await given(app).author();
    reader = await given(app).reader();
  });
  afterAll(() => app.close());

  /** Every row of the tables an author mutation could touch. */
  const snapshot = async () => ({
    essays: await app.sql(`SELECT * FROM essays ORDER BY id`),
    prompts: await app.sql(`SELECT * FROM prompts ORDER BY id`),
    events: await app.sql(`SELECT * FROM events ORDER BY id`),
  });

  const draft = (
    title = uniqueTitle('Draft'),
    body = 'A paragraph.\n\n## Over to you\n\nWhat now?',
  ) => given(app).essay(author, `---\ntitle: '${title}'\nstatus: draft\n---\n\n${body}\n`);

  describe('are for the author only', () => {
    const cases: [string, string, () => Promise<Record<string, unknown>>][] = [
      [
        'importEssay',
        IMPORT,
        async () => ({
          markdown: `---\ntitle: ${uniqueTitle('Sneaky')}\nstatus: published\n---\n\nHello?\n`,
        }),
      ],
      [
        'createEssay',
        CREATE,
        async () => ({ input: { title: uniqueTitle('Sneaky'), bodyMarkdown: 'Hi?' } }),
      ],
      [
        'updateEssay',
        UPDATE,
        async () => ({ input: { id: (await draft()).id, title: 'Defaced' } }),
      ],
      ['publishEssay', PUBLISH, async () => ({ id: (await draft()).id })],
      [
        'archiveEssay',
        ARCHIVE,
        async () => ({ id: (await given(app).publishedEssay(author, uniqueTitle('Live'))).id }),
      ],
      ['addPrompt', ADD_PROMPT, async () => ({ essayId: (await draft()).id, text: 'Spam?' })],
      [
        'updatePrompt',
        UPDATE_PROMPT,
        async () => ({ id: (await draft()).prompts[0]!.id, text: 'Defaced?' }),
      ],
      ['closePrompt', CLOSE_PROMPT, async () => ({ id: (await draft()).prompts[0]!.id })],
    ];

    it.each(cases)(
      '%s: anonymous gets UNAUTHENTICATED, a reader FORBIDDEN, and nothing changes',
      async (name, mutation, variablesFor) => {
        const variables = await variablesFor();
        const before = await snapshot();

        const anonymous = await app.gql(mutation, variables);
        expect(anonymous.data).toBeNull();
        expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
        expect(anonymous.errors?.[0]?.path).toEqual([name]);

        const asReader = await app.gql(mutation, variables, reader.token);
        expect(asReader.data).toBeNull();
        expect(codeOf(asReader)).toBe('FORBIDDEN');

        expect(await snapshot()).toEqual(before);

        // The same call as the author goes through, so the refusals above were about who asked.
        const asAuthor = await app.gql(mutation, variables, author.token);
        expect(asAuthor.errors).toBeUndefined();
        expect(asAuthor.data?.[name]).toEqual(expect.objectContaining({ id: expect.any(String) }));
      },
    );
  });

  describe('createEssay', () => {
    it('derives the slug from the title and extracts prompts from the closing section', async () => {
      const { createEssay } = await app.gqlOk(
        CREATE,
        {
          input: {
            title: '  Commons, Care & Code: A Field Guide ',
            bodyMarkdown:
              'The **first** paragraph.\n\nMore.\n\n## Your turn\n\nWhat do you tend? Who helps you?',
            tags: ['commons'],
          },
        },
        author.token,
      );
      expect(createEssay).toMatchObject({
        slug: 'commons-care-and-code-a-field-guide',
        title: 'Commons, Care & Code: A Field Guide',
        status: 'DRAFT',
        publishedAt: null,
        excerpt: 'The first paragraph.',
        tags: ['commons'],
        bodyHtml: expect.stringContaining('<strong>first</strong>'),
      });
      expect(createEssay.prompts).toEqual([
        { id: expect.any(String), text: 'What do you tend?', isOpen: true },
        { id: expect.any(String), text: 'Who helps you?', isOpen: true },
      ]);
      const [row] = await app.sql(`SELECT author_id FROM essays WHERE id = $1`, [createEssay.id]);
      expect(row).toEqual({ author_id: author.id });
      expect(await app.sql(`SELECT * FROM events WHERE subject_id = $1`, [createEssay.id])).toEqual(
        [],
      );
    });

    it('uses the prompts it is given, cleaned up and without repeats', async () => {
      const { createEssay } = await app.gqlOk(
        CREATE,
        {
          input: {
            title: uniqueTitle('Given prompts'),
            slug: `given-prompts-${sequence}`,
            bodyMarkdown: 'Body.\n\n## End\n\nIgnored question?',
            prompts: ['  What   are you making? ', 'Who is it for?', 'what are you making?'],
          },
        },
        author.token,
      );
      expect(createEssay.slug).toBe(`given-prompts-${sequence}`);
      expect(createEssay.prompts.map((p: { text: string }) => p.text)).toEqual([
        'What are you making?',
        'Who is it for?',
      ]);
    });

    it('refuses a blank prompt and writes nothing', async () => {
      const before = await snapshot();
      const result = await app.gql(
        CREATE,
        { input: { title: uniqueTitle('Blank prompt'), bodyMarkdown: 'Body', prompts: ['   '] } },
        author.token,
      );
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a slug that is taken as CONFLICT and writes nothing', async () => {
      const title = uniqueTitle('Taken');
      await app.gqlOk(CREATE, { input: { title, bodyMarkdown: 'One?' } }, author.token);
      const before = await snapshot();
      const again = await app.gql(CREATE, { input: { title, bodyMarkdown: 'Two?' } }, author.token);
      expect(again.data).toBeNull();
      expect(again.errors?.[0]).toMatchObject({
        message: expect.stringContaining('already exists'),
        extensions: { code: 'CONFLICT', field: 'slug' },
      });
      expect(await snapshot()).toEqual(before);
    });

    it('refuses bad input as BAD_USER_INPUT naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ title: '', bodyMarkdown: 'x' }, 'title'],
        [{ title: '   ', bodyMarkdown: 'x' }, 'title'],
        [{ title: 'Bad slug', slug: 'Not A Slug', bodyMarkdown: 'x' }, 'slug'],
        [
          { title: 'Bad url', canonicalUrl: 'javascript:alert(1)', bodyMarkdown: 'x' },
          'canonicalUrl',
        ],
        [{ title: 'x'.repeat(301), bodyMarkdown: 'x' }, 'title'],
      ];
      const before = await snapshot();
      for (const [input, field] of cases) {
        const result = await app.gql(CREATE, { input }, author.token);
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('updateEssay', () => {
    it('re-renders the body and updates the excerpt', async () => {
      const essay = await draft(uniqueTitle('To edit'));
      const before = (await app.sql(`SELECT updated_at FROM essays WHERE id = $1`, [essay.id]))[0]!;
      const { updateEssay } = await app.gqlOk(
        UPDATE,
        {
          input: {
            id: essay.id,
            title: 'Edited title',
            bodyMarkdown:
              'A *new* opening.\n\n<script>alert(1)</script>\n\n## End\n\nStill asking?',
            tags: ['edited'],
          },
        },
        author.token,
      );
      expect(updateEssay).toMatchObject({
        id: essay.id,
        slug: essay.slug,
        title: 'Edited title',
        excerpt: 'A new opening.',
        tags: ['edited'],
      });
      expect(updateEssay.bodyHtml).toContain('<em>new</em>');
      expect(updateEssay.bodyHtml).not.toContain('script');
      const [row] = await app.sql(
        `SELECT body_html, excerpt, updated_at FROM essays WHERE id = $1`,
        [essay.id],
      );
      expect(row).toMatchObject({ body_html: updateEssay.bodyHtml, excerpt: 'A new opening.' });
      expect(row!.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    });

    it('changes only what it is given and treats null as "leave as is" or "clear"', async () => {
      const essay = await draft(uniqueTitle('Partial'));
      const { updateEssay } = await app.gqlOk(
        UPDATE,
        {
          input: {
            id: essay.id,
            canonicalUrl: 'https://example.test/essay',
            tags: ['a', 'b'],
          },
        },
        author.token,
      );
      expect(updateEssay).toMatchObject({
        title: expect.stringMatching(/^Partial/),
        canonicalUrl: 'https://example.test/essay',
        tags: ['a', 'b'],
      });
      const { updateEssay: cleared } = await app.gqlOk(
        UPDATE,
        {
          input: {
            id: essay.id,
            title: null,
            bodyMarkdown: null,
            canonicalUrl: null,
            tags: null,
            entityIds: null,
          },
        },
        author.token,
      );
      expect(cleared).toMatchObject({
        title: updateEssay.title,
        bodyMarkdown: updateEssay.bodyMarkdown,
        canonicalUrl: null,
        tags: [],
        entityIds: [],
      });
    });

    it('refuses a slug another essay has as CONFLICT and changes nothing', async () => {
      const one = await draft(uniqueTitle('Slug one'));
      const two = await draft(uniqueTitle('Slug two'));
      const before = await snapshot();
      const result = await app.gql(
        UPDATE,
        { input: { id: two.id, slug: one.slug, title: 'Renamed' } },
        author.token,
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'slug' });
      expect(result.errors?.[0]?.message).toContain(one.slug);
      expect(await snapshot()).toEqual(before);
    });

    it('answers NOT_FOUND for an unknown or malformed id', async () => {
      for (const id of [UNKNOWN_ID, 'not-a-uuid']) {
        const result = await app.gql(UPDATE, { input: { id, title: 'X' } }, author.token);
        expect(codeOf(result)).toBe('NOT_FOUND');
      }
    });
  });

  describe('publishEssay and archiveEssay', () => {
    it('publishes once: one ESSAY_PUBLISHED event, however often it is called', async () => {
      const essay = await draft(uniqueTitle('To publish'));
      app.clock.advance(60_000);
      const publishedAt = app.clock.now().toISOString();
      const { publishEssay } = await app.gqlOk(PUBLISH, { id: essay.id }, author.token);
      expect(publishEssay).toMatchObject({ status: 'PUBLISHED', publishedAt });

      app.clock.advance(60_000);
      const { publishEssay: again } = await app.gqlOk(PUBLISH, { id: essay.id }, author.token);
      expect(again).toMatchObject({ status: 'PUBLISHED', publishedAt });

      const events = await app.sql(
        `SELECT type, essay_id, subject_id, actor_id, occurred_at FROM events WHERE essay_id = $1`,
        [essay.id],
      );
      expect(events).toEqual([
        {
          type: 'ESSAY_PUBLISHED',
          essay_id: essay.id,
          subject_id: essay.id,
          actor_id: author.id,
          occurred_at: new Date(publishedAt),
        },
      ]);
      const { essay: visible } = await app.gqlOk(
        `query($slug: String!) { essay(slug: $slug) { id status } }`,
        { slug: essay.slug },
        reader.token,
      );
      expect(visible).toEqual({ id: essay.id, status: 'PUBLISHED' });
    });

    it('archives: readers no longer see the essay or its prompts; the author still does', async () => {
      const essay = await given(app).publishedEssay(author, uniqueTitle('To archive'));
      const { archiveEssay } = await app.gqlOk(ARCHIVE, { id: essay.id }, author.token);
      expect(archiveEssay.status).toBe('ARCHIVED');

      for (const token of [reader.token, undefined]) {
        const bySlug = await app.gql(
          `query($slug: String!) { essay(slug: $slug) { id } }`,
          { slug: essay.slug },
          token,
        );
        expect(codeOf(bySlug)).toBe('NOT_FOUND');
        const prompt = await app.gql(
          `query($id: ID!) { prompt(id: $id) { id } }`,
          { id: essay.prompts[0]!.id },
          token,
        );
        expect(codeOf(prompt)).toBe('NOT_FOUND');
        const { essays } = await app.gqlOk(
          `{ essays(first: 100) { edges { node { id } } } }`,
          {},
          token,
        );
        expect(essays.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(
          essay.id,
        );
      }
      const { essay: own } = await app.gqlOk(
        `query($slug: String!) { essay(slug: $slug) { id status } }`,
        { slug: essay.slug },
        author.token,
      );
      expect(own).toEqual({ id: essay.id, status: 'ARCHIVED' });
    });

    it('does not announce an essay twice when it is archived and published again', async () => {
      const essay = await given(app).publishedEssay(author, uniqueTitle('Back again'));
      await app.gqlOk(ARCHIVE, { id: essay.id }, author.token);
      const { publishEssay } = await app.gqlOk(PUBLISH, { id: essay.id }, author.token);
      expect(publishEssay.status).toBe('PUBLISHED');
      const events = await app.sql(`SELECT type FROM events WHERE subject_id = $1`, [essay.id]);
      expect(events).toEqual([{ type: 'ESSAY_PUBLISHED' }]);
    });

    it('answers NOT_FOUND for an unknown or malformed id and writes nothing', async () => {
      const before = await snapshot();
      for (const mutation of [PUBLISH, ARCHIVE]) {
        for (const id of [UNKNOWN_ID, 'not-a-uuid', '']) {
          expect(codeOf(await app.gql(mutation, { id }, author.token))).toBe('NOT_FOUND');
        }
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('prompts', () => {
    it('adds, edits and closes prompts', async () => {
      const essay = await draft(uniqueTitle('Prompted'), 'Body.\n\n## End\n\nFirst question?');
      const { addPrompt } = await app.gqlOk(
        ADD_PROMPT,
        { essayId: essay.id, text: '  Second   question? ' },
        author.token,
      );
      expect(addPrompt).toEqual({
        id: expect.any(String),
        text: 'Second question?',
        isOpen: true,
        essay: { id: essay.id },
      });

      const { updatePrompt } = await app.gqlOk(
        UPDATE_PROMPT,
        { id: addPrompt.id, text: 'Second, sharper question?' },
        author.token,
      );
      expect(updatePrompt).toMatchObject({ id: addPrompt.id, text: 'Second, sharper question?' });

      const { closePrompt } = await app.gqlOk(CLOSE_PROMPT, { id: addPrompt.id }, author.token);
      expect(closePrompt).toMatchObject({ id: addPrompt.id, isOpen: false });
      const { closePrompt: closedAgain } = await app.gqlOk(
        CLOSE_PROMPT,
        { id: addPrompt.id },
        author.token,
      );
      expect(closedAgain.isOpen).toBe(false);

      const { essay: reloaded } = await app.gqlOk(
        `query($slug: String!) { essay(slug: $slug) { prompts { id text isOpen } } }`,
        { slug: essay.slug },
        author.token,
      );
      expect(reloaded.prompts).toEqual([
        { id: essay.prompts[0]!.id, text: 'First question?', isOpen: true },
        { id: addPrompt.id, text: 'Second, sharper question?', isOpen: false },
      ]);
    });

    it('refuses a prompt the essay already asks as BAD_USER_INPUT, when adding or editing', async () => {
      const essay = await draft(
        uniqueTitle('Dupes'),
        'Body.\n\n## End\n\nWhat is home? Where is it?',
      );
      const before = await snapshot();
      const added = await app.gql(
        ADD_PROMPT,
        { essayId: essay.id, text: 'what is  HOME?' },
        author.token,
      );
      expect(added.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'text',
      });
      const edited = await app.gql(
        UPDATE_PROMPT,
        { id: essay.prompts[1]!.id, text: 'What is home?' },
        author.token,
      );
      expect(edited.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'text',
      });
      expect(await snapshot()).toEqual(before);
      // Re-casing a prompt's own text is not a duplicate.
      const { updatePrompt } = await app.gqlOk(
        UPDATE_PROMPT,
        { id: essay.prompts[1]!.id, text: 'WHERE is it?' },
        author.token,
      );
      expect(updatePrompt.text).toBe('WHERE is it?');
    });

    it('refuses a 21st prompt, as an imported or created essay would', async () => {
      const { createEssay } = await app.gqlOk(
        CREATE,
        {
          input: {
            title: uniqueTitle('Many prompts'),
            bodyMarkdown: 'Body.',
            prompts: Array.from({ length: 20 }, (_, i) => `Question ${i + 1}?`),
          },
        },
        author.token,
      );
      expect(createEssay.prompts).toHaveLength(20);
      const before = await snapshot();
      const result = await app.gql(
        ADD_PROMPT,
        { essayId: createEssay.id, text: 'One more?' },
        author.token,
      );
      expect(result.errors?.[0]).toMatchObject({
        message: 'An essay can have at most 20 prompts.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(await snapshot()).toEqual(before);
    });

    it('refuses blank or overlong prompt text as BAD_USER_INPUT', async () => {
      const essay = await draft();
      for (const text of ['', ' ', 'x'.repeat(501)]) {
        expect(codeOf(await app.gql(ADD_PROMPT, { essayId: essay.id, text }, author.token))).toBe(
          'BAD_USER_INPUT',
        );
        expect(
          codeOf(await app.gql(UPDATE_PROMPT, { id: essay.prompts[0]!.id, text }, author.token)),
        ).toBe('BAD_USER_INPUT');
      }
    });

    it('answers NOT_FOUND for unknown or malformed ids and writes nothing', async () => {
      const before = await snapshot();
      for (const id of [UNKNOWN_ID, 'not-a-uuid', "1' OR '1'='1"]) {
        expect(codeOf(await app.gql(ADD_PROMPT, { essayId: id, text: 'Hm?' }, author.token))).toBe(
          'NOT_FOUND',
        );
        expect(codeOf(await app.gql(UPDATE_PROMPT, { id, text: 'Hm?' }, author.token))).toBe(
          'NOT_FOUND',
        );
        expect(codeOf(await app.gql(CLOSE_PROMPT, { id }, author.token))).toBe('NOT_FOUND');
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('importEssay', () => {
    const source = (fields: string, body: string) => `---\n${fields}\n---\n\n${body}\n`;

    it('updates the essay with the same slug: title, body, status, and prompts for new questions', async () => {
      const slug = `reimported-${sequence++}`;
      const first = await app.gqlOk(
        IMPORT,
        {
          markdown: source(
            `title: First title\nslug: ${slug}\nstatus: draft`,
            'Old body.\n\n## End\n\nWhat stays?',
          ),
        },
        author.token,
      );
      const { importEssay } = await app.gqlOk(
        IMPORT,
        {
          markdown: source(
            `title: Second title\nslug: ${slug}\nstatus: published`,
            'New body.\n\n## End\n\nWhat stays? What is new?',
          ),
        },
        author.token,
      );
      expect(importEssay).toMatchObject({
        id: first.importEssay.id,
        slug,
        title: 'Second title',
        status: 'PUBLISHED',
        excerpt: 'New body.',
        bodyHtml: expect.stringContaining('<p>New body.</p>'),
        publishedAt: app.clock.now().toISOString(),
      });
      expect(importEssay.prompts).toEqual([
        { id: first.importEssay.prompts[0].id, text: 'What stays?', isOpen: true },
        { id: expect.any(String), text: 'What is new?', isOpen: true },
      ]);
      expect(await app.sql(`SELECT id FROM essays WHERE slug = $1`, [slug])).toHaveLength(1);
      expect(
        await app.sql(`SELECT type FROM events WHERE subject_id = $1`, [importEssay.id]),
      ).toEqual([{ type: 'ESSAY_PUBLISHED' }]);
    });

    it("keeps the author's own prompts and rewording; drops only unanswered questions the file no longer asks", async () => {
      const slug = `own-prompts-${sequence++}`;
      const { importEssay: first } = await app.gqlOk(
        IMPORT,
        {
          markdown: source(
            `title: Own prompts\nslug: ${slug}`,
            'Body.\n\n## End\n\nWhat stays? What goes?',
          ),
        },
        author.token,
      );
      const [stays, goes] = first.prompts as { id: string }[];
      const { addPrompt } = await app.gqlOk(
        ADD_PROMPT,
        { essayId: first.id, text: 'Added in the app?' },
        author.token,
      );
      await app.gqlOk(
        UPDATE_PROMPT,
        { id: stays!.id, text: 'What stays, in my words?' },
        author.token,
      );

      const { importEssay: again } = await app.gqlOk(
        IMPORT,
        {
          markdown: source(
            `title: Own prompts\nslug: ${slug}`,
            'Body, revised.\n\n## End\n\nWhat stays? What is new?',
          ),
        },
        author.token,
      );
      expect(again.prompts).toEqual([
        { id: stays!.id, text: 'What stays, in my words?', isOpen: true },
        { id: addPrompt.id, text: 'Added in the app?', isOpen: true },
        { id: expect.any(String), text: 'What is new?', isOpen: true },
      ]);
      expect(await app.sql(`SELECT id FROM prompts WHERE id = $1`, [goes!.id])).toEqual([]);
    });

    it('changes nothing when the content is identical', async () => {
      const markdown = source(
        `title: '${uniqueTitle('Same again')}'\nstatus: published\ntags: [a]`,
        'Body.\n\n## End\n\nSame?',
      );
      const { importEssay } = await app.gqlOk(IMPORT, { markdown }, author.token);
      app.clock.advance(60_000);
      const before = await snapshot();
      const { importEssay: again } = await app.gqlOk(IMPORT, { markdown }, author.token);
      expect(again).toEqual(importEssay);
      expect(await snapshot()).toEqual(before);
    });

    it('applies the file again after the author edited the essay in between', async () => {
      const markdown = source(`title: '${uniqueTitle('Edited between')}'`, 'From the file.');
      const { importEssay } = await app.gqlOk(IMPORT, { markdown }, author.token);
      await app.gqlOk(
        UPDATE,
        { input: { id: importEssay.id, bodyMarkdown: 'Edited in the app.' } },
        author.token,
      );
      const { importEssay: again } = await app.gqlOk(IMPORT, { markdown }, author.token);
      expect(again.bodyMarkdown).toBe('From the file.');
    });

    it('refuses broken frontmatter as BAD_USER_INPUT naming the problem, and writes nothing', async () => {
      const cases: [string, RegExp][] = [
        [source(`title: [unclosed\nstatus: draft`, 'Body?'), /frontmatter is not valid YAML/],
        [source(`title: Fine\nstatus: maybe`, 'Body?'), /"status" must be draft, published/],
        [source(`title: Fine\nslug: Not A Slug`, 'Body?'), /"slug" must be lower-case/],
        [source(`title: Fine\npublishedAt: someday`, 'Body?'), /"publishedAt".*someday/],
        // gray-matter would run `---js` frontmatter as JavaScript.
        ['---js\n({ title: "evaluated" })\n---\n\nBody?', /YAML/],
        [source(`title: Fine\ntags: {a: 1}`, 'Body?'), /"tags" must be a list/],
        [source(`status: draft`, 'No title anywhere.'), /needs a title/],
        ['   ', /empty/],
      ];
      const before = await snapshot();
      for (const [markdown, problem] of cases) {
        const result = await app.gql(IMPORT, { markdown }, author.token);
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0]?.message).toMatch(problem);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('never lets script into bodyHtml', async () => {
      const { importEssay } = await app.gqlOk(
        IMPORT,
        {
          markdown: source(
            `title: '${uniqueTitle('Hostile')}'`,
            [
              'Hello <script>alert("x")</script> world.',
              '<img src="x" onerror="alert(1)">',
              '[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)',
              '<a href="JaVaScRiPt:alert(1)">link</a>',
              '<iframe src="https://evil.test"></iframe>',
              '<svg onload="alert(1)"><circle/></svg>',
              '<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>',
              '![img](javascript:alert(1))',
              '<form action="https://evil.test"><input name="x"></form>',
            ].join('\n\n'),
          ),
        },
        author.token,
      );
      const html: string = importEssay.bodyHtml;
      expect(html).toContain('world.');
      for (const bad of [
        /<script/i,
        /javascript:/i,
        /data:text/i,
        /\son\w+=/i,
        /<iframe/i,
        /<svg/i,
        /<form/i,
        /style=/i,
      ]) {
        expect(html).not.toMatch(bad);
      }
    });
  });
});
