import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { hostedPageHeaders } from './page-headers.js';
import { renderOrExplain } from './page-errors.js';
import { pageSettings, PagesService } from './pages.service.js';
import { essayIndexHtml } from './templates/essay-index.template.js';
import { essayPageHtml } from './templates/essay.template.js';

/** The hosted pages: the essays, and each essay with its conversation. */
@Controller()
export class EssayPagesController {
  constructor(
    private readonly pages: PagesService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  async index(
    @Query('after') after: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await renderOrExplain(reply, hostedPageHeaders(this.config), {}, async () =>
      essayIndexHtml(await this.pages.essayIndex(after || undefined), this.config.publicUrl),
    );
  }

  @Get('essays/:slug')
  async essay(
    @Param('slug') slug: string,
    @Query('prompt') prompt: string | undefined,
    @Query('after') after: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await renderOrExplain(reply, hostedPageHeaders(this.config), {}, async () =>
      essayPageHtml(
        await this.pages.essayPage(slug, { pagedPrompt: prompt, after: after || undefined }),
        pageSettings(this.config),
      ),
    );
  }
}
