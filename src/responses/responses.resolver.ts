import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { SignedIn, Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { ConnectionArgs, mapConnection, type Connection } from '../common/pagination.js';
import { EssayModel } from '../essays/essay.model.js';
import { essayLoader, promptLoader } from '../essays/essays.loaders.js';
import { EssaysService } from '../essays/essays.service.js';
import { PromptsService } from '../essays/prompts.service.js';
import { PromptModel } from '../essays/prompt.model.js';
import { UserEntity } from '../users/user.entity.js';
import { UserModel } from '../users/user.model.js';
import { userLoader } from '../users/users.loaders.js';
import { UsersService } from '../users/users.service.js';
import { RespondInput } from './dto/respond.input.js';
import { FormSignalsInput } from './moderation/dto/form-signals.input.js';
import { canReview } from './response-access.js';
import { ResponseEntity, ReviewStatus } from './response.entity.js';
import { ResponseConnection, ResponseEditModel, ResponseModel } from './response.model.js';
import {
  editsLoader,
  firstRepliesLoader,
  replyCountLoader,
  primeVisibleResponses,
  visibleResponseLoader,
} from './responses.loaders.js';
import { ResponsesRepository } from './responses.repository.js';
import { ResponsesService } from './responses.service.js';

@Resolver(() => ResponseModel)
export class ResponsesResolver {
  constructor(
    private readonly responseService: ResponsesService,
    private readonly responses: ResponsesRepository,
    private readonly essays: EssaysService,
    private readonly prompts: PromptsService,
    private readonly users: UsersService,
  ) {}

  @Query(() => ResponseModel)
  async response(
    @Viewer() viewer: UserEntity | null,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ResponseModel> {
    return ResponseModel.from(await this.responseService.getVisible(viewer, id));
  }

  @SignedIn()
  @Mutation(() => ResponseModel, { description: 'Answers an open prompt of a published essay.' })
  async respond(
    @Viewer() viewer: UserEntity,
    @Args('input') input: RespondInput,
    @Context() context: GraphQLContext<UserEntity>,
  ): Promise<ResponseModel> {
    return this.answerNew(context, viewer, await this.responseService.respond(viewer, input));
  }

  @SignedIn()
  @Mutation(() => ResponseModel, {
    description: 'Replies in a thread; the reply inherits its visibility.',
  })
  async replyToResponse(
    @Viewer() viewer: UserEntity,
    @Args('responseId', { type: () => ID }) responseId: string,
    @Args('body') body: string,
    @Context() context: GraphQLContext<UserEntity>,
    @Args('form', { type: () => FormSignalsInput, nullable: true }) form?: FormSignalsInput | null,
  ): Promise<ResponseModel> {
    const reply = await this.responseService.reply(viewer, responseId, body, form);
    return this.answerNew(context, viewer, reply);
  }

  @SignedIn()
  @Mutation(() => ResponseModel, { description: 'The writer edits; earlier versions are kept.' })
  async editResponse(
    @Viewer() viewer: UserEntity,
    @Args('id', { type: () => ID }) id: string,
    @Args('body') body: string,
  ): Promise<ResponseModel> {
    return ResponseModel.from(await this.responseService.edit(viewer, id, body));
  }

  @SignedIn()
  @Mutation(() => ResponseModel, { description: 'Soft delete by the writer or the author.' })
  async deleteResponse(
    @Viewer() viewer: UserEntity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ResponseModel> {
    return ResponseModel.from(await this.responseService.delete(viewer, id));
  }

  /*
   * The fields every response of a page asks for take graphql-js's own
   * arguments (parent, args, context) and no parameter decorators: NestJS then
   * calls them directly instead of through its per-call pipeline of parameter
   * factories and pipes, which a page of 50 responses paid 100 times. The
   * viewer is the one ViewerGuard put on the context before any field ran.
   */

  @ResolveField(() => PromptModel)
  async prompt(
    response: ResponseModel,
    _args: unknown,
    context: GraphQLContext,
  ): Promise<PromptModel> {
    return PromptModel.from(
      (await promptLoader(context, this.prompts).load(response.entity.promptId))!,
    );
  }

  @ResolveField(() => EssayModel)
  async essay(
    @Parent() response: ResponseModel,
    @Context() context: GraphQLContext,
  ): Promise<EssayModel> {
    return EssayModel.from(
      (await essayLoader(context, this.essays).load(response.entity.essayId))!,
    );
  }

  @ResolveField(() => UserModel, { description: 'The writer.' })
  async author(
    response: ResponseModel,
    _args: unknown,
    context: GraphQLContext,
  ): Promise<UserModel> {
    return UserModel.from((await userLoader(context, this.users).load(response.entity.authorId))!);
  }

  @ResolveField(() => ResponseModel, { nullable: true })
  async parent(
    response: ResponseModel,
    _args: unknown,
    context: GraphQLContext<UserEntity>,
  ): Promise<ResponseModel | null> {
    if (!response.entity.parentId) return null;
    const viewer = context.viewer ?? null;
    const parent = await visibleResponseLoader(context, this.responses, viewer).load(
      response.entity.parentId,
    );
    return parent ? ResponseModel.from(parent) : null;
  }

  @ResolveField(() => ResponseConnection, { description: 'Replies, oldest first.' })
  async replies(
    @Parent() response: ResponseModel,
    @Args() args: ConnectionArgs,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<Connection<ResponseModel>> {
    const page = args.after
      ? await this.responses.listReplies(viewer, response.id, args)
      : await firstRepliesLoader(context, this.responses, viewer, args.first ?? 20).load(
          response.id,
        );
    primeVisibleResponses(context, this.responses, viewer, page);
    return mapConnection(page, ResponseModel.from);
  }

  @ResolveField(() => Int, { description: 'Replies the asker may see.' })
  replyCount(
    response: ResponseModel,
    _args: unknown,
    context: GraphQLContext<UserEntity>,
  ): Promise<number> {
    return replyCountLoader(context, this.responses, context.viewer ?? null).load(response.id);
  }

  @ResolveField(() => [ResponseEditModel], {
    nullable: true,
    description: 'Earlier versions, newest first: for the writer and the author, null for others.',
  })
  async edits(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<ResponseEditModel[] | null> {
    if (!canReview(viewer) && viewer?.id !== response.entity.authorId) return null;
    const edits = await editsLoader(context, this.responses).load(response.id);
    return edits.map((edit) => ({ body: edit.bodyMarkdown, replacedAt: edit.replacedAt }));
  }

  @ResolveField(() => ReviewStatus, {
    nullable: true,
    description: 'Author only; null for others.',
  })
  reviewStatus(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
  ): ReviewStatus | null {
    return canReview(viewer) ? response.entity.reviewStatus : null;
  }

  @ResolveField(() => String, { nullable: true, description: 'Author only; null for others.' })
  reviewNote(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
  ): string | null {
    return canReview(viewer) ? response.entity.reviewNote : null;
  }

  @ResolveField(() => [String], { nullable: true, description: 'Author only; null for others.' })
  labels(@Parent() response: ResponseModel, @Viewer() viewer: UserEntity | null): string[] | null {
    return canReview(viewer) ? response.entity.labels : null;
  }

  @ResolveField(() => Date, { nullable: true, description: 'Author only; null for others.' })
  reviewedAt(@Parent() response: ResponseModel, @Viewer() viewer: UserEntity | null): Date | null {
    return canReview(viewer) ? response.entity.reviewedAt : null;
  }

  /**
   * The answer to a mutation that wrote a response: it has no replies yet and
   * its writer is the viewer, so the request's loaders know both already.
   */
  private answerNew(
    context: GraphQLContext<UserEntity>,
    viewer: UserEntity,
    created: ResponseEntity,
  ): ResponseModel {
    replyCountLoader(context, this.responses, context.viewer ?? null).prime(created.id, 0);
    userLoader(context, this.users).prime(viewer.id, viewer);
    return ResponseModel.from(created);
  }
}
