import { Field, ID, InputType, OmitType, PartialType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { CreateEssayInput } from './create-essay.input.js';

@InputType()
export class UpdateEssayInput extends PartialType(
  OmitType(CreateEssayInput, ['prompts'] as const),
) {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
