import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { counted, INTEREST_LIMITS } from '../interest.limits.js';

/** Text is measured after trimming (an area also with its inner whitespace collapsed). */
const trimmed = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);
const trimmedAreas = Transform(({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? value.map((area: unknown) =>
        typeof area === 'string' ? area.trim().replace(/\s+/g, ' ') : area,
      )
    : value,
);
const longerThan = (field: string, max: number) => ({
  message: `${field} is longer than ${max} characters.`,
});

/**
 * The shape and the limits (from INTEREST_LIMITS); InterestService applies
 * the rules: consent, the URL, distinct areas and how many, the address.
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
  @trimmed
  @IsNotEmpty({ message: 'message is required.' })
  @MaxLength(INTEREST_LIMITS.message, longerThan('message', INTEREST_LIMITS.message))
  message: string;

  @Field(() => [String], {
    nullable: true,
    description: `Up to ${INTEREST_LIMITS.areas} tags of at most ${INTEREST_LIMITS.area} characters; trimmed, duplicates dropped.`,
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @trimmedAreas
  @MaxLength(INTEREST_LIMITS.area, {
    each: true,
    message: `Each area is at most ${INTEREST_LIMITS.area} characters.`,
  })
  areas?: string[] | null;

  @Field({
    description: `What you are building: 1 to ${counted(INTEREST_LIMITS.building)} characters.`,
  })
  @IsString()
  @trimmed
  @IsNotEmpty({ message: 'building is required.' })
  @MaxLength(INTEREST_LIMITS.building, longerThan('building', INTEREST_LIMITS.building))
  building: string;

  @Field(() => String, { nullable: true, description: 'An http(s) URL to what you are building.' })
  @IsOptional()
  @IsString()
  @trimmed
  @MaxLength(INTEREST_LIMITS.link, longerThan('link', INTEREST_LIMITS.link))
  link?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `When you are free; up to ${counted(INTEREST_LIMITS.availability)} characters.`,
  })
  @IsOptional()
  @IsString()
  @trimmed
  @MaxLength(INTEREST_LIMITS.availability, longerThan('availability', INTEREST_LIMITS.availability))
  availability?: string | null;

  @Field({ description: 'Where the author may reach you.' })
  @IsString()
  contactEmail: string;

  @Field({ description: 'Must be true: you agree that the author may contact you.' })
  @IsBoolean()
  consentToContact: boolean;
}
