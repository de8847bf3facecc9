import { Args, Mutation, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { SignedIn, Viewer } from '../auth/viewer.guard.js';
import type { UserEntity } from '../users/user.entity.js';
import { AccountDeletionMode } from './account-data.js';
import { AccountService } from './account.service.js';

registerEnumType(AccountDeletionMode, {
  name: 'AccountDeletionMode',
  valuesMap: {
    ERASE: {
      description: 'Your responses go; one with replies by others keeps its place as "deleted".',
    },
    ANONYMISE: { description: 'Your responses stay, shown as written by "A former reader".' },
  },
});

@Resolver()
export class AccountResolver {
  constructor(private readonly account: AccountService) {}

  @SignedIn()
  @Query(() => GraphQLJSONObject, {
    description:
      'Everything stored about you, as one JSON document: profile, responses and replies with their edit history, collaborator offers, subscriptions of your address, and the emails sent to you (kind, state, time).',
  })
  exportMyData(@Viewer() viewer: UserEntity): Promise<Record<string, unknown>> {
    return this.account.export(viewer);
  }

  @SignedIn()
  @Mutation(() => Boolean, {
    description:
      'Deletes your account. `confirm` is your email address, typed. Your offers, subscriptions and sign-in links go; your responses go (ERASE, the default) or stay anonymised (ANONYMISE). Not for the author.',
  })
  async deleteMyAccount(
    @Viewer() viewer: UserEntity,
    @Args('confirm') confirm: string,
    @Args('mode', { type: () => AccountDeletionMode, defaultValue: AccountDeletionMode.ERASE })
    mode: AccountDeletionMode,
  ): Promise<boolean> {
    await this.account.delete(viewer, confirm, mode);
    return true;
  }
}
