import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { AuthorOnly, Viewer } from '../../auth/viewer.guard.js';
import { UserEntity } from '../../users/user.entity.js';
import { ReaderBanModel } from './moderation.model.js';
import { ReaderBansService } from './reader-bans.service.js';

@Resolver(() => ReaderBanModel)
export class BansResolver {
  constructor(private readonly readerBans: ReaderBansService) {}

  @AuthorOnly()
  @Mutation(() => ReaderBanModel, {
    description:
      'Author only: the reader can still read and sign in, but not respond, reply, express interest or report. Banning again replaces the ban.',
  })
  async banReader(
    @Viewer() author: UserEntity,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('reason') reason: string,
    @Args('hideExisting') hideExisting: boolean,
  ): Promise<ReaderBanModel> {
    return ReaderBanModel.from(await this.readerBans.ban(author.id, userId, reason, hideExisting));
  }

  @AuthorOnly()
  @Mutation(() => Boolean, {
    description: 'Author only: lifts the ban and shows what it hid; false when there was none.',
  })
  unbanReader(
    @Viewer() author: UserEntity,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<boolean> {
    return this.readerBans.unban(author.id, userId);
  }
}
