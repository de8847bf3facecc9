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
import { mapConnection, type Connection } from '../common/pagination.js';
import { UserEntity } from '../users/user.entity.js';
import { CreateEssayInput } from './dto/create-essay.input.js';
import { EssaysArgs } from './dto/essays.args.js';
import { UpdateEssayInput } from './dto/update-essay.input.js';
import { EssayConnection, EssayModel } from './essay.model.js';
import { essayLoader, promptLoader, promptsOfEssayLoader } from './essays.loaders.js';
import { EssayImportService } from './essay-import.service.js';
import { EssaysService } from './essays.service.js';
import { PromptsService } from './prompts.service.js';
import { PromptModel } from './prompt.model.js';

@Resolver(() => EssayModel)
export class EssaysResolver {
  constructor(
    private readonly essayService: EssaysService,
    private readonly promptService: PromptsService,
    private readonly essayImport: EssayImportService,
  ) {}

  @Query(() => EssayConnection, { description: 'Newest first. Readers see published essays only.' })
  async essays(
    @Viewer() viewer: UserEntity | null,
    @Args() args: EssaysArgs,
  ): Promise<Connection<EssayModel>> {
    return mapConnection(await this.essayService.list(viewer, args), EssayModel.from);
  }

  @Query(() => EssayModel)
  async essay(
    @Viewer() viewer: UserEntity | null,
    @Args('slug') slug: string,
    @Context() context: GraphQLContext,
  ): Promise<EssayModel> {
    const essay = await this.essayService.getBySlug(viewer, slug);
    // Its prompts' and responses' `essay` fields ask for it again by id.
    essayLoader(context, this.essayService).prime(essay.id, essay);
    return EssayModel.from(essay);
  }

  @ResolveField(() => [PromptModel])
  async prompts(
    @Parent() essay: EssayModel,
    @Context() context: GraphQLContext,
  ): Promise<PromptModel[]> {
    const prompts = await promptsOfEssayLoader(context, this.promptService).load(essay.id);
    // Responses' `prompt` fields ask for them again by id.
    const byId = promptLoader(context, this.promptService);
    for (const prompt of prompts) byId.prime(prompt.id, prompt);
    return prompts.map(PromptModel.from);
  }

  @AuthorOnly()
  @Mutation(() => EssayModel, {
    description: 'Creates or updates the essay a markdown file describes.',
  })
  async importEssay(
    @Viewer() author: UserEntity,
    @Args('markdown') markdown: string,
  ): Promise<EssayModel> {
    return EssayModel.from(
      (await this.essayImport.importMarkdown(author.id, author, markdown)).essay,
    );
  }

  @AuthorOnly()
  @Mutation(() => EssayModel)
  async createEssay(
    @Viewer() author: UserEntity,
    @Args('input') input: CreateEssayInput,
  ): Promise<EssayModel> {
    return EssayModel.from(await this.essayService.create(author, input));
  }

  @AuthorOnly()
  @Mutation(() => EssayModel)
  async updateEssay(
    @Viewer() author: UserEntity,
    @Args('input') input: UpdateEssayInput,
  ): Promise<EssayModel> {
    const { id, ...changes } = input;
    return EssayModel.from(await this.essayService.update(author.id, id, changes));
  }

  @AuthorOnly()
  @Mutation(() => EssayModel)
  async publishEssay(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<EssayModel> {
    return EssayModel.from(await this.essayService.publish(author.id, author, id));
  }

  @AuthorOnly()
  @Mutation(() => EssayModel)
  async archiveEssay(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<EssayModel> {
    return EssayModel.from(await this.essayService.archive(author.id, id));
  }
}
