import { Field, ObjectType } from '@nestjs/graphql';
import { MeModel } from '../users/user.model.js';

@ObjectType('AuthPayload')
export class AuthPayloadModel {
  @Field({ description: 'A session token: send it as "Authorization: Bearer <token>".' })
  token: string;

  @Field(() => MeModel)
  user: MeModel;
}
