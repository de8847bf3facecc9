import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/*
 * Moderation in the authorization matrix's style: who sees a held, rejected,
 * report-held or ban-hidden response through which path, and who may run
 * which moderation operation. Every expected value is written out below.
 *
 * Cells: true (the response is there), false (it is not), or an error code.
 */

type Actor = 'anonymous' | 'writer' | 'otherReader' | 'author';
const ACTORS: Actor[] = ['anonymous', 'writer', 'otherReader', 'author'];
type Target = 'held' | 'rejected' | 'reported' | 'banHidden' | 'published';
type Path = 'direct' | 'promptList' | 'essayList' | 'replyParent' | 'count';

const NF = 'NOT_FOUND';
const FB = 'FORBIDDEN';
const UA = 'UNAUTHENTICATED';

// Whether each actor sees each target, the same on every path (a count counts it, a list lists it).
const SEES: Record<Target, Record<Actor, boolean>> = {
  held: { anonymous: false, writer: true, otherReader: false, author: true },
  rejected: { anonymous: false, writer: true, otherReader: false, author: true },
  reported: { anonymous: false, writer: true, otherReader: false, author: true },
  banHidden: { anonymous: false, writer: false, otherReader: false, author: true },
  published: { anonymous: true, writer: true, otherReader: true, author: true },
};
const PATHS: Path[] = ['direct', 'promptList', 'essayList', 'replyParent', 'count'];

// Who may run which moderation operation (null: it runs).
const OPERATIONS: Record<string, Record<Actor, string | null>> = {
  moderationSettings: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  updateModerationSettings: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  approveResponse: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  rejectResponse: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  reports: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  resolveReport: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  banReader: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  unbanReader: { anonymous: UA, writer: FB, otherReader: FB, author: null },
  reportResponse: {
    anonymous: UA,
    writer: 'BAD_USER_INPUT',
    otherReader: null,
    author: 'BAD_USER_INPUT',
  },
};

