import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Theme } from '../common/html-page.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { embedPageHeaders } from './page-headers.js';
import { renderOrExplain } from './page-errors.js';
import { pageSettings, PagesService } from './pages.service.js';
import { embedPageHtml } from './templates/essay.template.js';

const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];

/**
 * The document the embed loader frames on the author's site: the
 * conversation only, framable by EMBED_ORIGINS (page-headers.ts).
 */
@Controller('embed')
export class EmbedPagesController {
  constructor(
    private readonly pages: PagesService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get('essays/:slug')
  async conversation(
    @Param('slug') slug: string,
    @Query('theme') themeParam: string | undefined,
    @Query('prompt') prompt: string | undefined,
    @Query('after') after: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const theme = THEMES.find((candidate) => candidate === themeParam) ?? 'auto';
    const headers = embedPageHeaders(this.config);
    await renderOrExplain(reply, headers, { chrome: false, theme }, async () => {
      const essay = await this.pages.essayPage(slug, {
        onlyPrompt: prompt,
        pagedPrompt: prompt,
        after: after || undefined,
      });
      const shown = essay.prompts.length === 1 ? essay.prompts[0]!.id : null;
      return embedPageHtml(essay, pageSettings(this.config), {
        theme,
        prompt: prompt && shown === prompt ? prompt : null,
      });
    });
  }
}
