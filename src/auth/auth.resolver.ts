import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { rateLimitAddress, type GraphQLContext } from '../common/graphql-context.js';
import { MeModel } from '../users/user.model.js';
import { AuthPayloadModel } from './auth.model.js';
import { UserEntity } from '../users/user.entity.js';
import { AuthService, type SignedIn as Session } from './auth.service.js';
import { SignedIn, Viewer } from './viewer.guard.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => Boolean, {
    description:
      'Emails a one-time sign-in link and a 6-digit code: either signs in, once, until they expire (SIGN_IN_TOKEN_TTL_MINUTES, 15 by default). Always true: it never tells whether an account exists.',
  })
  async requestSignIn(
    @Args('email') email: string,
    @Args('returnTo', {
      type: () => String,
      nullable: true,
      description:
        'A path on this site (e.g. "/essays/some-slug") the link brings the reader back to.',
    })
    returnTo: string | null | undefined,
    @Context() context: GraphQLContext,
  ): Promise<boolean> {
    await this.auth.requestSignIn(email, rateLimitAddress(context), returnTo);
    return true;
  }

  @Mutation(() => AuthPayloadModel, {
    description: 'Exchanges the emailed token for a session token.',
  })
  async signIn(@Args('token') token: string): Promise<AuthPayloadModel> {
    return payload(await this.auth.signIn(token));
  }

  @Mutation(() => AuthPayloadModel, {
    description:
      'Exchanges the 6-digit code from the sign-in email for a session token. A code works once, expires with its link, and stops working after 5 wrong tries.',
  })
  async signInWithCode(
    @Args('email') email: string,
    @Args('code') code: string,
    @Context() context: GraphQLContext,
  ): Promise<AuthPayloadModel> {
    return payload(await this.auth.signInWithCode(email, code, rateLimitAddress(context)));
  }

  @Mutation(() => Boolean, {
    description:
      'Signs the user out everywhere: every session token of this user, on every device, stops working (new ones come from signing in again). Always true.',
  })
  @SignedIn()
  async signOut(@Viewer() viewer: UserEntity): Promise<boolean> {
    await this.auth.signOut(viewer);
    return true;
  }
}

function payload(signedIn: Session): AuthPayloadModel {
  return { token: signedIn.token, user: MeModel.from(signedIn.user) };
}
