import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { mapConnection, type Connection } from '../common/pagination.js';
import { EssayModel } from '../essays/essay.model.js';
import { PromptModel } from '../essays/prompt.model.js';
import { UserEntity } from '../users/user.entity.js';
import { PromptResponsesArgs } from './dto/responses.args.js';
import { ResponseConnection, ResponseModel, ResponseOrder } from './response.model.js';
import {
  essayResponseCountLoader,
  firstPromptResponsesLoader,
  primeVisibleResponses,
  promptResponseCountLoader,
} from './responses.loaders.js';
import { ResponsesRepository } from './responses.repository.js';

/** The conversation fields on prompts and essays. */
@Resolver(() => PromptModel)
export class PromptResponsesResolver {
  constructor(private readonly responseService: ResponsesRepository) {}

  @ResolveField(() => ResponseConnection, { description: 'Top-level responses the asker may see.' })
  async responses(
    @Parent() prompt: PromptModel,
    @Args() args: PromptResponsesArgs,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<Connection<ResponseModel>> {
    // The first page of every prompt in a request comes from one statement.
    const page = args.after
      ? await this.responseService.listForPrompt(viewer, prompt.id, args)
      : await firstPromptResponsesLoader(
          context,
          this.responseService,
          viewer,
          args.first ?? 20,
          args.order ?? ResponseOrder.NEWEST,
        ).load(prompt.id);
    primeVisibleResponses(context, this.responseService, viewer, page);
    return mapConnection(page, ResponseModel.from);
  }

  @ResolveField(() => Int, { description: 'Top-level responses the asker may see.' })
  responseCount(
    @Parent() prompt: PromptModel,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<number> {
    return promptResponseCountLoader(context, this.responseService, viewer).load(prompt.id);
  }
}

@Resolver(() => EssayModel)
export class EssayResponsesResolver {
  constructor(private readonly responseService: ResponsesRepository) {}

  @ResolveField(() => Int, { description: 'Top-level responses to its prompts the asker may see.' })
  responseCount(
    @Parent() essay: EssayModel,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<number> {
    return essayResponseCountLoader(context, this.responseService, viewer).load(essay.id);
  }
}
