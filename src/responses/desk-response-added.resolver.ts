import { RequestLoaders } from '../common/loaders.js';
import { Resolver, Subscription } from '@nestjs/graphql';
import { AuthService } from '../auth/auth.service.js';
import { Viewer } from '../auth/viewer.guard.js';
import { Forbidden, Unauthenticated } from '../common/errors.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { UserEntity } from '../users/user.entity.js';
import { isAuthor } from './response-access.js';
import { ResponseModel } from './response.model.js';
import { ResponsesPubSub, type ResponseAddedEvent } from './responses.pubsub.js';
import { ResponsesService } from './responses.service.js';

/**
 * The desk's live feed: every new response and reply on any essay, public or
 * private, for the author only. The event carries ids; each push is resolved
 * with the subscriber's own permissions, and a session signed out since the
 * subscription began receives nothing more.
 */
@Resolver(() => ResponseModel)
export class DeskResponseAddedResolver {
  constructor(
    private readonly pubsub: ResponsesPubSub,
    private readonly responses: ResponsesService,
    private readonly auth: AuthService,
  ) {}

  @Subscription(() => ResponseModel, {
    description: 'Every new response and reply, for the author’s desk. Author only.',
    async filter(
      this: DeskResponseAddedResolver,
      _event: ResponseAddedEvent,
      _args: unknown,
      context: GraphQLContext<UserEntity>,
    ) {
      const viewer = context.viewer ?? null;
      return viewer !== null && isAuthor(viewer) && this.auth.stillSignedIn(viewer);
    },
    async resolve(
      this: DeskResponseAddedResolver,
      event: ResponseAddedEvent,
      _args: unknown,
      context: GraphQLContext<UserEntity>,
    ) {
      // One context serves the whole subscription: each event gets fresh loaders.
      context.loaders = new RequestLoaders();
      return ResponseModel.from(
        await this.responses.getVisible(context.viewer ?? null, event.responseId),
      );
    },
  })
  deskResponseAdded(@Viewer() viewer: UserEntity | null): AsyncIterator<ResponseAddedEvent> {
    if (!viewer) throw new Unauthenticated();
    if (!isAuthor(viewer)) throw new Forbidden('Only the author can follow the desk.');
    return this.pubsub.engine.asyncIterableIterator<ResponseAddedEvent>(this.pubsub.deskChannel());
  }
}
