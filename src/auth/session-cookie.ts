import type { RuntimeConfig } from '../config/runtime.js';

/**
 * The desk's download session: the author's session token in an HttpOnly,
 * SameSite=Strict cookie on the platform's own host (no Domain), Secure when
 * PUBLIC_URL is https. Sent by the browser on its own for GET downloads only
 * (`<a href download>`): the CSV export under /essays and /account/export.
 * Only GET routes marked @DownloadSession() read it, so no state-changing
 * route (GraphQL included, which takes Bearer tokens only) can be driven by
 * it: with SameSite=Strict another site cannot make the browser send it, and
 * even if it could, a download is only read by the browser that asked.
 */
export const DESK_SESSION_COOKIE = 'rizom_desk';

/** The cookie goes with these paths only: never with /graphql. */
export const DESK_SESSION_PATHS = ['/essays', '/account'] as const;

/** The Set-Cookie headers that keep `token` for the download paths. */
export function deskSessionCookies(token: string, config: RuntimeConfig): string[] {
  return DESK_SESSION_PATHS.map((path) =>
    cookie(path, token, config.sessionTtlDays * 86_400, config),
  );
}

/** The Set-Cookie headers that remove it again (sign-out). */
export function clearedDeskSessionCookies(config: RuntimeConfig): string[] {
  return DESK_SESSION_PATHS.map((path) => cookie(path, '', 0, config));
}

function cookie(path: string, value: string, maxAge: number, config: RuntimeConfig): string {
  const secure = config.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `${DESK_SESSION_COOKIE}=${value}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/** The value of cookie `name` in a Cookie header, if there is one. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name && value.length > 0) return value.join('=') || undefined;
  }
  return undefined;
}
