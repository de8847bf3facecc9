import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { INTEREST_LIMITS } from '../interest.limits.js';
import { InterestStatus } from '../interest.entity.js';

@ArgsType()
export class UpdateInterestStatusArgs {
  @Field(() => ID)
  id: string;

  @Field(() => InterestStatus)
  status: InterestStatus;

  /** Measured after trimming; blank clears the note (InterestService). */
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(INTEREST_LIMITS.note, {
    message: `note is longer than ${INTEREST_LIMITS.note} characters.`,
  })
  note?: string | null;
}
