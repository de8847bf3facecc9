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
import type { GraphQLContext } from '../common/graphql-context.js';
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
import { NoticesService } from './notices.service.js';
import { isoWeekday, isTimeZone } from './slots.js';
import { SubscriptionsService, type SubscriptionPreferences } from './subscriptions.service.js';
import { UsersService } from '../users/users.service.js';

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
    private readonly notices: NoticesService,
    private readonly users: UsersService,
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
      context.clientIp ?? 'unknown',
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
    if (replyEmails === null || replyEmails === undefined) return MeModel.from(viewer);
    return MeModel.from(await this.notices.setReplyEmails(viewer.id, replyEmails));
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
    return MeModel.from(await this.users.updateReviewDigest(viewer.id, input));
  }

  private toModel(subscription: DigestSubscriptionEntity): DigestSubscriptionModel {
    return DigestSubscriptionModel.from(subscription, this.subscriptions.manageToken(subscription));
  }
}

/** Notification settings on `me`, read from the row `me` was made from. */
@Resolver(() => MeModel)
export class MeNotificationsResolver {
  @ResolveField(() => Boolean, { description: 'Whether author replies to you send an email.' })
  replyEmails(@Parent() me: MeModel): boolean {
    return me.user.replyEmails;
  }

  @ResolveField(() => ReviewDigestSettingsModel, {
    nullable: true,
    description: 'The author only; null for readers.',
  })
  reviewDigest(@Parent() me: MeModel): ReviewDigestSettingsModel | null {
    const { user } = me;
    if (user.role !== UserRole.AUTHOR) return null;
    return {
      enabled: user.reviewDigestEnabled,
      timezone: user.reviewDigestTimezone,
      sendHour: user.reviewDigestHour,
    };
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
