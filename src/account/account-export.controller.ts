import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { DESK_SESSION_COOKIE, readCookie } from '../auth/session-cookie.js';
import { DomainError } from '../common/errors.js';
import { AccountService } from './account.service.js';

export const SESSION_COOKIE = 'rizom_session';

/**
 * GET /account/export: the same document as exportMyData, as a file to keep.
 * Signed in by a Bearer token, by the session cookie the sign-in page sets
 * for /account, or by the desk's (auth/session-cookie.ts). A GET that only reads.
 */
@Controller('account')
export class AccountExportController {
  constructor(
    private readonly account: AccountService,
    private readonly auth: AuthService,
  ) {}

  @Get('export')
  async export(
    @Headers('authorization') authorization: string | undefined,
    @Headers('cookie') cookie: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = sessionToken(authorization, cookie);
    const user = token ? await this.auth.userForSession(token).catch(signedOut) : null;
    if (!user) {
      void reply
        .code(401)
        .header('cache-control', 'no-store')
        .send({ error: { code: 'UNAUTHENTICATED', message: 'Sign in to download your data.' } });
      return;
    }
    const document = await this.account.export(user);
    const day = String(document.exportedAt).slice(0, 10);
    void reply
      .code(200)
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="rizom-my-data-${day}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(document, null, 2));
  }
}

function signedOut(error: unknown): null {
  if (error instanceof DomainError) return null;
  throw error;
}

function sessionToken(authorization?: string, cookie?: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return bearer ?? readCookie(cookie, DESK_SESSION_COOKIE) ?? readCookie(cookie, SESSION_COOKIE);
}
