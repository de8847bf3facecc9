import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/*
 * Invariant 3, cell by cell: who reads which private field through which path,
 * and who may run which mutation. Every expected value is written out below.
 *
 * Cells: a value; null (the field answers null); 'ABSENT' (a list leaves the
 * object out); or the error code the whole operation fails with.
 */

type Actor = 'anonymous' | 'writer' | 'otherReader' | 'author';
const ACTORS: Actor[] = ['anonymous', 'writer', 'otherReader', 'author'];

const NF = 'NOT_FOUND';
const FB = 'FORBIDDEN';
const UA = 'UNAUTHENTICATED';
const ABSENT = 'ABSENT';
/** Stands for "a timestamp" where the exact instant is not the point. */
const DATE = '<timestamp>';

// What the writer wrote (each edited once) and what the author made of it.
const BODY = {
  pub: 'A public answer, edited.',
  pubReply: 'A public follow-up, edited.',
  priv: 'A private answer, edited.',
  privReply: 'A private follow-up, edited.',
  arch: 'An answer to an essay since archived.',
  archReply: 'A follow-up on the archived essay.',
};
const EDITS = {
  pub: [{ body: 'A public answer.' }],
  pubReply: [{ body: 'A public follow-up.' }],
  priv: [{ body: 'A private answer.' }],
  privReply: [{ body: 'A private follow-up.' }],
};
const REVIEW = {
  pub: { status: 'SHORTLISTED', note: 'Call them', labels: ['follow up'] },
  pubReply: { status: 'READ', note: 'Nice thread', labels: ['thread'] },
  priv: { status: 'SHORTLISTED', note: 'Sensitive: money', labels: ['money'] },
  privReply: { status: 'READ', note: 'Sensitive follow-up', labels: ['money', 'thread'] },
};
const WRITER_EMAIL = 'writer@example.test';
const OFFER = {
  message: 'Let us build it together.',
  contactEmail: WRITER_EMAIL,
  status: 'CONTACTED',
  note: 'Met at the fair',
};

type Field =
  'body' | 'reviewStatus' | 'reviewNote' | 'labels' | 'reviewedAt' | 'edits' | 'interest';
type Target = 'public' | 'publicReply' | 'private' | 'privateReply' | 'archived' | 'archivedReply';
type Path =
  | 'direct'
  | 'alias'
  | 'prompt'
  | 'essay'
  | 'essays'
  | 'parent'
  | 'replies'
  | 'reviewQueue'
  | 'replyPayload';
type Cell = unknown;
type ReadRow = [Target, Path, Field, Cell, Cell, Cell, Cell];

const P = BODY.pub;
const PR = BODY.pubReply;
const V = BODY.priv;
const VR = BODY.privReply;
const A = BODY.arch;
const AR = BODY.archReply;

/*
 * target: the response looked at. public/private: the writer's top-level responses;
 * publicReply/privateReply: the writer's reply under each (reached through `replies`);
 * archived*: the writer's public response (and reply) on an essay the author archived.
 *
 * paths: direct `response(id)`; alias (the same field twice under aliases);
 * prompt `prompt { responses }`; essay `essay(slug) { prompts { responses } }`;
 * essays `essays { edges { node { prompts { responses } } } }`; parent
 * `response(reply) { parent }`; replies `response(root) { replies }`; reviewQueue;
 * replyPayload `replyToResponse(...) { parent }`.
 */
