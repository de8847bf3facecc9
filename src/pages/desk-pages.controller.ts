import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { hostedPageHeaders } from './page-headers.js';
import { pageSettings } from './pages.service.js';
import { deskPageHtml } from './templates/desk.template.js';

/**
 * The author's desk, on the platform's own origin and never framed
 * (frame-ancestors 'none'). Who may see what is decided by the API, per request.
 */
@Controller('desk')
export class DeskPagesController {
  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  /** The queue, and the desk's other sections (the browser code reads the path). */
  @Get(['', 'collaborators', 'essays', 'settings', 'audit'])
  desk(@Res() reply: FastifyReply): void {
    void reply
      .code(200)
      .headers({ ...hostedPageHeaders(this.config), 'cache-control': 'no-store' })
      .send(deskPageHtml(pageSettings(this.config)));
  }
}
