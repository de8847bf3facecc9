import { Module } from '@nestjs/common';
import { EssaysModule } from '../essays/essays.module.js';
import { ResponsesModule } from '../responses/responses.module.js';
import { EmbedPagesController } from './embed-pages.controller.js';
import { EssayPagesController } from './essay-pages.controller.js';
import { PagesService } from './pages.service.js';

/**
 * The pages people open: `/`, `/essays/:slug` and the embeddable
 * `/embed/essays/:slug`, server-rendered from public data. The built browser
 * code is served by serveWebAssets (web-assets.plugin.ts).
 */
@Module({
  imports: [EssaysModule, ResponsesModule],
  controllers: [EssayPagesController, EmbedPagesController],
  providers: [PagesService],
})
export class PagesModule {}
