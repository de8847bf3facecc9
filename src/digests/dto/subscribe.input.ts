import { Field, ID, InputType, Int, PartialType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { WeekdayEnum } from '../digest-subscription.model.js';
import { DigestFrequency, DigestScope } from '../digest-subscription.entity.js';
import type { Weekday } from '../slots.js';

@InputType()
export class SubscriptionPreferencesInput {
  @Field(() => DigestScope, { nullable: true, description: 'Default ALL_ESSAYS.' })
  @IsOptional()
  @IsEnum(DigestScope)
  scope?: DigestScope;

  @Field(() => ID, { nullable: true, description: 'Required when scope is ESSAY.' })
  @IsOptional()
  @IsUUID('all', { message: 'essayId must be an essay id' })
  essayId?: string;

  @Field(() => DigestFrequency, { nullable: true, description: 'Default DAILY.' })
  @IsOptional()
  @IsEnum(DigestFrequency)
  frequency?: DigestFrequency;

  @Field({ nullable: true, description: 'An IANA time zone name; default UTC.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @Field(() => Int, { nullable: true, description: 'Local hour, 0–23; default 8.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  sendHour?: number;

  @Field(() => WeekdayEnum, { nullable: true, description: 'For weekly digests; default MONDAY.' })
  @IsOptional()
  @IsEnum(WeekdayEnum)
  weekday?: Weekday;
}

@InputType()
export class SubscribeInput extends SubscriptionPreferencesInput {
  /** Checked and normalised by the one address rule (common/email-address.ts) in the service. */
  @Field({ description: 'One plain address, like name@example.org.' })
  @IsString()
  email: string;
}

@InputType()
export class UpdateSubscriptionInput extends PartialType(SubscriptionPreferencesInput) {}

@InputType()
export class ReviewDigestSettingsInput {
  @Field({ nullable: true })
  @IsOptional()
  enabled?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  sendHour?: number;
}
