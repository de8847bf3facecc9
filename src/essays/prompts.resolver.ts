import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { AuthorOnly, Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { UserEntity } from '../users/user.entity.js';
import { EssayModel } from './essay.model.js';
import { essayLoader } from './essays.loaders.js';
import { EssaysService } from './essays.service.js';
import { PromptModel } from './prompt.model.js';
import { PromptsService } from './prompts.service.js';

@Resolver(() => PromptModel)
export class PromptsResolver {
  constructor(
    private readonly prompts: PromptsService,
    private readonly essays: EssaysService,
  ) {}

  @Query(() => PromptModel)
  async prompt(
    @Viewer() viewer: UserEntity | null,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.prompts.getPrompt(viewer, id));
  }

  @ResolveField(() => EssayModel)
  async essay(
    @Parent() prompt: PromptModel,
    @Context() context: GraphQLContext,
  ): Promise<EssayModel> {
    const essay = await essayLoader(context, this.essays).load(prompt.essayId);
    return EssayModel.from(essay!);
  }

  @AuthorOnly()
  @Mutation(() => PromptModel)
  async addPrompt(
    @Viewer() author: UserEntity,
    @Args('essayId', { type: () => ID }) essayId: string,
    @Args('text') text: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.prompts.addPrompt(author.id, essayId, text));
  }

  @AuthorOnly()
  @Mutation(() => PromptModel)
  async updatePrompt(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
    @Args('text') text: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.prompts.updatePrompt(author.id, id, text));
  }

  @AuthorOnly()
  @Mutation(() => PromptModel)
  async closePrompt(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.prompts.closePrompt(author.id, id));
  }

  @AuthorOnly()
  @Mutation(() => PromptModel, { description: 'Opens a closed prompt to new responses again.' })
  async reopenPrompt(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.prompts.reopenPrompt(author.id, id));
  }
}
