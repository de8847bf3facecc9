import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const ESSAY = `---
subject: 'Designing systems that grow'
status: draft
entityIds: []
tags: [systems, growth]
newsletter: weekly
---

Organizations are living things. This essay is about how they grow.

## Closing

What does a living organization look like in your world? I'd love to hear what you're building.
`;

describe('an author imports an essay and readers see it as a prompt', () => {
  let app: TestApp;
  let author: GivenUser;

  beforeAll(async () => {
    app = await startTestApp();
    author = await given(app).author();
  });
  afterAll(() => app.close());

  it('imports markdown with frontmatter and extracts the closing questions as prompts', async () => {
    const { importEssay } = await app.gqlOk(
      `mutation($md: String!) { importEssay(markdown: $md) {
        slug title status tags entityIds frontmatter excerpt bodyHtml prompts { text isOpen } } }`,
      { md: ESSAY },
      author.token,
    );
    expect(importEssay).toMatchObject({
      slug: 'designing-systems-that-grow',
      title: 'Designing systems that grow',
      status: 'DRAFT',
      tags: ['systems', 'growth'],
      entityIds: [],
      frontmatter: { newsletter: 'weekly' },
      excerpt: 'Organizations are living things. This essay is about how they grow.',
    });
    expect(importEssay.bodyHtml).toContain('<h2>Closing</h2>');
    expect(importEssay.prompts).toEqual([
      { text: 'What does a living organization look like in your world?', isOpen: true },
    ]);
  });

  it('hides drafts from readers until the author publishes', async () => {
    const reader = await given(app).reader();
    const hidden = await app.gql(
      `{ essay(slug: "designing-systems-that-grow") { id } }`,
      {},
      reader.token,
    );
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const { essay } = await app.gqlOk(
      `{ essay(slug: "designing-systems-that-grow") { id } }`,
      {},
      author.token,
    );
    await app.gqlOk(
      `mutation($id: ID!) { publishEssay(id: $id) { status publishedAt } }`,
      { id: essay.id },
      author.token,
    );

    const visible = await app.gqlOk(
      `{ essays(first: 10) { edges { node { slug prompts { text essay { slug } } } } } }`,
    );
    expect(visible.essays.edges).toEqual([
      {
        node: {
          slug: 'designing-systems-that-grow',
          prompts: [
            {
              text: 'What does a living organization look like in your world?',
              essay: { slug: 'designing-systems-that-grow' },
            },
          ],
        },
      },
    ]);
    const events = await app.sql(`SELECT type, subject_id FROM events`);
    expect(events).toEqual([{ type: 'ESSAY_PUBLISHED', subject_id: essay.id }]);
  });
});
