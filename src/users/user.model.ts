import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UserEntity, UserRole } from './user.entity.js';

registerEnumType(UserRole, { name: 'UserRole' });

@ObjectType('User')
export class UserModel {
  @Field(() => ID)
  id: string;

  @Field()
  displayName: string;

  @Field(() => UserRole)
  role: UserRole;

  /** Not a field: only `Me.email` exposes it, to its owner. */
  email: string;

  static from(entity: UserEntity): UserModel {
    return Object.assign(new UserModel(), {
      id: entity.id,
      displayName: entity.displayName,
      role: entity.role,
      email: entity.email,
    });
  }
}

@ObjectType('Me', { description: 'The signed-in user, with what only they may see.' })
export class MeModel extends UserModel {
  @Field()
  declare email: string;

  @Field({
    description:
      'False while displayName is the neutral name given at sign-up ("Reader 4821"): ask for a name before the first response.',
  })
  displayNameChosen: boolean;

  /**
   * Not a field: the row this was made from (the request's viewer, or the
   * row a mutation just wrote), for the fields other modules add to `Me`.
   */
  user: UserEntity;

  static override from(entity: UserEntity): MeModel {
    return Object.assign(new MeModel(), UserModel.from(entity), {
      displayNameChosen: entity.displayNameChosen,
      user: entity,
    });
  }
}
