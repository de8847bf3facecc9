import { Field, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ESSAY_LIMITS } from '../essay.limits.js';

@InputType()
export class CreateEssayInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(ESSAY_LIMITS.title)
  title: string;

  @Field({ description: 'Markdown.' })
  @IsString()
  @MaxLength(ESSAY_LIMITS.markdown)
  bodyMarkdown: string;

  @Field({ nullable: true, description: 'Derived from the title when left out.' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'slug must be lower-case letters, digits and single dashes',
  })
  @MaxLength(ESSAY_LIMITS.slug)
  slug?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ESSAY_LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(ESSAY_LIMITS.tag, { each: true })
  tags?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ESSAY_LIMITS.entityIds)
  @IsString({ each: true })
  entityIds?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  canonicalUrl?: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Questions for readers; extracted from the closing section when left out.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ESSAY_LIMITS.prompts)
  @IsString({ each: true })
  @MinLength(ESSAY_LIMITS.promptMin, { each: true })
  @MaxLength(ESSAY_LIMITS.prompt, { each: true })
  prompts?: string[];
}
