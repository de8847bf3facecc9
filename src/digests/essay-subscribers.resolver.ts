import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Viewer } from '../auth/viewer.guard.js';
import type { GraphQLContext } from '../common/graphql-context.js';
import { defineLoader } from '../common/loaders.js';
import { EssayModel } from '../essays/essay.model.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { DigestScope, SubscriptionStatus } from './digest-subscription.entity.js';

const subscriberCounts = defineLoader(async (ids: readonly string[], dataSource: DataSource) => {
  const rows: { essay_id: string; count: number }[] = await dataSource.query(
    `SELECT essay_id, count(*)::int AS count FROM digest_subscriptions
      WHERE essay_id = ANY($1::uuid[]) AND scope = $2 AND status = $3
      GROUP BY essay_id`,
    [ids, DigestScope.ESSAY, SubscriptionStatus.CONFIRMED],
  );
  const counts = new Map(rows.map((row) => [row.essay_id, row.count]));
  return ids.map((id) => counts.get(id) ?? 0);
});

/** How many follow each essay's conversation by digest: for the author's desk. */
@Resolver(() => EssayModel)
export class EssaySubscribersResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ResolveField(() => Int, {
    nullable: true,
    description:
      "Confirmed digest subscriptions to this essay's conversation. Author only; null for others.",
  })
  async subscriberCount(
    @Parent() essay: EssayModel,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<number | null> {
    if (viewer?.role !== UserRole.AUTHOR) return null;
    return context.loaders.get(subscriberCounts, this.dataSource).load(essay.id);
  }
}
