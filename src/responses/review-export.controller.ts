import { Controller, Get, Param, Res } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { AuthorOnly, DownloadSession, Viewer } from '../auth/viewer.guard.js';
import { isUuid } from '../common/uuid.js';
import { EssayNotFound } from '../essays/essays.errors.js';
import { UserEntity } from '../users/user.entity.js';
import { EXPORT_COLUMNS } from './export-sections.js';
import { ReviewService } from './review.service.js';

/** Spreadsheet apps run cells starting with these as formulas; a leading ' keeps them text. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * GET /essays/:id/export.csv — the author's export of responses and collaborator
 * interest. Signed in by a Bearer token or the desk's session cookie (a plain link).
 */
@Controller('essays')
export class ReviewExportController {
  constructor(
    private readonly review: ReviewService,
    private readonly audit: AuditLogService,
  ) {}

  @AuthorOnly()
  @DownloadSession()
  @Get(':id/export.csv')
  async export(
    @Viewer() author: UserEntity,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isUuid(id)) throw new EssayNotFound();
    const rows = this.review.exportRows(id);
    // Fail before the first byte when the essay does not exist.
    const first = await rows.next();
    await this.audit.recordNow(author.id, AuditAction.ESSAY_EXPORTED, { type: 'essay', id }, null, {
      format: 'csv',
    });
    const csv = stringify({
      header: true,
      columns: [...EXPORT_COLUMNS],
      cast: { string: neutraliseFormula },
    });
    void reply
      .code(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="essay-${id}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
    await pipeline(
      Readable.from(
        (async function* () {
          if (!first.done) yield first.value;
          yield* rows;
        })(),
      ),
      csv,
    );
  }
}
