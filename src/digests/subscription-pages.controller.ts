import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors.js';
import { PAGE_HEADERS } from '../common/html-page.js';
import { SubscriptionPagesService, type PageForm } from './subscription-pages.service.js';
import {
  confirmedPageHtml,
  confirmPageHtml,
  linkFailedPageHtml,
  managePageHtml,
  notificationsOffDoneHtml,
  notificationsOffPageHtml,
  unsubscribedPageHtml,
  unsubscribePageHtml,
} from './templates/subscription-pages.template.js';

/**
 * The pages email links open. Opening a link changes nothing (mail scanners
 * fetch links); buttons POST. The one-click unsubscribe POST (RFC 8058) needs
 * no cookie or sign-in, answers 200 without a redirect, and is idempotent.
 */
@Controller()
export class SubscriptionPagesController {
  constructor(private readonly pages: SubscriptionPagesService) {}

  @Get('subscriptions/confirm')
  showConfirm(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    send(reply, 200, confirmPageHtml(token ?? ''));
  }

  @Post('subscriptions/confirm')
  @HttpCode(200)
  async confirm(@Body() form: PageForm, @Res() reply: FastifyReply): Promise<void> {
    await page(reply, async () => {
      const { subscription, manageToken } = await this.pages.confirm(form);
      return confirmedPageHtml(subscription, manageToken);
    });
  }

  @Get('subscriptions/unsubscribe')
  showUnsubscribe(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    send(reply, 200, unsubscribePageHtml(token ?? ''));
  }

  @Post('subscriptions/unsubscribe')
  @HttpCode(200)
  async unsubscribe(
    @Query('token') token: string | undefined,
    @Body() form: PageForm,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, async () => unsubscribedPageHtml(await this.pages.unsubscribe(token, form)));
  }

  @Get('subscriptions/manage')
  async showManage(
    @Query('token') token: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, async () => managePageHtml(await this.pages.managed(token), token!));
  }

  @Post('subscriptions/manage')
  @HttpCode(200)
  async manage(@Body() form: PageForm, @Res() reply: FastifyReply): Promise<void> {
    await page(reply, async () => {
      const { subscription, token } = await this.pages.update(form);
      return managePageHtml(subscription, token, true);
    });
  }

  @Get('notifications/unsubscribe')
  showNotificationsOff(
    @Query('token') token: string | undefined,
    @Query('list') list: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    send(reply, 200, notificationsOffPageHtml(list ?? '', token ?? ''));
  }

  @Post('notifications/unsubscribe')
  @HttpCode(200)
  async notificationsOff(
    @Query('token') token: string | undefined,
    @Query('list') list: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, async () =>
      notificationsOffDoneHtml(await this.pages.notificationsOff(list, token)),
    );
  }
}

/** A domain error (a bad or stale link, a refused preference) answers 400 with its message. */
async function page(reply: FastifyReply, render: () => Promise<string>): Promise<void> {
  try {
    send(reply, 200, await render());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    send(reply, 400, linkFailedPageHtml(error.message));
  }
}

function send(reply: FastifyReply, status: number, html: string): void {
  void reply.code(status).headers(PAGE_HEADERS).send(html);
}