// prettier-ignore
const READ_MATRIX: ReadRow[] = [
  // target          path            field           anonymous  writer          otherReader  author
  ['public',         'direct',       'body',         P,         P,              P,           P],
  ['public',         'direct',       'reviewStatus', null,      null,           null,        REVIEW.pub.status],
  ['public',         'direct',       'reviewNote',   null,      null,           null,        REVIEW.pub.note],
  ['public',         'direct',       'labels',       null,      null,           null,        REVIEW.pub.labels],
  ['public',         'direct',       'reviewedAt',   null,      null,           null,        DATE],
  ['public',         'direct',       'edits',        null,      EDITS.pub,      null,        EDITS.pub],
  ['public',         'direct',       'interest',     null,      null,           null,        OFFER],
  ['public',         'alias',        'body',         P,         P,              P,           P],
  ['public',         'alias',        'reviewStatus', null,      null,           null,        REVIEW.pub.status],
  ['public',         'alias',        'reviewNote',   null,      null,           null,        REVIEW.pub.note],
  ['public',         'alias',        'labels',       null,      null,           null,        REVIEW.pub.labels],
  ['public',         'alias',        'reviewedAt',   null,      null,           null,        DATE],
  ['public',         'alias',        'edits',        null,      EDITS.pub,      null,        EDITS.pub],
  ['public',         'alias',        'interest',     null,      null,           null,        OFFER],
  ['public',         'prompt',       'body',         P,         P,              P,           P],
  ['public',         'prompt',       'reviewStatus', null,      null,           null,        REVIEW.pub.status],
  ['public',         'prompt',       'reviewNote',   null,      null,           null,        REVIEW.pub.note],
  ['public',         'prompt',       'labels',       null,      null,           null,        REVIEW.pub.labels],
  ['public',         'prompt',       'reviewedAt',   null,      null,           null,        DATE],
  ['public',         'prompt',       'edits',        null,      EDITS.pub,      null,        EDITS.pub],
  ['public',         'prompt',       'interest',     null,      null,           null,        OFFER],
  ['public',         'essay',        'body',         P,         P,              P,           P],
  ['public',         'essay',        'reviewStatus', null,      null,           null,        REVIEW.pub.status],
  ['public',         'essay',        'reviewNote',   null,      null,           null,        REVIEW.pub.note],
  ['public',         'essay',        'labels',       null,      null,           null,        REVIEW.pub.labels],
  ['public',         'essay',        'reviewedAt',   null,      null,           null,        DATE],
  ['public',         'essay',        'edits',        null,      EDITS.pub,      null,        EDITS.pub],
  ['public',         'essay',        'interest',     null,      null,           null,        OFFER],
  ['public',         'essays',       'body',         P,         P,              P,           P],
  ['public',         'essays',       'reviewStatus', null,      null,           null,        REVIEW.pub.status],
  ['public',         'essays',       'reviewNote',   null,      null,           null,        REVIEW.pub.note],
  ['public',         'essays',       'labels',       null,      null,           null,        REVIEW.pub.labels],
  ['public',         'essays',       'reviewedAt',   null,      null,           null,        DATE],
  ['public',         'essays',       'edits',        null,      EDITS.pub,      null,        EDITS.pub],
  ['public',         'essays',       'interest',     null,      null,           null,        OFFER],
  ['public',         'parent',       'body',         P,         P,              P,           P],
  ['public',         'parent',       'reviewStatus', null,      null,           null,        REVIEW.pub.status],
  ['public',         'parent',       'reviewNote',   null,      null,           null,        REVIEW.pub.note],
  ['public',         'parent',       'labels',       null,      null,           null,        REVIEW.pub.labels],
  ['public',         'parent',       'reviewedAt',   null,      null,           null,        DATE],
  ['public',         'parent',       'edits',        null,      EDITS.pub,      null,        EDITS.pub],
  ['public',         'parent',       'interest',     null,      null,           null,        OFFER],
  ['public',         'reviewQueue',  'body',         UA,        FB,             FB,          P],
  ['public',         'reviewQueue',  'reviewStatus', UA,        FB,             FB,          REVIEW.pub.status],
  ['public',         'reviewQueue',  'reviewNote',   UA,        FB,             FB,          REVIEW.pub.note],
  ['public',         'reviewQueue',  'labels',       UA,        FB,             FB,          REVIEW.pub.labels],
  ['public',         'reviewQueue',  'reviewedAt',   UA,        FB,             FB,          DATE],
  ['public',         'reviewQueue',  'edits',        UA,        FB,             FB,          EDITS.pub],
  ['public',         'reviewQueue',  'interest',     UA,        FB,             FB,          OFFER],
  ['publicReply',    'replies',      'body',         PR,        PR,             PR,          PR],
  ['publicReply',    'replies',      'reviewStatus', null,      null,           null,        REVIEW.pubReply.status],
  ['publicReply',    'replies',      'reviewNote',   null,      null,           null,        REVIEW.pubReply.note],
  ['publicReply',    'replies',      'labels',       null,      null,           null,        REVIEW.pubReply.labels],
  ['publicReply',    'replies',      'reviewedAt',   null,      null,           null,        DATE],
  ['publicReply',    'replies',      'edits',        null,      EDITS.pubReply, null,        EDITS.pubReply],
  ['publicReply',    'replies',      'interest',     null,      null,           null,        OFFER],

  ['private',        'direct',       'body',         NF,        V,              NF,          V],
  ['private',        'direct',       'reviewStatus', NF,        null,           NF,          REVIEW.priv.status],
  ['private',        'direct',       'reviewNote',   NF,        null,           NF,          REVIEW.priv.note],
  ['private',        'direct',       'labels',       NF,        null,           NF,          REVIEW.priv.labels],
  ['private',        'direct',       'reviewedAt',   NF,        null,           NF,          DATE],
  ['private',        'direct',       'edits',        NF,        EDITS.priv,     NF,          EDITS.priv],
  ['private',        'direct',       'interest',     NF,        null,           NF,          OFFER],
  ['private',        'alias',        'body',         NF,        V,              NF,          V],
  ['private',        'alias',        'reviewStatus', NF,        null,           NF,          REVIEW.priv.status],
  ['private',        'alias',        'reviewNote',   NF,        null,           NF,          REVIEW.priv.note],
  ['private',        'alias',        'labels',       NF,        null,           NF,          REVIEW.priv.labels],
  ['private',        'alias',        'reviewedAt',   NF,        null,           NF,          DATE],
  ['private',        'alias',        'edits',        NF,        EDITS.priv,     NF,          EDITS.priv],
  ['private',        'alias',        'interest',     NF,        null,           NF,          OFFER],
  ['private',        'prompt',       'body',         ABSENT,    V,              ABSENT,      V],
  ['private',        'prompt',       'reviewStatus', ABSENT,    null,           ABSENT,      REVIEW.priv.status],
  ['private',        'prompt',       'reviewNote',   ABSENT,    null,           ABSENT,      REVIEW.priv.note],
  ['private',        'prompt',       'labels',       ABSENT,    null,           ABSENT,      REVIEW.priv.labels],
  ['private',        'prompt',       'reviewedAt',   ABSENT,    null,           ABSENT,      DATE],
  ['private',        'prompt',       'edits',        ABSENT,    EDITS.priv,     ABSENT,      EDITS.priv],
  ['private',        'prompt',       'interest',     ABSENT,    null,           ABSENT,      OFFER],
  ['private',        'essay',        'body',         ABSENT,    V,              ABSENT,      V],
  ['private',        'essay',        'reviewStatus', ABSENT,    null,           ABSENT,      REVIEW.priv.status],
  ['private',        'essay',        'reviewNote',   ABSENT,    null,           ABSENT,      REVIEW.priv.note],
  ['private',        'essay',        'labels',       ABSENT,    null,           ABSENT,      REVIEW.priv.labels],
  ['private',        'essay',        'reviewedAt',   ABSENT,    null,           ABSENT,      DATE],
  ['private',        'essay',        'edits',        ABSENT,    EDITS.priv,     ABSENT,      EDITS.priv],
  ['private',        'essay',        'interest',     ABSENT,    null,           ABSENT,      OFFER],
  ['private',        'essays',       'body',         ABSENT,    V,              ABSENT,      V],
  ['private',        'essays',       'reviewStatus', ABSENT,    null,           ABSENT,      REVIEW.priv.status],
  ['private',        'essays',       'reviewNote',   ABSENT,    null,           ABSENT,      REVIEW.priv.note],
  ['private',        'essays',       'labels',       ABSENT,    null,           ABSENT,      REVIEW.priv.labels],
  ['private',        'essays',       'reviewedAt',   ABSENT,    null,           ABSENT,      DATE],
  ['private',        'essays',       'edits',        ABSENT,    EDITS.priv,     ABSENT,      EDITS.priv],
  ['private',        'essays',       'interest',     ABSENT,    null,           ABSENT,      OFFER],
  ['private',        'parent',       'body',         NF,        V,              NF,          V],
  ['private',        'parent',       'reviewStatus', NF,        null,           NF,          REVIEW.priv.status],
  ['private',        'parent',       'reviewNote',   NF,        null,           NF,          REVIEW.priv.note],
  ['private',        'parent',       'labels',       NF,        null,           NF,          REVIEW.priv.labels],
  ['private',        'parent',       'reviewedAt',   NF,        null,           NF,          DATE],
  ['private',        'parent',       'edits',        NF,        EDITS.priv,     NF,          EDITS.priv],
  ['private',        'parent',       'interest',     NF,        null,           NF,          OFFER],
  ['private',        'reviewQueue',  'body',         UA,        FB,             FB,          V],
  ['private',        'reviewQueue',  'reviewStatus', UA,        FB,             FB,          REVIEW.priv.status],
  ['private',        'reviewQueue',  'reviewNote',   UA,        FB,             FB,          REVIEW.priv.note],
  ['private',        'reviewQueue',  'labels',       UA,        FB,             FB,          REVIEW.priv.labels],
  ['private',        'reviewQueue',  'reviewedAt',   UA,        FB,             FB,          DATE],
  ['private',        'reviewQueue',  'edits',        UA,        FB,             FB,          EDITS.priv],
  ['private',        'reviewQueue',  'interest',     UA,        FB,             FB,          OFFER],
  ['privateReply',   'replies',      'body',         NF,        VR,             NF,          VR],
  ['privateReply',   'replies',      'reviewStatus', NF,        null,           NF,          REVIEW.privReply.status],
  ['privateReply',   'replies',      'reviewNote',   NF,        null,           NF,          REVIEW.privReply.note],
  ['privateReply',   'replies',      'labels',       NF,        null,           NF,          REVIEW.privReply.labels],
  ['privateReply',   'replies',      'reviewedAt',   NF,        null,           NF,          DATE],
  ['privateReply',   'replies',      'edits',        NF,        EDITS.privReply, NF,         EDITS.privReply],
  ['privateReply',   'replies',      'interest',     NF,        null,           NF,          OFFER],

  // An archived essay's conversation is the author's alone, even for the one who wrote in it.
  ['archived',       'direct',       'body',         NF,        NF,             NF,          A],
  ['archived',       'alias',        'body',         NF,        NF,             NF,          A],
  ['archived',       'prompt',       'body',         NF,        NF,             NF,          A],
  ['archived',       'essay',        'body',         NF,        NF,             NF,          A],
  ['archived',       'essays',       'body',         ABSENT,    ABSENT,         ABSENT,      A],
  ['archived',       'parent',       'body',         NF,        NF,             NF,          A],
  ['archived',       'reviewQueue',  'body',         UA,        FB,             FB,          A],
  ['archivedReply',  'replies',      'body',         NF,        NF,             NF,          AR],

  // Last, as they add replies: what a reply's payload says about the response it answers.
  ['public',         'replyPayload', 'body',         UA,        P,              P,           P],
  ['public',         'replyPayload', 'reviewStatus', UA,        null,           null,        REVIEW.pub.status],
  ['public',         'replyPayload', 'reviewNote',   UA,        null,           null,        REVIEW.pub.note],
  ['public',         'replyPayload', 'labels',       UA,        null,           null,        REVIEW.pub.labels],
  ['public',         'replyPayload', 'reviewedAt',   UA,        null,           null,        DATE],
  ['public',         'replyPayload', 'edits',        UA,        EDITS.pub,      null,        EDITS.pub],
  ['public',         'replyPayload', 'interest',     UA,        null,           null,        OFFER],
  ['private',        'replyPayload', 'body',         UA,        V,              NF,          V],
  ['private',        'replyPayload', 'reviewStatus', UA,        null,           NF,          REVIEW.priv.status],
  ['private',        'replyPayload', 'reviewNote',   UA,        null,           NF,          REVIEW.priv.note],
  ['private',        'replyPayload', 'labels',       UA,        null,           NF,          REVIEW.priv.labels],
  ['private',        'replyPayload', 'reviewedAt',   UA,        null,           NF,          DATE],
  ['private',        'replyPayload', 'edits',        UA,        EDITS.priv,     NF,          EDITS.priv],
  ['private',        'replyPayload', 'interest',     UA,        null,           NF,          OFFER],
];

