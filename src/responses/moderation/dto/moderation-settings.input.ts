import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsArray, IsEnum, IsInt, IsOptional, IsString, IsUUID } from 'class-validator';
import { ModerationMode } from '../moderation-settings.entity.js';

@InputType({ description: 'Fields left out keep their value.' })
export class ModerationSettingsInput {
  @Field(() => ID, {
    nullable: true,
    description: "Set this essay's own settings; omit for global.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'essayId must be an essay id' })
  essayId?: string | null;

  @Field(() => ModerationMode, { nullable: true })
  @IsOptional()
  @IsEnum(ModerationMode)
  mode?: ModerationMode | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  blockedTerms?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'null removes the limit.' })
  @IsOptional()
  @IsInt()
  maxLinks?: number | null;
}