describe('the moderation matrix', () => {
  let app: TestApp;
  const users = {} as Record<Exclude<Actor, 'anonymous'>, GivenUser>;
  const ids = {} as Record<Target, string>;
  const replyTo = {} as Record<Target, string>;
  let essay: { id: string; slug: string; prompts: { id: string }[] };
  let seen: Record<Target, Record<Actor, Record<Path, boolean | string>>>;

  const token = (actor: Actor) => (actor === 'anonymous' ? undefined : users[actor].token);
  const code = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code ?? null;
  const run = async (query: string, variables: Record<string, unknown>, user?: GivenUser) => {
    const result = await app.gql(query, variables, user?.token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off', REPORTS_TO_HIDE: '2' } });
    const g = given(app);
    users.author = await g.author();
    users.writer = await g.reader();
    users.otherReader = await g.reader();
    const banned = await g.reader();
    const reporters = [await g.reader(), await g.reader()];
    essay = await g.publishedEssay(users.author, 'Matrix');
    const respond = async (user: GivenUser, body: string) =>
      (
        (await run(
          `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
          { input: { promptId: essay.prompts[0]!.id, body } },
          user,
        )) as { respond: { id: string } }
      ).respond.id;

    ids.published = await respond(users.writer, 'Published');
    ids.reported = await respond(users.writer, 'Reported twice');
    ids.banHidden = await respond(banned, 'By a reader banned since');
    await run(
      `mutation { updateModerationSettings(input: { mode: ALL }) { mode } }`,
      {},
      users.author,
    );
    ids.held = await respond(users.writer, 'Held');
    ids.rejected = await respond(users.writer, 'Rejected');
    await run(
      `mutation { updateModerationSettings(input: { mode: OFF }) { mode } }`,
      {},
      users.author,
    );
    await run(
      `mutation($id: ID!) { rejectResponse(id: $id, reason: "No") { id } }`,
      { id: ids.rejected },
      users.author,
    );
    for (const reporter of reporters) {
      await run(
        `mutation($id: ID!) { reportResponse(id: $id, reason: ABUSE) }`,
        { id: ids.reported },
        reporter,
      );
    }
    // The author replies to each: the replyParent path asks for the reply's parent.
    for (const target of Object.keys(ids) as Target[]) {
      replyTo[target] = (
        (await run(
          `mutation($id: ID!) { replyToResponse(responseId: $id, body: "The author replies") { id } }`,
          { id: ids[target] },
          users.author,
        )) as { replyToResponse: { id: string } }
      ).replyToResponse.id;
    }
    await run(
      `mutation($id: ID!) { banReader(userId: $id, reason: "Spam", hideExisting: true) { userId } }`,
      { id: banned.id },
      users.author,
    );
    // banHidden's writer is the banned reader (its suite shows they no longer see it either).
    seen = {} as typeof seen;
    for (const target of Object.keys(ids) as Target[]) {
      seen[target] = {} as Record<Actor, Record<Path, boolean | string>>;
      for (const actor of ACTORS) {
        const direct = await app.gql(
          `query($id: ID!) { response(id: $id) { id } }`,
          { id: ids[target] },
          token(actor),
        );
        const page = (
          await app.gql(
            `query($id: ID!, $slug: String!) {
             prompt(id: $id) { responseCount responses(first: 100) { edges { node { id } } } }
             essay(slug: $slug) { prompts { responses(first: 100) { edges { node { id } } } } } }`,
            { id: essay.prompts[0]!.id, slug: essay.slug },
            token(actor),
          )
        ).data!;
        const reply = (
          await app.gql(
            `query($id: ID!) { response(id: $id) { parent { id } } }`,
            { id: replyTo[target] },
            token(actor),
          )
        ).data;
        const promptIds = page.prompt.responses.edges.map(
          (e: { node: { id: string } }) => e.node.id,
        );
        seen[target][actor] = {
          direct: direct.errors ? code(direct)! : true,
          promptList: promptIds.includes(ids[target]),
          essayList: page.essay.prompts[0].responses.edges.some(
            (e: { node: { id: string } }) => e.node.id === ids[target],
          ),
          replyParent: reply?.response?.parent?.id === ids[target],
          // Counted iff listed: the count is the length of what this actor may see.
          count: page.prompt.responseCount === promptIds.length,
        };
      }
    }
  });
  afterAll(() => app.close());

  describe.each(Object.keys(SEES) as Target[])('a %s response', (target) => {
    it.each(ACTORS)('as %s, on every path', (actor) => {
      const sees = SEES[target][actor];
      const expected = Object.fromEntries(
        PATHS.map((path) => [
          path,
          path === 'direct' ? (sees ? true : NF) : path === 'count' ? true : sees,
        ]),
      );
      expect(seen[target][actor]).toEqual(expected);
    });
  });

  it('the hosted page shows only the published ones', async () => {
    const html = await (await fetch(`${app.url}/essays/${essay.slug}`)).text();
    expect(
      Object.fromEntries(
        (['published', 'held', 'rejected', 'reported', 'banHidden'] as Target[]).map((target) => [
          target,
          html.includes(`response-${ids[target]}`),
        ]),
      ),
    ).toEqual({ published: true, held: false, rejected: false, reported: false, banHidden: false });
  });

  describe.each(Object.keys(OPERATIONS))('%s', (operation) => {
    it.each(ACTORS)('as %s', async (actor) => {
      const fresh = (
        await app.gql(
          `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
          { input: { promptId: essay.prompts[0]!.id, body: `For ${operation} by ${actor}` } },
          users.writer.token,
        )
      ).data!.respond.id as string;
      const someone = await given(app).reader();
      const calls: Record<string, [string, Record<string, unknown>]> = {
        moderationSettings: [`{ moderationSettings { mode } }`, {}],
        updateModerationSettings: [
          `mutation { updateModerationSettings(input: { maxLinks: 10 }) { maxLinks } }`,
          {},
        ],
        approveResponse: [
          `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
          { id: ids.held },
        ],
        rejectResponse: [
          `mutation($id: ID!) { rejectResponse(id: $id, reason: "No") { id } }`,
          { id: fresh },
        ],
        reports: [`{ reports { edges { node { id } } } }`, {}],
        resolveReport: [
          `mutation($id: ID!) { resolveReport(id: $id, action: DISMISS) { id } }`,
          {
            id:
              (
                await app.sql<{ id: string }>(
                  `SELECT id FROM response_reports WHERE status = 'OPEN' LIMIT 1`,
                )
              )[0]?.id ?? '00000000-0000-4000-8000-000000000000',
          },
        ],
        banReader: [
          `mutation($id: ID!) { banReader(userId: $id, reason: "x", hideExisting: false) { userId } }`,
          { id: someone.id },
        ],
        unbanReader: [`mutation($id: ID!) { unbanReader(userId: $id) }`, { id: someone.id }],
        reportResponse: [
          `mutation($id: ID!) { reportResponse(id: $id, reason: SPAM) }`,
          { id: fresh },
        ],
      };
      const [query, variables] = calls[operation]!;
      const result = await app.gql(query, variables, token(actor));
      const expected = OPERATIONS[operation]![actor];
      const got = code(result);
      expect([operation, actor, got]).toEqual([operation, actor, expected]);
    });
  });
});