type InterestField = 'message' | 'contactEmail' | 'note' | 'status';
type InterestPath = 'collaboratorInterests' | 'me.interests';
type InterestRow = [InterestPath, InterestField, Cell, Cell, Cell, Cell];

// prettier-ignore
const INTEREST_MATRIX: InterestRow[] = [
  // path                     field           anonymous  writer              otherReader  author
  ['collaboratorInterests',  'message',       UA,        FB,                 FB,          OFFER.message],
  ['collaboratorInterests',  'contactEmail',  UA,        FB,                 FB,          OFFER.contactEmail],
  ['collaboratorInterests',  'note',          UA,        FB,                 FB,          OFFER.note],
  ['collaboratorInterests',  'status',        UA,        FB,                 FB,          OFFER.status],
  // `me` is null when anonymous; the author's note never reaches the reader who sent the offer.
  ['me.interests',           'message',       null,      OFFER.message,      ABSENT,      ABSENT],
  ['me.interests',           'contactEmail',  null,      OFFER.contactEmail, ABSENT,      ABSENT],
  ['me.interests',           'note',          null,      null,               ABSENT,      ABSENT],
  ['me.interests',           'status',        null,      OFFER.status,       ABSENT,      ABSENT],
];

type Mutation =
  | 'respond'
  | 'replyToResponse'
  | 'editResponse'
  | 'deleteResponse'
  | 'reviewResponse'
  | 'reviewResponses'
  | 'expressInterest'
  | 'updateInterestStatus';
