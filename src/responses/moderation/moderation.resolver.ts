import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthorOnly, Viewer } from '../../auth/viewer.guard.js';
import type { GraphQLContext } from '../../common/graphql-context.js';
import { UserEntity } from '../../users/user.entity.js';
import { canReview } from '../response-access.js';
import { ResponseModel } from '../response.model.js';
import { ModerationSettingsInput } from './dto/moderation-settings.input.js';
import { HeldReason, ModerationState } from './moderation-state.js';
import { ModerationSettingsModel } from './moderation.model.js';
import { ModerationService } from './moderation.service.js';

@Resolver(() => ModerationSettingsModel)
export class ModerationResolver {
  constructor(private readonly moderation: ModerationService) {}

  @AuthorOnly()
  @Query(() => ModerationSettingsModel, {
    description: 'Author only: the global settings, or those that apply to one essay.',
  })
  async moderationSettings(
    @Args('essayId', { type: () => ID, nullable: true }) essayId?: string | null,
  ): Promise<ModerationSettingsModel> {
    return ModerationSettingsModel.from(await this.moderation.settings(essayId));
  }

  @AuthorOnly()
  @Mutation(() => ModerationSettingsModel, { description: 'Author only.' })
  async updateModerationSettings(
    @Viewer() author: UserEntity,
    @Args('input') input: ModerationSettingsInput,
  ): Promise<ModerationSettingsModel> {
    return ModerationSettingsModel.from(await this.moderation.updateSettings(author.id, input));
  }

  @AuthorOnly()
  @Mutation(() => ResponseModel, {
    description: 'Author only: publishes a held response with its original time.',
  })
  async approveResponse(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ResponseModel> {
    return ResponseModel.from(await this.moderation.approve(author.id, id));
  }

  @AuthorOnly()
  @Mutation(() => ResponseModel, {
    description: 'Author only: only the writer and the author see it from then on.',
  })
  async rejectResponse(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
  ): Promise<ResponseModel> {
    return ResponseModel.from(await this.moderation.reject(author.id, id, reason));
  }
}

/** The moderation fields on a response: for its writer and the author. */
@Resolver(() => ResponseModel)
export class ResponseModerationResolver {
  @ResolveField(() => ModerationState, {
    nullable: true,
    description: 'For the writer and the author (HELD: awaiting review); null for others.',
  })
  moderationState(
    response: ResponseModel,
    _args: unknown,
    context: GraphQLContext<UserEntity>,
  ): ModerationState | null {
    // Asked for by every response of a page: called directly, like ResponsesResolver.author.
    const viewer = context.viewer ?? null;
    const mayKnow = canReview(viewer) || viewer?.id === response.entity.authorId;
    return mayKnow ? response.entity.moderationState : null;
  }

  @ResolveField(() => HeldReason, { nullable: true, description: 'Author only; null for others.' })
  heldReason(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
  ): HeldReason | null {
    return canReview(viewer) ? response.entity.heldReason : null;
  }

  @ResolveField(() => String, { nullable: true, description: 'Author only; null for others.' })
  rejectionReason(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
  ): string | null {
    return canReview(viewer) ? response.entity.rejectionReason : null;
  }
}
