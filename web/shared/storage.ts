// The session token and unsent drafts live in this document's own localStorage.
// In the embed that is the frame's storage, which browsers partition by the top-level
// site: a reader signs in once per site that embeds the conversation, and the host
// page's scripts can never read it. Storage can also be refused (Firefox with
// cross-site cookies blocked throws): then the session lasts as long as the page.

const SESSION_KEY = 'rizom.session';
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string | null): void {
  if (value === null) memory.delete(key);
  else memory.set(key, value);
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Refused: the in-memory copy above serves this page.
  }
}

export const session = {
  token: (): string | null => read(SESSION_KEY),
  save: (token: string): void => write(SESSION_KEY, token),
  clear: (): void => write(SESSION_KEY, null),
};

/** A draft per editor (prompt, reply or interest form), kept through sign-in and reloads. */
export const drafts = {
  get: (key: string): string => read(`rizom.draft.${key}`) ?? '',
  set: (key: string, text: string): void => write(`rizom.draft.${key}`, text.trim() ? text : null),
};
