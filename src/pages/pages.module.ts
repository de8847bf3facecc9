import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EssaysModule } from '../essays/essays.module.js';
import { ResponsesModule } from '../responses/responses.module.js';
import { DeskPagesController } from './desk-pages.controller.js';
import { EmbedPagesController } from './embed-pages.controller.js';
import { EssayPagesController } from './essay-pages.controller.js';
import { NotFoundPageFilter } from './not-found.filter.js';
import { PagesService } from './pages.service.js';

/**
 * The pages people open: `/`, `/essays/:slug` and the embeddable
 * `/embed/essays/:slug`, server-rendered from public data, and the author's
 * `/desk` (a shell its browser code fills through the API). The built browser
 * code is served by serveWebAssets (web-assets.plugin.ts).
 */
@Module({
  imports: [EssaysModule, ResponsesModule],
  controllers: [EssayPagesController, EmbedPagesController, DeskPagesController],
  providers: [PagesService, { provide: APP_FILTER, useClass: NotFoundPageFilter }],
})
export class PagesModule {}
