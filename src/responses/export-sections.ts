import { Injectable } from '@nestjs/common';

/** The columns of an essay's CSV export, in order; a row fills the ones that apply to it. */
export const EXPORT_COLUMNS = [
  'record',
  'id',
  'created_at',
  'prompt',
  'parent_id',
  'writer',
  'visibility',
  'review_status',
  'labels',
  'note',
  'body',
  'edited_at',
  'deleted_at',
  'interest_status',
  'areas',
  'building',
  'link',
  'availability',
  'contact_email',
] as const;

export type ExportRow = Partial<Record<(typeof EXPORT_COLUMNS)[number], string>>;

/** Rows another feature adds to an essay's export, after the responses. */
export interface ExportSection {
  exportRows(essayId: string): AsyncIterable<ExportRow>;
}

/**
 * The other features' parts of the export (collaborator interest registers
 * one while the application starts), so responses imports none of them.
 */
@Injectable()
export class ExportSections {
  private readonly sections: ExportSection[] = [];

  register(section: ExportSection): void {
    this.sections.push(section);
  }

  async *rows(essayId: string): AsyncGenerator<ExportRow> {
    for (const section of this.sections) yield* section.exportRows(essayId);
  }
}
