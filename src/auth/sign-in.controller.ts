import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors.js';
import { escapeHtml, htmlPage, PAGE_HEADERS } from '../common/html-page.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { AuthService } from './auth.service.js';
import { safeReturnPath } from './return-path.js';

export const SESSION_STORAGE_KEY = 'rizom.session';

/**
 * Runs on the signed-in page (CSP allows our own scripts only, never inline
 * ones): keeps the session where the browser code looks for it, then goes
 * back to where the reader came from.
 */
const SIGNED_IN_SCRIPT = `const token = document.querySelector('[data-session-token]');
const back = document.querySelector('a[data-return]');
if (token) {
  try {
    localStorage.setItem(${JSON.stringify(SESSION_STORAGE_KEY)}, token.textContent.trim());
  } catch {
    // Storage blocked: the page still shows the token and the link back.
  }
  if (back) setTimeout(() => location.replace(back.getAttribute('href')), 1500);
}
`;

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
  show(
    @Query('token') token: string | undefined,
    @Query('return') returnTo: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
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
<input type="hidden" name="return" value="${escapeHtml(safeReturnPath(returnTo))}">
<button type="submit">Sign in</button>
</form>`,
      ),
    );
  }

  /** The signed-in page's script: static, so it may be cached a while. */
  @Get('complete.js')
  script(@Res() reply: FastifyReply): void {
    void reply
      .headers({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
      })
      .send(SIGNED_IN_SCRIPT);
  }

  @Post()
  @HttpCode(200)
  async complete(
    @Body() body: { token?: unknown; return?: unknown } | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = typeof body?.token === 'string' ? body.token : '';
    const returnTo = safeReturnPath(body?.return);
    try {
      const { token: session, user } = await this.auth.signIn(token);
      // For the browser pages under /admin (the queue dashboard) and /account (the data
      // download); the API itself takes Bearer tokens.
      const secure = this.config.publicUrl.startsWith('https:') ? '; Secure' : '';
      const cookie = (path: string) =>
        `rizom_session=${session}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${this.config.sessionTtlDays * 86_400}${secure}`;
      void reply.header('set-cookie', [cookie('/admin'), cookie('/account')]);
      this.send(
        reply,
        200,
        htmlPage(
          'Signed in',
          `<h1>You are signed in</h1>
<p>Signed in as <strong>${escapeHtml(user.displayName)}</strong> (${escapeHtml(user.email)}).</p>
<p><a class="button" href="${escapeHtml(returnTo)}" data-return>${returnTo.startsWith('/essays/') ? 'Back to the essay' : 'Go to the essays'}</a></p>
<p><a href="/account/export" download>Download your data</a> (everything stored about you, as JSON)</p>
<details class="session-token"><summary>Your session token, for apps and scripts</summary>
<p>Send it as <code>Authorization: Bearer …</code>:</p>
<p><code data-session-token>${escapeHtml(session)}</code></p></details>`,
          ['/sign-in/complete.js'],
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
