import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ConnectionArgs } from '../../common/pagination.js';
import { ModerationState } from '../moderation/moderation-state.js';
import { ReviewStatus } from '../response.entity.js';

export enum ReviewOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  RELEVANCE = 'RELEVANCE',
}
registerEnumType(ReviewOrder, {
  name: 'ReviewOrder',
  valuesMap: { RELEVANCE: { description: 'Best full-text match first (needs filter.search).' } },
});

@InputType()
export class ReviewQueueFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  essayId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  promptId?: string;

  @Field(() => ReviewStatus, {
    nullable: true,
    description: 'Left out: everything but ARCHIVED and SPAM.',
  })
  @IsOptional()
  @IsEnum(ReviewStatus)
  status?: ReviewStatus;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  label?: string;

  @Field({ nullable: true, description: 'Full-text search over response bodies.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @Field({
    nullable: true,
    description: 'Only responses whose writer offered to collaborate on the essay (or not).',
  })
  @IsOptional()
  @IsBoolean()
  hasInterest?: boolean;

  @Field(() => ID, { nullable: true, description: "Only this reader's responses." })
  @IsOptional()
  @IsUUID('all', { message: 'writerId must be a user id' })
  writerId?: string;

  @Field({
    nullable: true,
    description: 'Only public responses older than 48 hours without a reply from the author.',
  })
  @IsOptional()
  @IsBoolean()
  needsReply?: boolean;

  @Field(() => ModerationState, {
    nullable: true,
    description: 'Only responses in this moderation state (HELD: awaiting the author).',
  })
  @IsOptional()
  @IsEnum(ModerationState)
  moderationState?: ModerationState;

  @Field({
    nullable: true,
    description: 'Only responses with an open report (true) or without one (false).',
  })
  @IsOptional()
  @IsBoolean()
  reported?: boolean;
}

@ArgsType()
export class ReviewQueueArgs extends ConnectionArgs {
  @Field(() => ReviewQueueFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReviewQueueFilter)
  filter?: ReviewQueueFilter;

  @Field(() => ReviewOrder, {
    nullable: true,
    description: 'Default: RELEVANCE when searching, else NEWEST.',
  })
  @IsOptional()
  @IsEnum(ReviewOrder)
  order?: ReviewOrder;
}
