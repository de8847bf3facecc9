import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { EssaysService } from '../essays/essays.service.js';
import { UserEntity } from '../users/user.entity.js';
import { isAuthor } from './response-access.js';
import { ResponseVisibility } from './response.entity.js';
import { ResponsesPubSub, type ResponseRemovedEvent } from './responses.pubsub.js';

/**
 * The ids of an essay's responses that were out and are held again (an edit
 * that needs review), over graphql-ws, so open conversations take them out:
 * one subscription per page, beside one responseAdded per open prompt.
 * Everyone hears, except its writer and the author, who still see it
 * (awaiting review). A private response is seen by no one else, so only
 * public ones are told.
 */
@Resolver()
export class ResponseRemovedResolver {
  constructor(
    private readonly pubsub: ResponsesPubSub,
    private readonly essays: EssaysService,
  ) {}

  @Subscription(() => ID, {
    description:
      'Ids of the essay’s responses that are no longer shown (held for review after they went out): take them out.',
    filter(event: ResponseRemovedEvent, _args: unknown, context: GraphQLContext<UserEntity>) {
      if (event.visibility !== ResponseVisibility.PUBLIC) return false;
      const viewer = context.viewer ?? null;
      return !viewer || (!isAuthor(viewer) && viewer.id !== event.writerId);
    },
    resolve: (event: ResponseRemovedEvent) => event.responseId,
  })
  async responseRemoved(
    @Args('essayId', { type: () => ID }) essayId: string,
    @Viewer() viewer: UserEntity | null,
  ): Promise<AsyncIterator<ResponseRemovedEvent>> {
    const essay = await this.essays.getVisible(viewer, essayId);
    return this.pubsub.engine.asyncIterableIterator<ResponseRemovedEvent>(
      this.pubsub.removedChannel(essay.id),
    );
  }
}
