import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { PromptEntity } from './prompt.entity.js';

@ObjectType('Prompt', { description: 'A question an essay asks its readers.' })
export class PromptModel {
  @Field(() => ID)
  id: string;

  @Field()
  text: string;

  @Field()
  isOpen: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  /** Not a field: the essay field resolver loads it. */
  essayId: string;

  static from(entity: PromptEntity): PromptModel {
    return Object.assign(new PromptModel(), {
      id: entity.id,
      text: entity.text,
      isOpen: entity.isOpen,
      createdAt: entity.createdAt,
      essayId: entity.essayId,
    });
  }
}