type Subject =
  | 'an open prompt'
  | "a draft's prompt"
  | 'a public response'
  | 'a private response'
  | 'a public and a private response'
  | 'a published essay'
  | 'an essay the writer offered on'
  | 'a draft essay'
  | "the writer's offer";
type MutationRow = [Mutation, Subject, Cell, Cell, Cell, Cell];
const OK = 'OK';

// prettier-ignore
const MUTATION_MATRIX: MutationRow[] = [
  // mutation                on                                  anonymous  writer  otherReader  author
  ['respond',               'an open prompt',                   UA,        OK,     OK,          OK],
  ['respond',               "a draft's prompt",                 UA,        NF,     NF,          'BAD_USER_INPUT'],
  ['replyToResponse',       'a public response',                UA,        OK,     OK,          OK],
  ['replyToResponse',       'a private response',               UA,        OK,     NF,          OK],
  ['editResponse',          'a public response',                UA,        OK,     FB,          FB],
  ['editResponse',          'a private response',               UA,        OK,     NF,          FB],
  ['deleteResponse',        'a public response',                UA,        OK,     FB,          OK],
  ['deleteResponse',        'a private response',               UA,        OK,     NF,          OK],
  ['reviewResponse',        'a public response',                UA,        FB,     FB,          OK],
  ['reviewResponse',        'a private response',               UA,        FB,     FB,          OK],
  ['reviewResponses',       'a public and a private response',  UA,        FB,     FB,          OK],
  ['expressInterest',       'a published essay',                UA,        OK,     OK,          'BAD_USER_INPUT'],
  ['expressInterest',       'an essay the writer offered on',   UA,        OK,     OK,          'BAD_USER_INPUT'],
  ['expressInterest',       'a draft essay',                    UA,        NF,     NF,          NF],
  ['updateInterestStatus',  "the writer's offer",               UA,        FB,     FB,          OK],
];

