import { InterestService } from '../../src/interest/interest.service.js';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const INTEREST_FIELDS = `id message areas building link availability contactEmail consentToContact
  status note createdAt updatedAt essay { id } reader { id displayName }`;

const EXPRESS = `mutation($input: ExpressInterestInput!) {
  expressInterest(input: $input) { ${INTEREST_FIELDS} }
}`;
const UPDATE_STATUS = `mutation($id: ID!, $status: InterestStatus!, $note: String) {
  updateInterestStatus(id: $id, status: $status, note: $note) { ${INTEREST_FIELDS} }
}`;
const UPDATE_STATUS_KEEPING_NOTE = `mutation($id: ID!, $status: InterestStatus!) {
  updateInterestStatus(id: $id, status: $status) { id status note }
}`;
const INTERESTS = `query($filter: InterestFilterInput, $first: Int, $after: String) {
  collaboratorInterests(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${INTEREST_FIELDS} } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
// Fewer fields than INTEREST_FIELDS: only what these tests read.
const MY_INTERESTS = `query {
  me { interests(first: 50) { edges { node { id status note contactEmail essay { id } reader { id } } } } }
}`;

function offer(essayId: string, overrides: Record<string, unknown> = {}) {
  return {
    essayId,
    message: 'I would love to build this with you.',
    areas: ['governance', 'software'],
    building: 'A cooperative for community gardens',
    link: 'https://gardens.example.org/about',
    availability: 'Evenings, CET',
    contactEmail: 'Me@Example.ORG',
    consentToContact: true,
    ...overrides,
  };
}

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
const fieldOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.field;

describe('readers offer to collaborate; the author works the pipeline', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let other: GivenUser;
  let essay: { id: string; prompts: { id: string }[] };
  let secondEssay: { id: string };
  let draft: { id: string };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const g = given(app);
    author = await g.author();
    reader = await g.reader();
    other = await g.reader();
    essay = await g.publishedEssay(author, 'Living organizations');
    secondEssay = await g.publishedEssay(author, 'Second essay');
    draft = await g.essay(
      author,
      `---\ntitle: 'Not yet'\nstatus: draft\n---\n\nA draft.\n\n## Your turn\n\nWhat are you building?\n`,
    );
  });
  afterAll(() => app.close());

  const express = (user: GivenUser | null, input: Record<string, unknown>) =>
    app.gql(EXPRESS, { input }, user?.token);
  const interests = (user: GivenUser | null, variables: Record<string, unknown> = {}) =>
    app.gql(INTERESTS, variables, user?.token);
  const rowsOf = (essayId: string, readerId: string) =>
    app.sql(
      `SELECT id, message, link, status, note FROM collaborator_interests WHERE essay_id = $1 AND reader_id = $2`,
      [essayId, readerId],
    );
  const totals = async () => {
    const [row] = await app.sql<{ interests: number; events: number }>(
      `SELECT (SELECT COUNT(*)::int FROM collaborator_interests) AS interests,
              (SELECT COUNT(*)::int FROM events WHERE type = 'INTEREST_RECEIVED') AS events`,
    );
    return row!;
  };

  it('a reader offers to collaborate: stored cleaned up, with an INTEREST_RECEIVED event', async () => {
    const result = await express(
      reader,
      offer(essay.id, {
        message: '  I would love to build this with you.  ',
        areas: [' design ', 'Design', 'open   source', '', 'Ops'],
      }),
    );
    expect(result.errors).toBeUndefined();
    const interest = result.data!.expressInterest;
    expect(interest).toMatchObject({
      message: 'I would love to build this with you.',
      areas: ['design', 'open source', 'Ops'],
      building: 'A cooperative for community gardens',
      link: 'https://gardens.example.org/about',
      availability: 'Evenings, CET',
      contactEmail: 'me@example.org',
      consentToContact: true,
      status: 'NEW',
      note: null,
      essay: { id: essay.id },
      reader: { id: reader.id, displayName: reader.email.split('@')[0] },
    });
    expect(await rowsOf(essay.id, reader.id)).toHaveLength(1);
    const events = await app.sql(
      `SELECT type, essay_id, actor_id FROM events WHERE subject_id = $1`,
      [interest.id],
    );
    expect(events).toEqual([
      { type: 'INTEREST_RECEIVED', essay_id: essay.id, actor_id: reader.id },
    ]);
  });

  it('sending again updates the one offer, keeps its status and note, and writes no new event', async () => {
    const first = (await express(reader, offer(secondEssay.id))).data!.expressInterest;
    const noted = await app.gql(
      UPDATE_STATUS,
      { id: first.id, status: 'CONTACTED', note: 'Call on Tuesday' },
      author.token,
    );
    expect(noted.errors).toBeUndefined();

    const again = await express(
      reader,
      offer(secondEssay.id, {
        message: 'Update: we launched!',
        areas: ['launch'],
        link: null,
        availability: null,
      }),
    );
    expect(again.errors).toBeUndefined();
    expect(again.data!.expressInterest).toMatchObject({
      id: first.id,
      message: 'Update: we launched!',
      areas: ['launch'],
      link: null,
      availability: null,
      status: 'CONTACTED',
      note: null,
    });
    expect(await rowsOf(secondEssay.id, reader.id)).toEqual([
      {
        id: first.id,
        message: 'Update: we launched!',
        link: null,
        status: 'CONTACTED',
        note: 'Call on Tuesday',
      },
    ]);
    const events = await app.sql(`SELECT type FROM events WHERE subject_id = $1`, [first.id]);
    expect(events).toEqual([{ type: 'INTEREST_RECEIVED' }]);
  });

  it('refuses bad input, hidden essays, anonymous readers and the author on their own essay, and writes nothing', async () => {
    const newcomer = await given(app).reader();
    const before = await totals();
    const refusals: [Record<string, unknown>, string, string | undefined][] = [
      [offer(essay.id, { consentToContact: false }), 'BAD_USER_INPUT', 'consentToContact'],
      [offer(essay.id, { link: 'javascript:alert(1)' }), 'BAD_USER_INPUT', 'link'],
      [offer(essay.id, { link: 'ftp://files.example.org/x' }), 'BAD_USER_INPUT', 'link'],
      [offer(essay.id, { link: 'not a url at all' }), 'BAD_USER_INPUT', 'link'],
      [offer(essay.id, { link: 'https://' }), 'BAD_USER_INPUT', 'link'],
      [
        offer(essay.id, { areas: Array.from({ length: 11 }, (_, i) => `area ${i}`) }),
        'BAD_USER_INPUT',
        'areas',
      ],
      [offer(essay.id, { areas: ['x'.repeat(41)] }), 'BAD_USER_INPUT', 'areas'],
      [offer(essay.id, { message: '   ' }), 'BAD_USER_INPUT', 'message'],
      [offer(essay.id, { message: 'x'.repeat(5001) }), 'BAD_USER_INPUT', 'message'],
      [offer(essay.id, { building: '' }), 'BAD_USER_INPUT', 'building'],
      [offer(essay.id, { contactEmail: 'nobody' }), 'BAD_USER_INPUT', 'contactEmail'],
      [offer(draft.id), 'NOT_FOUND', undefined],
      [offer('6f1c1c2e-2b7a-4c57-9d0e-1f2a3b4c5d6e'), 'NOT_FOUND', undefined],
      [offer('not-an-id'), 'NOT_FOUND', undefined],
    ];
    for (const [input, code, field] of refusals) {
      const result = await express(newcomer, input);
      expect({ input, code: codeOf(result), field: fieldOf(result) }).toEqual({
        input,
        code,
        field,
      });
      expect(result.data).toBeNull();
    }
    const anonymous = await express(null, offer(essay.id));
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    const own = await express(author, offer(essay.id));
    expect({ code: codeOf(own), field: fieldOf(own) }).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'essayId',
    });
    expect(await totals()).toEqual(before);
  });

  it('keeps ten distinct areas even when more were sent as duplicates', async () => {
    const areas = [...Array.from({ length: 10 }, (_, i) => `area ${i}`), 'AREA 0'];
    const result = await express(await given(app).reader(), offer(essay.id, { areas }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.expressInterest.areas).toEqual(areas.slice(0, 10));
  });

  it('is visible to its reader and the author only, through every path', async () => {
    const mine = (await app.gqlOk(MY_INTERESTS, {}, reader.token)).me.interests.edges;
    const own = mine.find((e: any) => e.node.essay.id === essay.id).node;
    await app.gqlOk(
      UPDATE_STATUS,
      { id: own.id, status: 'IN_CONVERSATION', note: 'Promising, private' },
      author.token,
    );
    const theirs = (await express(other, offer(essay.id, { message: 'Other offer' }))).data!
      .expressInterest;

    // The reader sees their own offers, with contact details but never the author's note.
    const forReader = (await app.gqlOk(MY_INTERESTS, {}, reader.token)).me.interests.edges.map(
      (e: any) => e.node,
    );
    expect(forReader.map((i: any) => i.reader.id)).toEqual(forReader.map(() => reader.id));
    expect(forReader.map((i: any) => i.id)).not.toContain(theirs.id);
    expect(forReader.find((i: any) => i.id === own.id)).toMatchObject({
      status: 'IN_CONVERSATION',
      note: null,
      contactEmail: 'me@example.org',
    });
    expect(forReader.every((i: any) => i.note === null)).toBe(true);
    const forOther = (await app.gqlOk(MY_INTERESTS, {}, other.token)).me.interests.edges;
    expect(forOther.map((e: any) => e.node.id)).toEqual([theirs.id]);

    // Nobody else reaches the queue.
    const queueByReader = await interests(other);
    expect(codeOf(queueByReader)).toBe('FORBIDDEN');
    expect(queueByReader.data).toBeNull();
    expect(codeOf(await interests(null))).toBe('UNAUTHENTICATED');

    // On responses, only the author sees the writer's offer.
    const respond = async (user: GivenUser, body: string) =>
      (
        await app.gqlOk(
          `mutation($input: RespondInput!) { respond(input: $input) { id interest { id } } }`,
          { input: { promptId: essay.prompts[0]!.id, body } },
          user.token,
        )
      ).respond;
    const response = await respond(reader, 'My answer, with an offer behind it');
    expect(response.interest).toBeNull();
    const responseQuery = `query($id: ID!) { response(id: $id) { interest { id note contactEmail } } }`;
    const seenBy = async (user: GivenUser | null) =>
      (await app.gqlOk(responseQuery, { id: response.id }, user?.token)).response.interest;
    expect(await seenBy(other)).toBeNull();
    expect(await seenBy(reader)).toBeNull();
    expect(await seenBy(null)).toBeNull();
    expect(await seenBy(author)).toEqual({
      id: own.id,
      note: 'Promising, private',
      contactEmail: 'me@example.org',
    });
  });

  it('loads the interests of a page of responses in one batch', async () => {
    const g = given(app);
    const page = await g.publishedEssay(author, 'Batching');
    const promptId = page.prompts[0]!.id;
    const writers = [await g.reader(), await g.reader(), await g.reader()];
    for (const writer of writers) {
      await app.gqlOk(
        `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
        { input: { promptId, body: `An answer by ${writer.id}` } },
        writer.token,
      );
    }
    const offered = (await express(writers[0]!, offer(page.id))).data!.expressInterest;
    const service = app.platform.app.get(InterestService);
    const original = service.findByEssayAndReader;
    let batches = 0;
    service.findByEssayAndReader = (pairs) => {
      batches += 1;
      return original.call(service, pairs);
    };
    try {
      const result = await app.gqlOk(
        `query($id: ID!) { prompt(id: $id) { responses(first: 10) { edges { node { author { id } interest { id } } } } } }`,
        { id: promptId },
        author.token,
      );
      const byWriter = new Map(
        result.prompt.responses.edges.map((e: any) => [e.node.author.id, e.node.interest]),
      );
      expect(byWriter).toEqual(
        new Map([
          [writers[0]!.id, { id: offered.id }],
          [writers[1]!.id, null],
          [writers[2]!.id, null],
        ]),
      );
      expect(batches).toBe(1);
    } finally {
      service.findByEssayAndReader = original;
    }
  });

  it('gives the author every interest, newest first, filtered and paged', async () => {
    const g = given(app);
    const queueEssay = await g.publishedEssay(author, 'Queue');
    const send = async (message: string, areas: string[], availability: string | null = null) => {
      app.clock.advance(60_000);
      const user = await g.reader();
      const result = await express(
        user,
        offer(queueEssay.id, { message, areas, availability, building: 'A small project' }),
      );
      expect(result.errors).toBeUndefined();
      return result.data!.expressInterest.id as string;
    };
    const garden = await send('We grow a GARDEN together', ['Food', 'land']);
    const tools = await send('Tools for cooperatives', ['software'], 'Weekends in the garden');
    const percent = await send('We give 100% of profits away', ['finance', 'food']);
    const plain = await send('Nothing special here', ['software']);
    await app.gqlOk(UPDATE_STATUS, { id: tools, status: 'DECLINED' }, author.token);

    const ids = async (variables: Record<string, unknown>) => {
      const result = await interests(author, variables);
      expect(result.errors).toBeUndefined();
      return result.data!.collaboratorInterests.edges.map((e: any) => e.node.id);
    };
    const onQueue = (filter: Record<string, unknown> = {}) => ({
      filter: { essayId: queueEssay.id, ...filter },
      first: 50,
    });

    expect(await ids(onQueue())).toEqual([plain, percent, tools, garden]);
    expect(await ids(onQueue({ status: 'DECLINED' }))).toEqual([tools]);
    expect(await ids(onQueue({ status: 'NEW' }))).toEqual([plain, percent, garden]);
    expect(await ids(onQueue({ area: 'FOOD' }))).toEqual([percent, garden]);
    expect(await ids(onQueue({ area: 'foo' }))).toEqual([]);
    expect(await ids(onQueue({ search: 'garden' }))).toEqual([tools, garden]);
    expect(await ids(onQueue({ search: '100%' }))).toEqual([percent]);
    expect(await ids(onQueue({ search: '%' }))).toEqual([percent]);
    expect(await ids(onQueue({ search: 'cooperative', status: 'NEW' }))).toEqual([]);
    expect(await ids(onQueue({ area: 'software', status: 'NEW' }))).toEqual([plain]);

    // Without an essay filter, interests on other essays are in the queue too.
    const everything = await ids({ first: 100 });
    expect(everything).toEqual(expect.arrayContaining([plain, percent, tools, garden]));
    expect(everything.length).toBeGreaterThan(4);

    // Pages of two, following endCursor, cover the queue once in order.
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result = await interests(author, { ...onQueue(), first: 2, after });
      const connection = result.data!.collaboratorInterests;
      seen.push(...connection.edges.map((e: any) => e.node.id));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual([plain, percent, tools, garden]);

    const forged = await interests(author, { first: 2, after: 'bm90LWEtY3Vyc29y' });
    expect(codeOf(forged)).toBe('BAD_USER_INPUT');
    const badEssay = await interests(author, { filter: { essayId: 'nope' } });
    expect(codeOf(badEssay)).toBe('BAD_USER_INPUT');
  });

  it('lets only the author move an interest and keep a note', async () => {
    const g = given(app);
    const sender = await g.reader();
    const interest = (await express(sender, offer(essay.id))).data!.expressInterest;
    const row = () =>
      app.sql(`SELECT status, note, updated_at FROM collaborator_interests WHERE id = $1`, [
        interest.id,
      ]);
    const before = await row();

    for (const user of [sender, other]) {
      const refused = await app.gql(
        UPDATE_STATUS,
        { id: interest.id, status: 'ARCHIVED', note: 'mine now' },
        user.token,
      );
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    }
    expect(codeOf(await app.gql(UPDATE_STATUS, { id: interest.id, status: 'ARCHIVED' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await row()).toEqual(before);

    const moved = await app.gql(
      UPDATE_STATUS,
      { id: interest.id, status: 'CONTACTED', note: '  Sent an email  ' },
      author.token,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateInterestStatus).toMatchObject({
      id: interest.id,
      status: 'CONTACTED',
      note: 'Sent an email',
      contactEmail: 'me@example.org',
    });
    const kept = await app.gqlOk(
      UPDATE_STATUS_KEEPING_NOTE,
      { id: interest.id, status: 'IN_CONVERSATION' },
      author.token,
    );
    expect(kept.updateInterestStatus).toEqual({
      id: interest.id,
      status: 'IN_CONVERSATION',
      note: 'Sent an email',
    });
    const cleared = await app.gqlOk(
      UPDATE_STATUS,
      { id: interest.id, status: 'ARCHIVED', note: null },
      author.token,
    );
    expect(cleared.updateInterestStatus).toMatchObject({ status: 'ARCHIVED', note: null });
    expect(await row()).toEqual([expect.objectContaining({ status: 'ARCHIVED', note: null })]);

    for (const id of ['6f1c1c2e-2b7a-4c57-9d0e-1f2a3b4c5d6e', 'not-an-id']) {
      const missing = await app.gql(UPDATE_STATUS, { id, status: 'NEW' }, author.token);
      expect(codeOf(missing)).toBe('NOT_FOUND');
    }
    const tooLong = await app.gql(
      UPDATE_STATUS,
      { id: interest.id, status: 'NEW', note: 'x'.repeat(5001) },
      author.token,
    );
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
    expect(await row()).toEqual([expect.objectContaining({ status: 'ARCHIVED', note: null })]);
  });
});

describe('collaborator interest rate limit', () => {
  let app: TestApp;
  let author: GivenUser;
  let essay: { id: string };

  beforeAll(async () => {
    app = await startTestApp();
    author = await given(app).author();
    essay = await given(app).publishedEssay(author, 'Limits');
  });
  afterAll(() => app.close());

  const express = (user: GivenUser, input: Record<string, unknown>) =>
    app.gql(
      `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id message } }`,
      { input },
      user.token,
    );

  it('allows five offers an hour per reader (refused input does not count), then RATE_LIMITED', async () => {
    const reader = await given(app).reader();
    expect(app.config.rateLimits.interestPerHour).toBe(5);
    expect(codeOf(await express(reader, offer(essay.id, { consentToContact: false })))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await express(reader, offer(essay.id, { link: 'ftp://x.example.org' })))).toBe(
      'BAD_USER_INPUT',
    );
    for (let i = 1; i <= 5; i += 1) {
      const result = await express(reader, offer(essay.id, { message: `Offer ${i}` }));
      expect(result.errors).toBeUndefined();
    }
    const sixth = await express(reader, offer(essay.id, { message: 'Offer 6' }));
    expect(sixth.data).toBeNull();
    expect(codeOf(sixth)).toBe('RATE_LIMITED');
    const retryAfter = sixth.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    const rows = await app.sql(
      `SELECT id, message FROM collaborator_interests WHERE reader_id = $1`,
      [reader.id],
    );
    expect(rows).toEqual([{ id: expect.any(String), message: 'Offer 5' }]);
    const events = await app.sql(`SELECT id FROM events WHERE subject_id = $1`, [rows[0]!.id]);
    expect(events).toHaveLength(1);

    // Another reader has an allowance of their own.
    const fresh = await express(await given(app).reader(), offer(essay.id));
    expect(fresh.errors).toBeUndefined();
  });
});
