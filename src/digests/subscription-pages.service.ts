import { Injectable } from '@nestjs/common';
import { InvalidLink, LinkTokens } from '../mail/link-tokens.js';
import { UserRole } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import {
  DigestFrequency,
  DigestScope,
  DigestSubscriptionEntity,
} from './digest-subscription.entity.js';
import { NotificationSettingsService } from './notification-settings.service.js';
import { isoWeekday, WEEKDAYS, type Weekday } from './slots.js';
import { SubscriptionsService, type SubscriptionPreferences } from './subscriptions.service.js';

/** The notifications a link in a notice can stop: reply emails, or the author's review digest. */
export type NotificationList = 'replies' | 'review';

/** A posted form: every field a string, or anything at all from a forged request. */
export type PageForm = Record<string, unknown> | undefined;

/**
 * What the pages email links open do, behind their tokens: confirm,
 * unsubscribe, change preferences, stop reply emails or the review digest.
 * Every token is checked against the row it names and the address it was sent to.
 */
@Injectable()
export class SubscriptionPagesService {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly notificationSettings: NotificationSettingsService,
    private readonly users: UsersService,
    private readonly tokens: LinkTokens,
  ) {}

  /** Confirms; answers the subscription and the manage token its page links to. */
  async confirm(
    form: PageForm,
  ): Promise<{ subscription: DigestSubscriptionEntity; manageToken: string }> {
    const subscription = await this.subscriptions.confirm(field(form, 'token'));
    return { subscription, manageToken: this.subscriptions.manageToken(subscription) };
  }

  /** The token comes in the URL (RFC 8058 one-click) or, from the page's own form, the body. */
  unsubscribe(token: string | undefined, form: PageForm): Promise<DigestSubscriptionEntity> {
    return this.subscriptions.unsubscribe(token ?? field(form, 'token'));
  }

  managed(token: string | undefined): Promise<DigestSubscriptionEntity> {
    return this.subscriptions.byManageToken(token ?? '');
  }

  /** Saves the manage form; fields left empty or not one of the choices stay as they are. */
  async update(form: PageForm): Promise<{ subscription: DigestSubscriptionEntity; token: string }> {
    const token = field(form, 'token');
    const weekday = field(form, 'weekday') as Weekday;
    const preferences: SubscriptionPreferences = {
      frequency: oneOf(field(form, 'frequency'), Object.values(DigestFrequency)),
      sendHour: field(form, 'sendHour') === '' ? undefined : Number(field(form, 'sendHour')),
      timezone: field(form, 'timezone') || undefined,
      weekday: WEEKDAYS.includes(weekday) ? isoWeekday(weekday) : undefined,
      scope: oneOf(field(form, 'scope'), Object.values(DigestScope)),
    };
    return { subscription: await this.subscriptions.update(token, preferences), token };
  }

  /**
   * Stops one kind of notification for the user the token names. The review
   * digest is the author's: for anyone else its link changes nothing.
   */
  async notificationsOff(
    list: string | undefined,
    token: string | undefined,
  ): Promise<NotificationList> {
    if (list !== 'replies' && list !== 'review') throw new InvalidLink();
    const id = this.tokens.idOf(token);
    const user = await this.users.findById(id);
    if (!user || !this.tokens.matches(list, token!, id, user.email)) throw new InvalidLink();
    if (list === 'replies') await this.notificationSettings.setReplyEmails(user.id, false);
    else if (user.role === UserRole.AUTHOR) {
      // The link's token names the user, but no one signed in: the audit log names no actor.
      await this.notificationSettings.updateReviewDigest(null, user.id, { enabled: false });
    }
    return list;
  }
}

function field(form: PageForm, name: string): string {
  const value = form?.[name];
  return typeof value === 'string' ? value : '';
}

function oneOf<T extends string>(value: string, allowed: T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}
