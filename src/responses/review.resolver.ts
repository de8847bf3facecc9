import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthorOnly, Viewer } from '../auth/viewer.guard.js';
import { mapConnection, type Connection } from '../common/pagination.js';
import { UserEntity } from '../users/user.entity.js';
import { ResponseConnection, ResponseModel } from './response.model.js';
import { ReviewQueueArgs } from './dto/review-queue.args.js';
import { ReviewQueueCountsModel } from './review-queue-counts.model.js';
import { ReviewResponseInput, ReviewResponsesArgs } from './dto/review-response.input.js';
import { MAX_BULK_REVIEW, ReviewService } from './review.service.js';

/** The author's review desk. */
@Resolver()
export class ReviewResolver {
  constructor(private readonly review: ReviewService) {}

  @AuthorOnly()
  @Query(() => ResponseConnection, {
    description: 'Responses to triage, with their review fields.',
  })
  async reviewQueue(@Args() args: ReviewQueueArgs): Promise<Connection<ResponseModel>> {
    return mapConnection(await this.review.queue(args), ResponseModel.from);
  }

  @AuthorOnly()
  @Query(() => ReviewQueueCountsModel, {
    description: 'How many responses each saved view of the desk holds. One SQL statement.',
  })
  reviewQueueCounts(): Promise<ReviewQueueCountsModel> {
    return this.review.counts();
  }

  @AuthorOnly()
  @Mutation(() => ResponseModel, {
    description: 'Sets the status, private note and labels of one response.',
  })
  async reviewResponse(
    @Viewer() author: UserEntity,
    @Args('input') input: ReviewResponseInput,
  ): Promise<ResponseModel> {
    const { id, ...changes } = input;
    return ResponseModel.from(await this.review.review(author.id, id, changes));
  }

  @AuthorOnly()
  @Mutation(() => [ResponseModel], {
    description: `Sets one status on up to ${MAX_BULK_REVIEW} responses at once.`,
  })
  async reviewResponses(
    @Viewer() author: UserEntity,
    @Args() { ids, status }: ReviewResponsesArgs,
  ): Promise<ResponseModel[]> {
    return (await this.review.reviewMany(author.id, ids, status)).map(ResponseModel.from);
  }
}
