import { Query, Resolver } from '@nestjs/graphql';
import { Viewer } from '../auth/viewer.guard.js';
import { UserEntity } from './user.entity.js';
import { MeModel } from './user.model.js';

@Resolver(() => MeModel)
export class UsersResolver {
  @Query(() => MeModel, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  me(@Viewer() viewer: UserEntity | null): MeModel | null {
    return viewer ? MeModel.from(viewer) : null;
  }
}
