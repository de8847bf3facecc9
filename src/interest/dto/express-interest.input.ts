import { Field, ID, InputType } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { counted, INTEREST_LIMITS } from '../interest.limits.js';

/**
 * Shapes, with the limits stated from INTEREST_LIMITS; InterestService applies
 * the rules (lengths, URL, tags, email, consent).
 */
@InputType()
export class ExpressInterestInput {
  @Field(() => ID, { description: 'A published essay.' })
  @IsString()
  essayId: string;

  @Field({
    description: `Why you would like to work together: 1 to ${counted(INTEREST_LIMITS.message)} characters.`,
  })
  @IsString()
  message: string;

  @Field(() => [String], {
    nullable: true,
    description: `Up to ${INTEREST_LIMITS.areas} tags of at most ${INTEREST_LIMITS.area} characters; trimmed, duplicates dropped.`,
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  areas?: string[] | null;

  @Field({
    description: `What you are building: 1 to ${counted(INTEREST_LIMITS.building)} characters.`,
  })
  @IsString()
  building: string;

  @Field(() => String, { nullable: true, description: 'An http(s) URL to what you are building.' })
  @IsOptional()
  @IsString()
  link?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `When you are free; up to ${counted(INTEREST_LIMITS.availability)} characters.`,
  })
  @IsOptional()
  @IsString()
  availability?: string | null;

  @Field({ description: 'Where the author may reach you.' })
  @IsString()
  contactEmail: string;

  @Field({ description: 'Must be true: you agree that the author may contact you.' })
  @IsBoolean()
  consentToContact: boolean;
}
