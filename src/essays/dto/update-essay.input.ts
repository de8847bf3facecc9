import { Field, ID, InputType, OmitType, PartialType } from '@nestjs/graphql';
import { IsString } from 'class-validator';
import { CreateEssayInput } from './create-essay.input.js';

@InputType()
export class UpdateEssayInput extends PartialType(
  OmitType(CreateEssayInput, ['prompts'] as const),
) {
  /** Any string: an id that names no essay is NOT_FOUND, as for the other essay mutations. */
  @Field(() => ID)
  @IsString()
  id: string;
}