type AccountOperation =
  | 'auditLog'
  | 'reviewQueueCounts'
  | 'exportMyData'
  | "deleteMyAccount with another's address"
  | 'deleteMyAccount with their own address';
type AccountRow = [AccountOperation, Cell, Cell, Cell, Cell];
/** exportMyData answered, with the asker's own profile and only their own responses. */
const OWN = 'OWN';

// prettier-ignore
const ACCOUNT_MATRIX: AccountRow[] = [
  // operation                                   anonymous  writer            otherReader       author
  ['auditLog',                                  UA,        FB,               FB,               OK],
  ['reviewQueueCounts',                         UA,        FB,               FB,               OK],
  ['exportMyData',                              UA,        OWN,              OWN,              OWN],
  ["deleteMyAccount with another's address",    UA,        'BAD_USER_INPUT', 'BAD_USER_INPUT', FB],
  // Run for the author only here (readers' deletion is account-data.e2e-spec.ts's subject).
  ['deleteMyAccount with their own address',    UA,        ABSENT,           ABSENT,           FB],
];

const SELECTION: Record<Field, string> = {
  body: 'body',
  reviewStatus: 'reviewStatus',
  reviewNote: 'reviewNote',
  labels: 'labels',
  reviewedAt: 'reviewedAt',
  edits: 'edits { body }',
  interest: 'interest { status message contactEmail note }',
};

interface Node {
  id: string;
  value: unknown;
}
type Edges = { edges: { node: Node }[] };

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code as string;
/** The value on the node `id` of a list, or ABSENT when the list leaves it out. */
const find = (nodes: Node[], id: string): Cell => {
  const node = nodes.find((candidate) => candidate.id === id);
  return node ? node.value : ABSENT;
};
const nodesOf = (connection: Edges) => connection.edges.map((edge) => edge.node);

