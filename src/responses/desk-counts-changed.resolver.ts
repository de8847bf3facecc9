import { Resolver, Subscription } from '@nestjs/graphql';
import { AuthService } from '../auth/auth.service.js';
import { Viewer } from '../auth/viewer.guard.js';
import { Forbidden, Unauthenticated } from '../common/errors.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { UserEntity } from '../users/user.entity.js';
import { isAuthor } from './response-access.js';
import { ReviewQueueCountsModel } from './review-queue-counts.model.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import type { ReviewQueueCounts } from './responses.repository.js';
import { ReviewService } from './review.service.js';

/**
 * The desk's saved-view counts, pushed whenever the queue changes (a response
 * came or left, was triaged, held, approved, reported). The event carries
 * nothing; the counts are the same for every author, so each announcement is
 * counted once per instance, however many desks are open on it. Only the
 * author receives them, and a session signed out since the subscription began
 * receives nothing more.
 */
@Resolver()
export class DeskCountsChangedResolver {
  /** Each announcement's counts, shared by the desks that receive it (the same event object). */
  private readonly countsFor = new WeakMap<object, Promise<ReviewQueueCounts>>();

  constructor(
    private readonly pubsub: ResponsesPubSub,
    private readonly review: ReviewService,
    private readonly auth: AuthService,
  ) {}

  @Subscription(() => ReviewQueueCountsModel, {
    description:
      'The saved views’ counts (reviewQueueCounts) each time they may have changed. Author only.',
    async filter(
      this: DeskCountsChangedResolver,
      _event: unknown,
      _args: unknown,
      context: GraphQLContext<UserEntity>,
    ) {
      const viewer = context.viewer ?? null;
      return viewer !== null && isAuthor(viewer) && this.auth.stillSignedIn(viewer);
    },
    resolve(this: DeskCountsChangedResolver, event: object) {
      let counts = this.countsFor.get(event);
      if (!counts) {
        counts = this.review.counts();
        this.countsFor.set(event, counts);
      }
      return counts;
    },
  })
  deskCountsChanged(@Viewer() viewer: UserEntity | null): AsyncIterator<unknown> {
    if (!viewer) throw new Unauthenticated();
    if (!isAuthor(viewer)) throw new Forbidden('Only the author can follow the desk.');
    return this.pubsub.engine.asyncIterableIterator(this.pubsub.deskCountsChannel());
  }
}
