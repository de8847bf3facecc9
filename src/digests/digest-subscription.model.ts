import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { WEEKDAYS, weekdayName, type Weekday } from './slots.js';
import {
  DigestFrequency,
  DigestScope,
  DigestSubscriptionEntity,
  SubscriptionStatus,
} from './digest-subscription.entity.js';

registerEnumType(DigestScope, {
  name: 'DigestScope',
  valuesMap: {
    ALL_ESSAYS: { description: 'New essays and their conversations.' },
    ESSAY: { description: "One essay's conversation." },
  },
});
registerEnumType(DigestFrequency, { name: 'DigestFrequency' });
registerEnumType(SubscriptionStatus, { name: 'DigestSubscriptionStatus' });

export const WeekdayEnum = Object.fromEntries(WEEKDAYS.map((day) => [day, day])) as Record<
  Weekday,
  Weekday
>;
registerEnumType(WeekdayEnum, { name: 'Weekday' });

@ObjectType('DigestSubscription', { description: 'An email digest subscription (double opt-in).' })
export class DigestSubscriptionModel {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field(() => DigestScope)
  scope: DigestScope;

  @Field(() => ID, { nullable: true })
  essayId: string | null;

  @Field(() => DigestFrequency)
  frequency: DigestFrequency;

  @Field()
  timezone: string;

  @Field(() => Int)
  sendHour: number;

  @Field(() => WeekdayEnum)
  weekday: Weekday;

  @Field(() => SubscriptionStatus)
  status: SubscriptionStatus;

  @Field(() => GraphQLISODateTime, { nullable: true })
  confirmedAt: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field({ description: 'For updateSubscription and unsubscribe; only its owner sees it.' })
  token: string;

  static from(entity: DigestSubscriptionEntity, token: string): DigestSubscriptionModel {
    return Object.assign(new DigestSubscriptionModel(), {
      id: entity.id,
      email: entity.email,
      scope: entity.scope,
      essayId: entity.essayId,
      frequency: entity.frequency,
      timezone: entity.timezone,
      sendHour: entity.sendHour,
      weekday: weekdayName(entity.weekday),
      status: entity.status,
      confirmedAt: entity.confirmedAt,
      createdAt: entity.createdAt,
      token,
    });
  }
}
