import {
  Args,
  Context,
  Field,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { AuthorOnly, SignedIn, Viewer } from '../auth/viewer.guard.js';
import { BadUserInput } from '../common/errors.js';
import { rateLimitAddress, type GraphQLContext } from '../common/graphql-context.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { MeModel } from '../users/user.model.js';
import { DigestSubscriptionModel } from './digest-subscription.model.js';
import { DigestSubscriptionEntity } from './digest-subscription.entity.js';
import {
  ReviewDigestSettingsInput,
  SubscribeInput,
  UpdateSubscriptionInput,
  type SubscriptionPreferencesInput,
} from './dto/subscribe.input.js';
import {
  NotificationSettingsService,
  type NotificationSettings,
} from './notification-settings.service.js';
import { isoWeekday, isTimeZone } from './slots.js';
import { SubscriptionsService, type SubscriptionPreferences } from './subscriptions.service.js';

@ObjectType('ReviewDigestSettings', { description: "The author's daily review digest." })
export class ReviewDigestSettingsModel {
  @Field()
  enabled: boolean;

  @Field()
  timezone: string;

  @Field(() => Int)
  sendHour: number;
}

@Resolver(() => DigestSubscriptionModel)
export class DigestsResolver {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly notificationSettings: NotificationSettingsService,
  ) {}

  @Mutation(() => Boolean, {
    description:
      'Subscribes an address (a confirmation email follows). Always true: it reveals nothing.',
  })
  async subscribe(
    @Args('input') input: SubscribeInput,
    @Context() context: GraphQLContext,
  ): Promise<boolean> {
    const { email, ...preferences } = input;
    await this.subscriptions.subscribe(
      email,
      toPreferences(preferences),
      rateLimitAddress(context),
    );
    return true;
  }

  @Mutation(() => DigestSubscriptionModel, {
    description: 'Confirms with the token from the confirmation email.',
  })
  async confirmSubscription(@Args('token') token: string): Promise<DigestSubscriptionModel> {
    return this.toModel(await this.subscriptions.confirm(token));
  }

  @Mutation(() => DigestSubscriptionModel, {
    description: 'Changes preferences with the token from any digest.',
  })
  async updateSubscription(
    @Args('token') token: string,
    @Args('input') input: UpdateSubscriptionInput,
  ): Promise<DigestSubscriptionModel> {
    return this.toModel(await this.subscriptions.update(token, toPreferences(input)));
  }

  @Mutation(() => Boolean, { description: 'Unsubscribes at once; idempotent.' })
  async unsubscribe(@Args('token') token: string): Promise<boolean> {
    await this.subscriptions.unsubscribe(token);
    return true;
  }

  @SignedIn()
  @Query(() => [DigestSubscriptionModel], {
    description: "The signed-in user's subscriptions (by email).",
  })
  async mySubscriptions(@Viewer() viewer: UserEntity): Promise<DigestSubscriptionModel[]> {
    return (await this.subscriptions.mine(viewer)).map((subscription) =>
      this.toModel(subscription),
    );
  }

  @SignedIn()
  @Mutation(() => MeModel, {
    description: 'Reply emails: whether the author replying to you sends you an email.',
  })
  async updateNotificationSettings(
    @Viewer() viewer: UserEntity,
    @Args('replyEmails', { type: () => Boolean, nullable: true }) replyEmails: boolean | null,
  ): Promise<MeModel> {
    if (replyEmails !== null && replyEmails !== undefined)
      await this.notificationSettings.setReplyEmails(viewer.id, replyEmails);
    return MeModel.from(viewer);
  }

  @AuthorOnly()
  @Mutation(() => MeModel, {
    description: "The author's daily review digest: on/off, time zone and hour.",
  })
  async updateReviewDigestSettings(
    @Viewer() viewer: UserEntity,
    @Args('input') input: ReviewDigestSettingsInput,
  ): Promise<MeModel> {
    if (input.timezone !== undefined && input.timezone !== null && !isTimeZone(input.timezone)) {
      throw new BadUserInput(
        `"${input.timezone}" is not an IANA time zone (e.g. Europe/Paris).`,
        'timezone',
      );
    }
    await this.notificationSettings.updateReviewDigest(viewer.id, viewer.id, input);
    return MeModel.from(viewer);
  }

  private toModel(subscription: DigestSubscriptionEntity): DigestSubscriptionModel {
    return DigestSubscriptionModel.from(subscription, this.subscriptions.manageToken(subscription));
  }
}

/** Notification settings on `me`: one read per `me`, however many of its fields are asked for. */
@Resolver(() => MeModel)
export class MeNotificationsResolver {
  private readonly settingsOf = new WeakMap<MeModel, Promise<NotificationSettings>>();

  constructor(private readonly notificationSettings: NotificationSettingsService) {}

  @ResolveField(() => Boolean, { description: 'Whether author replies to you send an email.' })
  async replyEmails(@Parent() me: MeModel): Promise<boolean> {
    return (await this.settings(me)).replyEmails;
  }

  @ResolveField(() => ReviewDigestSettingsModel, {
    nullable: true,
    description: 'The author only; null for readers.',
  })
  async reviewDigest(@Parent() me: MeModel): Promise<ReviewDigestSettingsModel | null> {
    if (me.user.role !== UserRole.AUTHOR) return null;
    const settings = await this.settings(me);
    return {
      enabled: settings.reviewDigestEnabled,
      timezone: settings.reviewDigestTimezone,
      sendHour: settings.reviewDigestHour,
    };
  }

  private settings(me: MeModel): Promise<NotificationSettings> {
    let settings = this.settingsOf.get(me);
    if (!settings) {
      settings = this.notificationSettings.forUser(me.id);
      this.settingsOf.set(me, settings);
    }
    return settings;
  }
}

function toPreferences(input: SubscriptionPreferencesInput): SubscriptionPreferences {
  return {
    scope: input.scope,
    essayId: input.essayId,
    frequency: input.frequency,
    timezone: input.timezone,
    sendHour: input.sendHour,
    weekday: input.weekday ? isoWeekday(input.weekday) : undefined,
  };
}
