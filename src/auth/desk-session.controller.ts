import { Controller, Delete, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { AuthorOnly } from './viewer.guard.js';
import { clearedDeskSessionCookies, deskSessionCookies } from './session-cookie.js';

/**
 * The desk's download session (session-cookie.ts). POST copies the author's
 * Bearer session into the cookie: a request another site cannot forge, since
 * it needs the token in a header. DELETE removes it (sign-out); no form can
 * send a DELETE and no other origin may (no CORS).
 */
@Controller('desk/session')
export class DeskSessionController {
  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  @AuthorOnly()
  @Post()
  @HttpCode(204)
  open(@Headers('authorization') authorization: string, @Res() reply: FastifyReply): void {
    // The guard has checked this very header (Bearer, the author's, still valid).
    const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())![1]!;
    void reply
      .code(204)
      .header('cache-control', 'no-store')
      .header('set-cookie', deskSessionCookies(token, this.config))
      .send();
  }

  @Delete()
  @HttpCode(204)
  close(@Res() reply: FastifyReply): void {
    void reply
      .code(204)
      .header('cache-control', 'no-store')
      .header('set-cookie', clearedDeskSessionCookies(this.config))
      .send();
  }
}
