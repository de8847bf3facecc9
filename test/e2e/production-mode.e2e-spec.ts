import { startTestApp, type TestApp } from '../support/app.js';

describe('with NODE_ENV=production', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => app.close());

  it('refuses introspection', async () => {
    const result = await app.gql(`{ __schema { queryType { name } } }`);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    expect(JSON.stringify(result)).not.toMatch(/stacktrace/);
  });

  it('serves no GraphiQL page', async () => {
    const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('still answers ordinary queries', async () => {
    expect(await app.gqlOk(`{ me { id } }`)).toEqual({ me: null });
  });
});
