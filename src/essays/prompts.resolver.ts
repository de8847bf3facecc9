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
import { byKey, requestLoader } from '../common/loaders.js';
import { UserEntity } from '../users/user.entity.js';
import { EssayModel } from './essay.model.js';
import { EssaysService } from './essays.service.js';
import { PromptModel } from './prompt.model.js';

@Resolver(() => PromptModel)
export class PromptsResolver {
  constructor(private readonly essayService: EssaysService) {}

  @Query(() => PromptModel)
  async prompt(
    @Viewer() viewer: UserEntity | null,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.essayService.getPrompt(viewer, id));
  }

  @ResolveField(() => EssayModel)
  async essay(
    @Parent() prompt: PromptModel,
    @Context() context: GraphQLContext,
  ): Promise<EssayModel> {
    const essay = await requestLoader(context, 'essayById', async (ids: readonly string[]) =>
      byKey(ids, await this.essayService.findByIds(ids), (essay) => essay.id),
    ).load(prompt.essayId);
    return EssayModel.from(essay!);
  }

  @AuthorOnly()
  @Mutation(() => PromptModel)
  async addPrompt(
    @Args('essayId', { type: () => ID }) essayId: string,
    @Args('text') text: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.essayService.addPrompt(essayId, text));
  }

  @AuthorOnly()
  @Mutation(() => PromptModel)
  async updatePrompt(
    @Args('id', { type: () => ID }) id: string,
    @Args('text') text: string,
  ): Promise<PromptModel> {
    return PromptModel.from(await this.essayService.updatePrompt(id, text));
  }

  @AuthorOnly()
  @Mutation(() => PromptModel)
  async closePrompt(@Args('id', { type: () => ID }) id: string): Promise<PromptModel> {
    return PromptModel.from(await this.essayService.closePrompt(id));
  }

  @AuthorOnly()
  @Mutation(() => PromptModel, { description: 'Opens a closed prompt to new responses again.' })
  async reopenPrompt(@Args('id', { type: () => ID }) id: string): Promise<PromptModel> {
    return PromptModel.from(await this.essayService.reopenPrompt(id));
  }
}
