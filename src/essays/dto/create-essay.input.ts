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

@InputType()
export class CreateEssayInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @Field({ description: 'Markdown.' })
  @IsString()
  @MaxLength(500_000)
  bodyMarkdown: string;

  @Field({ nullable: true, description: 'Derived from the title when left out.' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'slug must be lower-case letters, digits and single dashes',
  })
  @MaxLength(120)
  slug?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  tags?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
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
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(500, { each: true })
  prompts?: string[];
}
