import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors.js';
import { escapeHtml, htmlPage, PAGE_HEADERS } from '../common/html-page.js';
import { UserRole } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import {
  DigestFrequency,
  DigestScope,
  DigestSubscriptionEntity,
  SubscriptionStatus,
} from './digest-subscription.entity.js';
import { InvalidLink, LinkTokens } from '../mail/link-tokens.js';
import { NotificationSettingsService } from './notification-settings.service.js';
import { WEEKDAYS, weekdayName, isoWeekday, type Weekday } from './slots.js';
import { SubscriptionsService } from './subscriptions.service.js';

type Form = Record<string, unknown> | undefined;

/**
 * The pages email links open. Opening a link changes nothing (mail scanners
 * fetch links); buttons POST. The one-click unsubscribe POST (RFC 8058) needs
 * no cookie or sign-in, answers 200 without a redirect, and is idempotent.
 */
@Controller()
export class SubscriptionPagesController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly notificationSettings: NotificationSettingsService,
    private readonly users: UsersService,
    private readonly tokens: LinkTokens,
  ) {}

  @Get('subscriptions/confirm')
  showConfirm(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    send(
      reply,
      200,
      htmlPage(
        'Confirm',
        `<h1>Confirm your digest</h1>
<form method="post" action="/subscriptions/confirm"><input type="hidden" name="token" value="${escapeHtml(token ?? '')}">
<button type="submit">Confirm my subscription</button></form>`,
      ),
    );
  }

  @Post('subscriptions/confirm')
  @HttpCode(200)
  async confirm(@Body() body: Form, @Res() reply: FastifyReply): Promise<void> {
    await page(reply, async () => {
      const subscription = await this.subscriptions.confirm(field(body, 'token'));
      return htmlPage(
        'Confirmed',
        `<h1>You are subscribed</h1>
<p>Your ${subscription.frequency.toLowerCase()} digest will come to ${escapeHtml(subscription.email)} at ${subscription.sendHour}:00 (${escapeHtml(subscription.timezone)}).</p>
<p><a href="/subscriptions/manage?token=${encodeURIComponent(this.subscriptions.manageToken(subscription))}">Change how often, when, or what</a></p>`,
      );
    });
  }

  @Get('subscriptions/unsubscribe')
  showUnsubscribe(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    send(
      reply,
      200,
      htmlPage(
        'Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop this digest?</p>
<form method="post" action="/subscriptions/unsubscribe?token=${encodeURIComponent(token ?? '')}">
<button type="submit">Unsubscribe</button></form>`,
      ),
    );
  }

  @Post('subscriptions/unsubscribe')
  @HttpCode(200)
  async unsubscribe(
    @Query('token') token: string | undefined,
    @Body() body: Form,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, async () => {
      const subscription = await this.subscriptions.unsubscribe(token ?? field(body, 'token'));
      return htmlPage(
        'Unsubscribed',
        `<h1>You are unsubscribed</h1>
<p>No more digests will go to ${escapeHtml(subscription.email)}.</p>`,
      );
    });
  }

  @Get('subscriptions/manage')
  async showManage(
    @Query('token') token: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, async () => {
      const subscription = await this.subscriptions.byManageToken(token ?? '');
      return this.managePage(subscription, token!, '');
    });
  }

  @Post('subscriptions/manage')
  @HttpCode(200)
  async manage(@Body() body: Form, @Res() reply: FastifyReply): Promise<void> {
    const token = field(body, 'token');
    await page(reply, async () => {
      const subscription = await this.subscriptions.update(token, {
        frequency: oneOf(field(body, 'frequency'), Object.values(DigestFrequency)),
        sendHour: field(body, 'sendHour') === '' ? undefined : Number(field(body, 'sendHour')),
        timezone: field(body, 'timezone') || undefined,
        weekday: WEEKDAYS.includes(field(body, 'weekday') as Weekday)
          ? isoWeekday(field(body, 'weekday') as Weekday)
          : undefined,
        scope: oneOf(field(body, 'scope'), Object.values(DigestScope)),
      });
      return this.managePage(subscription, token, '<p><strong>Saved.</strong></p>');
    });
  }

  @Get('notifications/unsubscribe')
  showNotificationsOff(
    @Query('token') token: string | undefined,
    @Query('list') list: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const what =
      list === 'review' ? 'the daily review digest' : 'emails when the author replies to you';
    send(
      reply,
      200,
      htmlPage(
        'Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop ${what}?</p>
<form method="post" action="/notifications/unsubscribe?list=${encodeURIComponent(list ?? '')}&amp;token=${encodeURIComponent(token ?? '')}">
<button type="submit">Unsubscribe</button></form>`,
      ),
    );
  }

  @Post('notifications/unsubscribe')
  @HttpCode(200)
  async notificationsOff(
    @Query('token') token: string | undefined,
    @Query('list') list: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await page(reply, async () => {
      if (list !== 'replies' && list !== 'review') throw new InvalidLink();
      const id = this.tokens.idOf(token);
      const user = await this.users.findById(id);
      if (!user || !this.tokens.matches(list, token!, id, user.email)) throw new InvalidLink();
      if (list === 'replies') {
        await this.notificationSettings.setReplyEmails(user.id, false);
        return htmlPage(
          'Unsubscribed',
          '<h1>Done</h1><p>You will not get emails when the author replies to you.</p>',
        );
      }
      if (user.role === UserRole.AUTHOR)
        await this.notificationSettings.updateReviewDigest(user.id, { enabled: false });
      return htmlPage('Unsubscribed', '<h1>Done</h1><p>The daily review digest is off.</p>');
    });
  }

  private managePage(
    subscription: DigestSubscriptionEntity,
    token: string,
    notice: string,
  ): string {
    const option = (value: string, current: string, label = value) =>
      `<option value="${value}"${value === current ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    const hours = Array.from({ length: 24 }, (_, h) =>
      option(String(h), String(subscription.sendHour), `${String(h).padStart(2, '0')}:00`),
    ).join('');
    const active = subscription.status !== SubscriptionStatus.UNSUBSCRIBED;
    return htmlPage(
      'Manage your digest',
      `<h1>Your digest</h1>${notice}
<p>For ${escapeHtml(subscription.email)}${active ? '' : ' — <strong>unsubscribed</strong>'}.</p>
<form method="post" action="/subscriptions/manage">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><label>How often <select name="frequency">${option('DAILY', subscription.frequency, 'Daily')}${option('WEEKLY', subscription.frequency, 'Weekly')}</select></label></p>
<p><label>On (weekly) <select name="weekday">${WEEKDAYS.map((day) => option(day, weekdayName(subscription.weekday))).join('')}</select></label></p>
<p><label>At <select name="sendHour">${hours}</select></label></p>
<p><label>Time zone <input name="timezone" value="${escapeHtml(subscription.timezone)}"></label></p>
<p><label>What <select name="scope">${option('ALL_ESSAYS', subscription.scope, 'All essays and conversations')}${subscription.essayId ? option('ESSAY', subscription.scope, "This essay's conversation") : ''}</select></label></p>
<button type="submit">Save</button>
</form>
${active ? `<form method="post" action="/subscriptions/unsubscribe?token=${encodeURIComponent(token)}"><p><button type="submit">Unsubscribe</button></p></form>` : ''}`,
    );
  }
}

function field(body: Form, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

function oneOf<T extends string>(value: string, allowed: T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

async function page(reply: FastifyReply, render: () => Promise<string>): Promise<void> {
  try {
    send(reply, 200, await render());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    send(
      reply,
      400,
      htmlPage(
        'Something is wrong',
        `<h1>That did not work</h1><p>${escapeHtml(error.message)}</p>`,
      ),
    );
  }
}

function send(reply: FastifyReply, status: number, html: string): void {
  void reply.code(status).headers(PAGE_HEADERS).send(html);
}