describe('the authorization matrix', () => {
  let app: TestApp;
  const users = {} as Record<Exclude<Actor, 'anonymous'>, GivenUser>;
  const ids = {} as Record<Target | 'otherPublic', string>;
  let open: { id: string; slug: string; promptId: string };
  let archived: { id: string; slug: string; promptId: string };
  let draft: { id: string; promptId: string };
  let offerId: string;
  let replies = 0;

  const tokenOf = (actor: Actor) => (actor === 'anonymous' ? undefined : users[actor].token);
  const as = (actor: Actor, query: string, variables: Record<string, unknown> = {}) =>
    app.gql(query, variables, tokenOf(actor));

  const respond = async (user: GivenUser, promptId: string, body: string, visibility: string) =>
    (
      await app.gqlOk<{ respond: { id: string } }>(
        `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
        { input: { promptId, body, visibility } },
        user.token,
      )
    ).respond.id;
  const reply = async (user: GivenUser, id: string, body: string) =>
    (
      await app.gqlOk<{ replyToResponse: { id: string } }>(
        `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`,
        { id, body },
        user.token,
      )
    ).replyToResponse.id;
  const edit = (user: GivenUser, id: string, body: string) =>
    app.gqlOk(
      `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { id } }`,
      { id, body },
      user.token,
    );
  const review = (id: string, r: { status: string; note: string; labels: string[] }) =>
    app.gqlOk(
      `mutation($input: ReviewResponseInput!) { reviewResponse(input: $input) { id } }`,
      { input: { id, ...r } },
      users.author.token,
    );
  const expressInterest = async (user: GivenUser, essayId: string) =>
    (
      await app.gqlOk<{ expressInterest: { id: string } }>(
        `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`,
        {
          input: {
            essayId,
            message: OFFER.message,
            building: 'A cooperative of makers',
            contactEmail: user.email,
            consentToContact: true,
          },
        },
        user.token,
      )
    ).expressInterest.id;
  const noteOnOffer = (id: string) =>
    app.gqlOk(
      `mutation($id: ID!, $note: String) { updateInterestStatus(id: $id, status: CONTACTED, note: $note) { id } }`,
      { id, note: OFFER.note },
      users.author.token,
    );
  const essayOf = (data: { id: string; slug: string; prompts: { id: string }[] }) => ({
    id: data.id,
    slug: data.slug,
    promptId: data.prompts[0]!.id,
  });

  beforeAll(async () => {
    // Readers post as fast as the scene needs; abuse limits have their own suite.
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const g = given(app);
    users.author = await g.author();
    users.writer = await g.reader(WRITER_EMAIL);
    users.otherReader = await g.reader('other.reader@example.test');
    const { writer, otherReader } = users;

    open = essayOf(await g.publishedEssay(users.author, 'Open conversation'));
    offerId = await expressInterest(writer, open.id);
    await noteOnOffer(offerId);

    ids.public = await respond(writer, open.promptId, EDITS.pub[0]!.body, 'PUBLIC');
    ids.publicReply = await reply(writer, ids.public, EDITS.pubReply[0]!.body);
    ids.private = await respond(writer, open.promptId, EDITS.priv[0]!.body, 'PRIVATE');
    ids.privateReply = await reply(writer, ids.private, EDITS.privReply[0]!.body);
    for (const target of ['public', 'publicReply', 'private', 'privateReply'] as const) {
      const key = (
        {
          public: 'pub',
          publicReply: 'pubReply',
          private: 'priv',
          privateReply: 'privReply',
        } as const
      )[target];
      await edit(writer, ids[target], BODY[key]);
      await review(ids[target], REVIEW[key]);
    }
    // The other reader talks too, so lists are never the writer's alone.
    ids.otherPublic = await respond(otherReader, open.promptId, 'Another voice.', 'PUBLIC');
    await respond(otherReader, open.promptId, 'Another private voice.', 'PRIVATE');

    archived = essayOf(await g.publishedEssay(users.author, 'Soon archived'));
    ids.archived = await respond(writer, archived.promptId, BODY.arch, 'PUBLIC');
    ids.archivedReply = await reply(writer, ids.archived, BODY.archReply);
    await app.gqlOk(
      `mutation($id: ID!) { archiveEssay(id: $id) { status } }`,
      { id: archived.id },
      users.author.token,
    );

    const drafted = await g.essay(
      users.author,
      `---\ntitle: 'A draft'\nstatus: draft\n---\n\nNot out yet.\n\n## Your turn\n\nWhat are you building?\n`,
    );
    draft = { id: drafted.id, promptId: drafted.prompts[0]!.id };
  });
  afterAll(() => app.close());

  /** The response a path starts from, and the one it lands on. */
  const TOP_LEVEL: Partial<Record<Target, { essay: () => typeof open; reply: Target }>> = {
    public: { essay: () => open, reply: 'publicReply' },
    private: { essay: () => open, reply: 'privateReply' },
    archived: { essay: () => archived, reply: 'archivedReply' },
  };
  const PARENT: Partial<Record<Target, Target>> = {
    publicReply: 'public',
    privateReply: 'private',
    archivedReply: 'archived',
  };

  /** Asks for `field` of `target` along `path` as `actor`, and reports the cell. */
  async function observe(actor: Actor, target: Target, path: Path, field: Field): Promise<Cell> {
    const node = `id value: ${SELECTION[field]}`;
    const id = ids[target];
    const top = TOP_LEVEL[target];
    let result: GraphQLResult;
    let pick: (data: any) => Cell;
    switch (path) {
      case 'direct':
        result = await as(actor, `query($id: ID!) { response(id: $id) { ${node} } }`, { id });
        pick = (data) => data.response.value;
        break;
      case 'alias':
        result = await as(
          actor,
          `query($id: ID!) { mine: response(id: $id) { ${node} } again: response(id: $id) { ${node} } }`,
          { id },
        );
        pick = (data) => {
          expect(data.again).toEqual(data.mine);
          return data.mine.value;
        };
        break;
      case 'prompt':
        result = await as(
          actor,
          `query($id: ID!) { prompt(id: $id) { responses{ edges { node { ${node} } } } } }`,
          { id: top!.essay().promptId },
        );
        pick = (data) => find(nodesOf(data.prompt.responses), id);
        break;
      case 'essay':
        result = await as(
          actor,
          `query($slug: String!) { essay(slug: $slug) { prompts { responses{ edges { node { ${node} } } } } } }`,
          { slug: top!.essay().slug },
        );
        pick = (data) =>
          find(
            data.essay.prompts.flatMap((p: { responses: Edges }) => nodesOf(p.responses)),
            id,
          );
        break;
      case 'essays':
        result = await as(
          actor,
          // Page sizes of 10 keep the widest field sets (edits) under the node limit.
          `query { essays(first: 10) { edges { node { prompts { responses(first: 10) { edges { node { ${node} } } } } } } } }`,
        );
        pick = (data) =>
          find(
            nodesOf(data.essays).flatMap((essay: any) =>
              essay.prompts.flatMap((p: { responses: Edges }) => nodesOf(p.responses)),
            ),
            id,
          );
        break;
      case 'parent':
        result = await as(actor, `query($id: ID!) { response(id: $id) { parent { ${node} } } }`, {
          id: ids[top!.reply],
        });
        pick = (data) => (data.response.parent ? data.response.parent.value : ABSENT);
        break;
      case 'replies':
        result = await as(
          actor,
          `query($id: ID!) { response(id: $id) { replies{ edges { node { ${node} } } } } }`,
          { id: ids[PARENT[target]!] },
        );
        pick = (data) => find(nodesOf(data.response.replies), id);
        break;
      case 'reviewQueue':
        result = await as(actor, `query { reviewQueue{ edges { node { ${node} } } } }`);
        pick = (data) => find(nodesOf(data.reviewQueue), id);
        break;
      case 'replyPayload':
        replies += 1;
        result = await as(
          actor,
          `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { parent { ${node} } } }`,
          { id, body: `Matrix reply ${replies}` },
        );
        pick = (data) => data.replyToResponse.parent.value;
        break;
    }
    if (result.errors?.length) {
      expect(result.data ?? null).toBeNull();
      return codeOf(result);
    }
    return pick(result.data);
  }

  const expected = (cells: Cell[]) =>
    Object.fromEntries(
      ACTORS.map((actor, i) => [
        actor,
        cells[i] === DATE ? expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d/) : cells[i],
      ]),
    );

  describe('private response fields', () => {
    it.each(READ_MATRIX)('%s response, %s path: %s', async (target, path, field, ...cells) => {
      const seen: Record<string, Cell> = {};
      for (const actor of ACTORS) seen[actor] = await observe(actor, target, path, field);
      expect(seen).toEqual(expected(cells));
    });
  });

  describe('collaborator interest fields', () => {
    it.each(INTEREST_MATRIX)('%s: %s', async (path, field, ...cells) => {
      const seen: Record<string, Cell> = {};
      for (const actor of ACTORS) {
        const node = `id value: ${field}`;
        if (path === 'collaboratorInterests') {
          const result = await as(
            actor,
            `query { collaboratorInterests{ edges { node { ${node} } } } }`,
          );
          seen[actor] = result.errors?.length
            ? codeOf(result)
            : find(nodesOf(result.data!.collaboratorInterests), offerId);
        } else {
          const result = await as(
            actor,
            `query { me { interests{ edges { node { ${node} } } } } }`,
          );
          expect(result.errors).toBeUndefined();
          const me = result.data!.me;
          seen[actor] = me === null ? null : find(nodesOf(me.interests), offerId);
        }
      }
      expect(seen).toEqual(expected(cells));
    });
  });

  describe("the audit log and a reader's own data", () => {
    const emailOf = (actor: Actor) =>
      actor === 'anonymous' ? 'nobody@example.test' : users[actor].email;
    const idOf = (actor: Actor) => (actor === 'anonymous' ? null : users[actor].id);

    it.each(ACCOUNT_MATRIX)('%s', async (operation, ...cells) => {
      const seen: Record<string, Cell> = {};
      for (const actor of ACTORS) {
        const usersBefore = await app.sql(`SELECT count(*)::int AS n FROM users`);
        let result: GraphQLResult;
        if (operation === 'auditLog') {
          result = await as(actor, `query { auditLog(first: 5) { edges { node { id action } } } }`);
          seen[actor] = result.errors?.length ? codeOf(result) : OK;
        } else if (operation === 'reviewQueueCounts') {
          result = await as(actor, `query { reviewQueueCounts { inbox held reported } }`);
          seen[actor] = result.errors?.length ? codeOf(result) : OK;
        } else if (operation === 'exportMyData') {
          result = await as(actor, `query { exportMyData }`);
          if (result.errors?.length) {
            seen[actor] = codeOf(result);
          } else {
            const document = result.data!.exportMyData;
            const responses = document.responses as { id: string }[];
            const theirs = Object.entries(ids)
              .filter(([target]) => target !== 'otherPublic')
              .filter(([, id]) => responses.some((response) => response.id === id))
              .map(([target]) => target);
            // The writer wrote the matrix's responses (otherPublic aside): no one else's export holds them.
            const onlyOwn = actor === 'writer' ? theirs.length > 0 : theirs.length === 0;
            seen[actor] = document.profile.id === idOf(actor) && onlyOwn ? OWN : 'NOT OWN';
          }
        } else {
          const own = operation === 'deleteMyAccount with their own address';
          if (own && actor !== 'anonymous' && actor !== 'author') {
            seen[actor] = ABSENT;
            continue;
          }
          const confirm = own
            ? emailOf(actor)
            : emailOf(actor === 'writer' ? 'otherReader' : 'writer');
          result = await as(
            actor,
            `mutation($confirm: String!) { deleteMyAccount(confirm: $confirm) }`,
            {
              confirm,
            },
          );
          seen[actor] = result.errors?.length ? codeOf(result) : OK;
        }
        // Nothing here deletes anyone.
        expect(await app.sql(`SELECT count(*)::int AS n FROM users`)).toEqual(usersBefore);
      }
      expect(seen).toEqual(expected(cells));
    });
  });

  describe('mutations', () => {
    /** Everything a refused mutation must leave as it was. */
    const state = async () =>
      (
        await app.sql(
          `SELECT (SELECT md5(string_agg(r::text, ',' ORDER BY r.id)) FROM responses r) AS responses,
                  (SELECT md5(string_agg(e::text, ',' ORDER BY e.id)) FROM response_edits e) AS edits,
                  (SELECT md5(string_agg(i::text, ',' ORDER BY i.id)) FROM collaborator_interests i) AS interests,
                  (SELECT count(*)::int FROM events) AS events,
                  (SELECT count(*)::int FROM audit_log) AS audit`,
        )
      )[0];

    let fresh = 0;
    const freshResponse = async (visibility: 'PUBLIC' | 'PRIVATE') => {
      fresh += 1;
      const id = await respond(
        users.writer,
        open.promptId,
        `Fresh ${visibility} ${fresh}`,
        visibility,
      );
      await review(id, { status: 'READ', note: 'Triage note', labels: ['triage'] });
      return id;
    };
    const freshEssay = async () =>
      essayOf(await given(app).publishedEssay(users.author, `Fresh essay ${(fresh += 1)}`));

    /**
     * Sets up what one attempt acts on and runs the mutation as `actor`. The
     * payload asks for the private note, which only the author may get back.
     */
    async function attempt(
      mutation: Mutation,
      subject: Subject,
      actor: Actor,
    ): Promise<{ run: () => Promise<GraphQLResult>; noteIn: (data: any) => unknown }> {
      const body = `Attempt ${(fresh += 1)}`;
      const responseNote = (data: any) => data[mutation].reviewNote;
      switch (mutation) {
        case 'respond': {
          const promptId = subject === 'an open prompt' ? open.promptId : draft.promptId;
          return {
            run: () =>
              as(
                actor,
                `mutation($input: RespondInput!) { respond(input: $input) { id reviewNote } }`,
                { input: { promptId, body } },
              ),
            noteIn: responseNote,
          };
        }
        case 'replyToResponse': {
          const id = await freshResponse(subject === 'a public response' ? 'PUBLIC' : 'PRIVATE');
          return {
            run: () =>
              as(
                actor,
                `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id parent { reviewNote } } }`,
                { id, body },
              ),
            noteIn: (data) => data.replyToResponse.parent.reviewNote,
          };
        }
        case 'editResponse':
        case 'deleteResponse': {
          const id = await freshResponse(subject === 'a public response' ? 'PUBLIC' : 'PRIVATE');
          const args = mutation === 'editResponse' ? 'id: $id, body: $body' : 'id: $id';
          return {
            run: () =>
              as(
                actor,
                `mutation($id: ID!${mutation === 'editResponse' ? ', $body: String!' : ''}) { ${mutation}(${args}) { id reviewNote } }`,
                mutation === 'editResponse' ? { id, body } : { id },
              ),
            noteIn: responseNote,
          };
        }
        case 'reviewResponse': {
          const id = await freshResponse(subject === 'a public response' ? 'PUBLIC' : 'PRIVATE');
          return {
            run: () =>
              as(
                actor,
                `mutation($id: ID!) { reviewResponse(input: { id: $id, status: SHORTLISTED }) { id reviewNote } }`,
                { id },
              ),
            noteIn: responseNote,
          };
        }
        case 'reviewResponses': {
          const both = [await freshResponse('PUBLIC'), await freshResponse('PRIVATE')];
          return {
            run: () =>
              as(
                actor,
                `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: ARCHIVED) { id reviewNote } }`,
                { ids: both },
              ),
            noteIn: (data) => data.reviewResponses[0].reviewNote,
          };
        }
        case 'expressInterest': {
          let essayId = draft.id;
          if (subject !== 'a draft essay') essayId = (await freshEssay()).id;
          if (subject === 'an essay the writer offered on') {
            await noteOnOffer(await expressInterest(users.writer, essayId));
          }
          return {
            run: () =>
              as(
                actor,
                `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id note } }`,
                {
                  input: {
                    essayId,
                    message: body,
                    building: 'Something new',
                    contactEmail: 'someone@example.test',
                    consentToContact: true,
                  },
                },
              ),
            noteIn: (data) => data.expressInterest.note,
          };
        }
        case 'updateInterestStatus': {
          const offer = await expressInterest(users.writer, (await freshEssay()).id);
          await noteOnOffer(offer);
          return {
            run: () =>
              as(
                actor,
                `mutation($id: ID!) { updateInterestStatus(id: $id, status: IN_CONVERSATION) { id note } }`,
                { id: offer },
              ),
            noteIn: (data) => data.updateInterestStatus.note,
          };
        }
      }
    }

    it.each(MUTATION_MATRIX)('%s on %s', async (mutation, subject, ...cells) => {
      const seen: Record<string, Cell> = {};
      for (const actor of ACTORS) {
        const { run, noteIn } = await attempt(mutation, subject, actor);
        const before = await state();
        const result = await run();
        const after = await state();
        if (result.errors?.length) {
          seen[actor] = codeOf(result);
          // A refused mutation changes nothing.
          expect({ actor, state: after }).toEqual({ actor, state: before });
        } else {
          seen[actor] = OK;
          expect({ actor, changed: JSON.stringify(after) !== JSON.stringify(before) }).toEqual({
            actor,
            changed: true,
          });
          // What comes back carries the author's private note to the author alone.
          if (actor !== 'author')
            expect({ actor, note: noteIn(result.data) }).toEqual({ actor, note: null });
        }
      }
      expect(seen).toEqual(expected(cells));
    });
  });
});
