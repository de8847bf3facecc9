import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { ResponseEntity } from '../../src/responses/response.entity.js';
import { ResponsesPubSub } from '../../src/responses/responses.pubsub.js';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const ME = `{ me { id } }`;
const SIGN_OUT = `mutation { signOut }`;
const RESPOND = `mutation($input: RespondInput!) { respond(input: $input) { id } }`;
const RESPONSE_ADDED = `subscription($promptId: ID!) { responseAdded(promptId: $promptId) { id body } }`;

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;

describe('sessions', () => {
  let app: TestApp;
  let key: Uint8Array;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    key = new TextEncoder().encode(app.config.jwtSecret);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await app.close();
  });

  /** A token signed with the platform's own key, with the claims a test chooses. */
  const signed = (claims: { sub?: string; exp?: number; sv?: unknown }) => {
    const now = Math.floor(app.clock.now().getTime() / 1000);
    let jwt = new SignJWT(claims.sv === undefined ? {} : { sv: claims.sv })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('rizom-conversations')
      .setIssuedAt(now);
    if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(key);
  };
  const inAnHour = () => Math.floor(app.clock.now().getTime() / 1000) + 3600;

  const connect = (token: string) => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };
  const overSocket = async (client: Client, query: string): Promise<GraphQLResult> => {
    for await (const result of client.iterate({ query })) return result as GraphQLResult;
    throw new Error('no result');
  };

  describe('tokens', () => {
    it('refuses a signed token without an expiry as UNAUTHENTICATED', async () => {
      const reader = await given(app).reader();
      const result = await app.gql(ME, {}, await signed({ sub: reader.id, sv: 0 }));
      expect(result.data?.me ?? null).toBeNull();
      expect(result.errors?.[0]).toMatchObject({
        message: 'The session token is not valid.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      // The same claims with an expiry are a working session.
      expect(
        (await app.gqlOk(ME, {}, await signed({ sub: reader.id, sv: 0, exp: inAnHour() }))).me,
      ).toEqual({ id: reader.id });
    });

    it.each([
      ['not-a-uuid'],
      ['1'],
      ["' OR 1=1 --"],
      ['00000000-0000-0000-0000-00000000000g'],
      [''],
    ])(
      'refuses a signed token whose subject is %j as UNAUTHENTICATED, not a server error',
      async (sub) => {
        const result = await app.gql(ME, {}, await signed({ sub, sv: 0, exp: inAnHour() }));
        expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(result.errors?.[0]?.message).not.toMatch(/uuid|syntax|internal/i);
      },
    );

    it('refuses a signed token without a subject, or with a session version that is not a whole number', async () => {
      const reader = await given(app).reader();
      for (const token of [
        await signed({ exp: inAnHour(), sv: 0 }),
        await signed({ sub: reader.id, exp: inAnHour(), sv: '0' }),
        await signed({ sub: reader.id, exp: inAnHour(), sv: -1 }),
        await signed({ sub: reader.id, exp: inAnHour(), sv: 1.5 }),
      ]) {
        expect(codeOf(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
      }
    });

    it('takes a token from before session versions (no sv claim) as version 0', async () => {
      const reader = await given(app).reader();
      const legacy = await signed({ sub: reader.id, exp: inAnHour() });
      expect((await app.gqlOk(ME, {}, legacy)).me).toEqual({ id: reader.id });
      await app.gqlOk(SIGN_OUT, {}, reader.token);
      expect(codeOf(await app.gql(ME, {}, legacy))).toBe('UNAUTHENTICATED');
    });
  });

  describe('signOut', () => {
    it('needs a session', async () => {
      expect(codeOf(await app.gql(SIGN_OUT))).toBe('UNAUTHENTICATED');
    });

    it("ends every session of the user over HTTP, and no one else's", async () => {
      const g = given(app);
      const reader = await g.reader();
      const otherDevice = await g.reader(reader.email);
      const someoneElse = await g.reader();
      expect((await app.gqlOk(ME, {}, otherDevice.token)).me).toEqual({ id: reader.id });

      expect(await app.gql(SIGN_OUT, {}, reader.token)).toEqual({ data: { signOut: true } });
      for (const token of [reader.token, otherDevice.token]) {
        const after = await app.gql(ME, {}, token);
        expect(after.errors?.[0]).toMatchObject({
          message: 'This session was signed out. Sign in again.',
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
      expect(codeOf(await app.gql(SIGN_OUT, {}, reader.token))).toBe('UNAUTHENTICATED');
      expect((await app.gqlOk(ME, {}, someoneElse.token)).me).toEqual({ id: someoneElse.id });

      // Signing in again gives a session that works.
      const again = await g.reader(reader.email);
      expect((await app.gqlOk(ME, {}, again.token)).me).toEqual({ id: reader.id });
      const [row] = await app.sql(`SELECT session_version FROM users WHERE id = $1`, [reader.id]);
      expect(row).toEqual({ session_version: 1 });
    });

    it('ends the session over graphql-ws: the next operation on an open socket is UNAUTHENTICATED', async () => {
      const reader = await given(app).reader();
      const socket = connect(reader.token);
      expect(await overSocket(socket, ME)).toEqual({ data: { me: { id: reader.id } } });

      await app.gqlOk(SIGN_OUT, {}, reader.token);
      const after = await overSocket(socket, ME);
      expect(after.data?.me ?? null).toBeNull();
      expect(codeOf(after)).toBe('UNAUTHENTICATED');

      // A new connection with the old token is no better.
      expect(codeOf(await overSocket(connect(reader.token), ME))).toBe('UNAUTHENTICATED');
    });

    it('stops private responses reaching a subscription that began before the author signed out', async () => {
      const g = given(app);
      const author = await g.author();
      const essay = await g.publishedEssay(author, 'Sessions');
      const promptId = essay.prompts[0]!.id;
      const [first, second, third] = [await g.reader(), await g.reader(), await g.reader()];
      const respond = async (user: GivenUser, body: string, visibility: string) =>
        (
          await app.gqlOk<{ respond: { id: string } }>(
            RESPOND,
            { input: { promptId, body, visibility } },
            user.token,
          )
        ).respond.id;
      const warmUpId = await respond(first, 'Public, to know the subscription listens.', 'PUBLIC');
      const warmUp = await app.platform.app
        .get(DataSource)
        .getRepository(ResponseEntity)
        .findOneByOrFail({ id: warmUpId });
      const pubsub = app.platform.app.get(ResponsesPubSub);

      const pushed: string[] = [];
      const socket = connect(author.token);
      socket.subscribe<{ responseAdded: { id: string } }>(
        { query: RESPONSE_ADDED, variables: { promptId } },
        {
          next: (result) => result.data && pushed.push(result.data.responseAdded.id),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      /** Announces the public warm-up until it has arrived `times` times in all. */
      const warmUpArrives = async (times: number) => {
        const deadline = Date.now() + 10_000;
        while (pushed.filter((id) => id === warmUpId).length < times) {
          if (Date.now() > deadline) throw new Error('the warm-up never arrived');
          await pubsub.announce(warmUp);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      await warmUpArrives(1);

      const before = await respond(second, 'Private, while the author is signed in.', 'PRIVATE');
      await warmUpArrives(pushed.filter((id) => id === warmUpId).length + 1);
      expect(pushed).toContain(before);

      await app.gqlOk(SIGN_OUT, {}, author.token);
      const after = await respond(third, 'Private, after the author signed out.', 'PRIVATE');
      // Events reach a subscription in order: once a later one is through, this one was decided.
      await warmUpArrives(pushed.filter((id) => id === warmUpId).length + 1);
      expect(pushed).not.toContain(after);
    });
  });
});
