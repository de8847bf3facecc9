import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthorOnly } from '../auth/viewer.guard.js';
import type { Connection } from '../common/pagination.js';
import { AuditEntryConnection, AuditEntryModel } from './audit-entry.model.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditLogArgs } from './dto/audit-log.args.js';

/** The author's audit log: read only, newest first. */
@Resolver()
export class AuditLogResolver {
  constructor(private readonly audit: AuditLogService) {}

  @AuthorOnly()
  @Query(() => AuditEntryConnection, {
    description: 'What the author did that changed what others see or what is kept (author only).',
  })
  async auditLog(@Args() args: AuditLogArgs): Promise<Connection<AuditEntryModel>> {
    const page = await this.audit.list(args.filter ?? {}, args);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ ...edge, node: AuditEntryModel.from(edge.node) })),
    };
  }
}
