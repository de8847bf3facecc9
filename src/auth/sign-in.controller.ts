import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors.js';
import { escapeHtml, htmlPage, PAGE_HEADERS } from '../common/html-page.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { AuthService } from './auth.service.js';

/**
 * The page a sign-in link opens. Opening it changes nothing (mail scanners
 * fetch links); the button POSTs the token, which signs the reader in.
 */
@Controller('sign-in')
export class SignInController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  show(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    if (!token) {
      this.send(
        reply,
        400,
        htmlPage(
          'Sign in',
          '<h1>Sign in</h1><p>This link has no sign-in token. Ask for a new link.</p>',
        ),
      );
      return;
    }
    this.send(
      reply,
      200,
      htmlPage(
        'Sign in',
        `<h1>Sign in to Rizom Conversations</h1>
<form method="post" action="/sign-in">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Sign in</button>
</form>`,
      ),
    );
  }

  @Post()
  @HttpCode(200)
  async complete(
    @Body() body: { token?: unknown } | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = typeof body?.token === 'string' ? body.token : '';
    try {
      const { token: session, user } = await this.auth.signIn(token);
      // For the author's browser pages under /admin (the queue dashboard); the API itself takes Bearer tokens.
      const secure = this.config.publicUrl.startsWith('https:') ? '; Secure' : '';
      void reply.header(
        'set-cookie',
        `rizom_session=${session}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${this.config.sessionTtlDays * 86_400}${secure}`,
      );
      this.send(
        reply,
        200,
        htmlPage(
          'Signed in',
          `<h1>You are signed in</h1>
<p>Signed in as <strong>${escapeHtml(user.displayName)}</strong> (${escapeHtml(user.email)}).</p>
<p>Your session token, for apps and scripts (send it as <code>Authorization: Bearer …</code>):</p>
<p><code data-session-token>${escapeHtml(session)}</code></p>`,
        ),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.send(
        reply,
        400,
        htmlPage('Sign in', `<h1>Sign-in failed</h1><p>${escapeHtml(error.message)}</p>`),
      );
    }
  }

  private send(reply: FastifyReply, status: number, html: string): void {
    void reply.code(status).headers(PAGE_HEADERS).send(html);
  }
}
