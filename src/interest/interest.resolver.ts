import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthorOnly, SignedIn, Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { ConnectionArgs, mapConnection, type Connection } from '../common/pagination.js';
import { EssayModel } from '../essays/essay.model.js';
import { essayLoader } from '../essays/essays.loaders.js';
import { EssaysService } from '../essays/essays.service.js';
import { ResponseModel } from '../responses/response.model.js';
import { UserEntity } from '../users/user.entity.js';
import { MeModel, UserModel } from '../users/user.model.js';
import { userLoader } from '../users/users.loaders.js';
import { UsersService } from '../users/users.service.js';
import { ExpressInterestInput } from './dto/express-interest.input.js';
import { InterestsArgs } from './dto/interests.args.js';
import { UpdateInterestStatusArgs } from './dto/update-interest-status.args.js';
import { canManageInterest } from './interest-access.js';
import { InterestEntity } from './interest.entity.js';
import { CollaboratorInterestConnection, CollaboratorInterestModel } from './interest.model.js';
import { essayReaderKey, interestByEssayReaderLoader } from './interest.loaders.js';
import { InterestService } from './interest.service.js';

function toModels(
  page: Connection<InterestEntity>,
  viewer: UserEntity,
): Connection<CollaboratorInterestModel> {
  return mapConnection(page, (interest) => CollaboratorInterestModel.from(interest, viewer));
}

@Resolver(() => CollaboratorInterestModel)
export class InterestResolver {
  constructor(
    private readonly interestService: InterestService,
    private readonly essays: EssaysService,
    private readonly users: UsersService,
  ) {}

  @AuthorOnly()
  @Query(() => CollaboratorInterestConnection, {
    description: 'Every collaborator interest, newest first. Author only.',
  })
  async collaboratorInterests(
    @Viewer() viewer: UserEntity,
    @Args() args: InterestsArgs,
  ): Promise<Connection<CollaboratorInterestModel>> {
    return toModels(await this.interestService.list(args.filter ?? {}, args), viewer);
  }

  @SignedIn()
  @Mutation(() => CollaboratorInterestModel, {
    description:
      'Offers to collaborate on a published essay. One per reader per essay: sending again ' +
      'replaces the offer and keeps its status.',
  })
  async expressInterest(
    @Viewer() viewer: UserEntity,
    @Args('input') input: ExpressInterestInput,
  ): Promise<CollaboratorInterestModel> {
    return CollaboratorInterestModel.from(
      await this.interestService.express(viewer, input),
      viewer,
    );
  }

  @AuthorOnly()
  @Mutation(() => CollaboratorInterestModel, {
    description:
      'Moves an interest to any pipeline status. `note` left out keeps the private note; ' +
      'null or blank clears it. Author only.',
  })
  async updateInterestStatus(
    @Viewer() viewer: UserEntity,
    @Args() { id, status, note }: UpdateInterestStatusArgs,
  ): Promise<CollaboratorInterestModel> {
    return CollaboratorInterestModel.from(
      await this.interestService.updateStatus(viewer.id, id, status, note),
      viewer,
    );
  }

  @ResolveField(() => EssayModel)
  async essay(
    @Parent() interest: CollaboratorInterestModel,
    @Context() context: GraphQLContext,
  ): Promise<EssayModel> {
    return EssayModel.from((await essayLoader(context, this.essays).load(interest.essayId))!);
  }

  @ResolveField(() => UserModel, { description: 'The reader who sent it.' })
  async reader(
    @Parent() interest: CollaboratorInterestModel,
    @Context() context: GraphQLContext,
  ): Promise<UserModel> {
    return UserModel.from((await userLoader(context, this.users).load(interest.readerId))!);
  }
}

/** `Me.interests`: the offers the signed-in reader sent. */
@Resolver(() => MeModel)
export class MeInterestsResolver {
  constructor(private readonly interestService: InterestService) {}

  @ResolveField(() => CollaboratorInterestConnection, {
    description: 'Your collaborator interests on published essays, newest first.',
  })
  async interests(
    @Parent() me: MeModel,
    @Viewer() viewer: UserEntity | null,
    @Args() args: ConnectionArgs,
  ): Promise<Connection<CollaboratorInterestModel>> {
    if (!viewer || viewer.id !== me.id) return emptyConnection();
    return toModels(await this.interestService.listOwn(viewer, args), viewer);
  }
}

/** `Response.interest`: the writer's offer on the response's essay, for the author. */
@Resolver(() => ResponseModel)
export class ResponseInterestResolver {
  constructor(private readonly interestService: InterestService) {}

  @ResolveField(() => CollaboratorInterestModel, {
    nullable: true,
    description: "The writer's collaborator interest in this essay. Author only; null for others.",
  })
  async interest(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<CollaboratorInterestModel | null> {
    if (!canManageInterest(viewer)) return null;
    const interest = await interestByEssayReaderLoader(context, this.interestService).load(
      essayReaderKey(response.entity.essayId, response.entity.authorId),
    );
    return interest && CollaboratorInterestModel.from(interest, viewer);
  }
}

function emptyConnection<T>(): Connection<T> {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}
