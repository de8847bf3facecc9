import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { AuthorOnly, SignedIn, Viewer } from '../../auth/viewer.guard.js';
import type { GraphQLContext } from '../../common/graphql-context.js';
import { defineLoader } from '../../common/loaders.js';
import { type Connection } from '../../common/pagination.js';
import { UserEntity } from '../../users/user.entity.js';
import { canReview } from '../response-access.js';
import { ResponseModel } from '../response.model.js';
import { ReportConnection, ReportModel } from './moderation.model.js';
import { ReportResponseArgs, ReportsArgs } from './dto/reports.args.js';
import { ReportAction, ReportsService } from './reports.service.js';

const reportedResponses = defineLoader(async (ids: readonly string[], reports: ReportsService) => {
  const rows = await reports.findResponses(ids);
  return ids.map((id) => rows.find((row) => row.id === id)!);
});

const openReportCounts = defineLoader((ids: readonly string[], reports: ReportsService) =>
  reports.openCounts(ids),
);

@Resolver(() => ReportModel)
export class ReportsResolver {
  constructor(private readonly reportsService: ReportsService) {}

  @SignedIn()
  @Mutation(() => Boolean, {
    description:
      'Reports a response you can see, once. Always true; the author never learns who reported.',
  })
  async reportResponse(
    @Viewer() viewer: UserEntity,
    @Args() args: ReportResponseArgs,
  ): Promise<boolean> {
    await this.reportsService.report(viewer, args);
    return true;
  }

  @AuthorOnly()
  @Query(() => ReportConnection, { description: 'Author only: reports, newest first.' })
  async reports(@Args() args: ReportsArgs): Promise<Connection<ReportModel>> {
    const page = await this.reportsService.list(args);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ ...edge, node: ReportModel.from(edge.node) })),
    };
  }

  @AuthorOnly()
  @Mutation(() => ReportModel, {
    description: 'Author only: resolves the report and every other open report of its response.',
  })
  async resolveReport(
    @Viewer() author: UserEntity,
    @Args('id', { type: () => ID }) id: string,
    @Args('action', { type: () => ReportAction }) action: ReportAction,
  ): Promise<ReportModel> {
    return ReportModel.from(await this.reportsService.resolve(author.id, id, action));
  }

  @ResolveField(() => ResponseModel)
  async response(
    @Parent() report: ReportModel,
    @Context() context: GraphQLContext,
  ): Promise<ResponseModel> {
    const loader = context.loaders.get(reportedResponses, this.reportsService);
    return ResponseModel.from(await loader.load(report.entity.responseId));
  }
}

/** `reportCount` on responses: the author's alone. */
@Resolver(() => ResponseModel)
export class ResponseReportsResolver {
  constructor(private readonly reports: ReportsService) {}

  @ResolveField(() => Int, {
    nullable: true,
    description: 'Open reports; author only, null for others.',
  })
  reportCount(
    @Parent() response: ResponseModel,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<number> | null {
    if (!canReview(viewer)) return null;
    return context.loaders.get(openReportCounts, this.reports).load(response.id);
  }
}
