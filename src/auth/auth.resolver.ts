import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../common/graphql-context.js';
import { MeModel } from '../users/user.model.js';
import { AuthPayloadModel } from './auth.model.js';
import { AuthService } from './auth.service.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => Boolean, {
    description:
      'Emails a one-time sign-in link. Always true: it never tells whether an account exists.',
  })
  async requestSignIn(
    @Args('email') email: string,
    @Context() context: GraphQLContext,
  ): Promise<boolean> {
    await this.auth.requestSignIn(email, context.clientIp ?? 'unknown');
    return true;
  }

  @Mutation(() => AuthPayloadModel, {
    description: 'Exchanges the emailed token for a session token.',
  })
  async signIn(@Args('token') token: string): Promise<AuthPayloadModel> {
    const signedIn = await this.auth.signIn(token);
    return { token: signedIn.token, user: MeModel.from(signedIn.user) };
  }
}
