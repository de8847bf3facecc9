import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { FormSignalsInput } from '../moderation/dto/form-signals.input.js';
import { ResponseVisibility } from '../response.entity.js';

@InputType()
export class RespondInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'promptId must be a prompt id' })
  promptId: string;

  @Field({
    description: 'Markdown: not empty after trimming, at most RESPONSE_MAX_LENGTH characters.',
  })
  @IsString()
  body: string;

  @Field(() => ResponseVisibility, { nullable: true, defaultValue: ResponseVisibility.PUBLIC })
  @IsOptional()
  @IsEnum(ResponseVisibility)
  visibility?: ResponseVisibility;

  @Field(() => FormSignalsInput, { nullable: true, description: 'Sent by the browser forms.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FormSignalsInput)
  form?: FormSignalsInput | null;
}
