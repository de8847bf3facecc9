import type { TestApp } from './app.js';

export interface GivenUser {
  id: string;
  email: string;
  token: string;
}

let counter = 0;
const unique = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(counter += 1)}@example.test`;

/** Factories that set up a scene the way an operator or reader would. */
export function given(app: TestApp) {
  const sessionFor = async (email: string, role: 'AUTHOR' | 'READER'): Promise<GivenUser> => {
    const [row] = await app.sql<{ id: string; session_version: number }>(
      `INSERT INTO users (email, display_name, role) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO UPDATE SET role = EXCLUDED.role RETURNING id, session_version`,
      [email.toLowerCase(), email.split('@')[0], role],
    );
    const { SessionTokens } = await import('../../src/auth/session-tokens.js');
    const token = await app.platform.app
      .get(SessionTokens)
      .issue({ id: row!.id, sessionVersion: row!.session_version });
    return { id: row!.id, email: email.toLowerCase(), token };
  };
  return {
    author: (email = unique('author')) => sessionFor(email, 'AUTHOR'),
    reader: (email = unique('reader')) => sessionFor(email, 'READER'),
    async essay(
      author: GivenUser,
      markdown: string,
    ): Promise<{ id: string; slug: string; prompts: { id: string; text: string }[] }> {
      const data = await app.gqlOk<{
        importEssay: { id: string; slug: string; prompts: { id: string; text: string }[] };
      }>(
        `mutation($markdown: String!) { importEssay(markdown: $markdown) { id slug prompts { id text } } }`,
        { markdown },
        author.token,
      );
      return data.importEssay;
    },
    async publishedEssay(author: GivenUser, title = `Essay ${(counter += 1)}`) {
      return this.essay(
        author,
        `---\ntitle: '${title}'\nstatus: published\n---\n\nAn opening paragraph about ${title}.\n\n## Your turn\n\nWhat are you building? Who is it for?\n`,
      );
    },
  };
}

/** Polls `read` until `done` holds for its result (for work a queue finishes a moment later). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
