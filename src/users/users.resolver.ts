import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SignedIn, Viewer } from '../common/access.js';
import { DISPLAY_NAME_MAX_LENGTH } from './display-name.js';
import { UserEntity } from './user.entity.js';
import { MeModel } from './user.model.js';
import { UsersService } from './users.service.js';

@Resolver(() => MeModel)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => MeModel, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  me(@Viewer() viewer: UserEntity | null): MeModel | null {
    return viewer ? MeModel.from(viewer) : null;
  }

  @Mutation(() => MeModel, {
    description: `Sets the public name of the signed-in user: trimmed, 1 to ${DISPLAY_NAME_MAX_LENGTH} characters, no control, invisible or text-direction characters.`,
  })
  @SignedIn()
  async updateProfile(
    @Viewer() viewer: UserEntity,
    @Args('displayName') displayName: string,
  ): Promise<MeModel> {
    return MeModel.from(await this.users.updateDisplayName(viewer.id, displayName));
  }
}
