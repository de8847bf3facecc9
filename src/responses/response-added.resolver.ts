import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { AuthService } from '../auth/auth.service.js';
import { Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { RequestLoaders } from '../common/loaders.js';
import { PromptsService } from '../essays/prompts.service.js';
import { UserEntity } from '../users/user.entity.js';
import { isAuthor } from './response-access.js';
import { ResponseVisibility } from './response.entity.js';
import { ResponseModel } from './response.model.js';
import { ResponsesPubSub, type ResponseAddedEvent } from './responses.pubsub.js';
import { ResponsesService } from './responses.service.js';

/**
 * Live responses on a prompt over graphql-ws. Everyone receives public ones;
 * the author (token in connectionParams) also receives private ones, and a
 * private thread's writer receives replies in it. The filter only narrows by
 * what the event carries; each event is then read through the one visibility
 * rule (getVisible), like any other read.
 */
@Resolver(() => ResponseModel)
export class ResponseAddedResolver {
  constructor(
    private readonly pubsub: ResponsesPubSub,
    private readonly prompts: PromptsService,
    private readonly responses: ResponsesService,
    private readonly auth: AuthService,
  ) {}

  @Subscription(() => ResponseModel, {
    async filter(
      this: ResponseAddedResolver,
      event: ResponseAddedEvent,
      _args: unknown,
      context: GraphQLContext<UserEntity>,
    ) {
      if (event.visibility === ResponseVisibility.PUBLIC) return true;
      const viewer = context.viewer ?? null;
      if (!viewer || !(isAuthor(viewer) || viewer.id === event.threadOwnerId)) return false;
      // The subscription outlives requests: a session signed out since it began gets no private event.
      return this.auth.stillSignedIn(viewer);
    },
    async resolve(
      this: ResponseAddedResolver,
      event: ResponseAddedEvent,
      _args: unknown,
      context: GraphQLContext<UserEntity>,
    ) {
      // One context serves the whole subscription: each event gets fresh loaders,
      // or counts and rows cached for an earlier event would be pushed again.
      context.loaders = new RequestLoaders();
      return ResponseModel.from(
        await this.responses.getVisible(context.viewer ?? null, event.responseId),
      );
    },
  })
  async responseAdded(
    @Args('promptId', { type: () => ID }) promptId: string,
    @Viewer() viewer: UserEntity | null,
  ): Promise<AsyncIterator<ResponseAddedEvent>> {
    const prompt = await this.prompts.getPrompt(viewer, promptId);
    return this.pubsub.engine.asyncIterableIterator<ResponseAddedEvent>(
      this.pubsub.channel(prompt.id),
    );
  }
}
