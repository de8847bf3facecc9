import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import { renderMarkdown } from '../common/markdown.js';
import { EventType } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { EssayStatus } from '../essays/essay.entity.js';
import { EssayImportService } from '../essays/essay-import.service.js';
import { EssaysService } from '../essays/essays.service.js';
import { PromptsService } from '../essays/prompts.service.js';
import { InterestService } from '../interest/interest.service.js';
import { ResponseVisibility } from '../responses/response.entity.js';
import { ResponsesRepository, type NewResponse } from '../responses/responses.repository.js';
import { UsersService } from '../users/users.service.js';

export interface DemoOptions {
  responses: number;
  readers: number;
}

export interface DemoResult {
  authorEmail: string;
  essaySlug: string;
  promptId: string;
  readers: number;
  publicResponses: number;
  created: { responses: number; replies: number; privateResponses: number; interests: number };
}

const AUTHOR_EMAIL = 'author@demo.rizom.test';
const DEMO_ESSAY = `---
subject: 'What are you building?'
slug: demo-what-are-you-building
status: published
tags: [demo, building]
---

This is a demo essay, made by \`npm run cli -- demo\`. Organizations, like gardens, grow from what
people tend every day.

## Over to you

What are you building, and who is it for?
`;

const OPENINGS = [
  'I am building a tool library for my street',
  'We run a small cooperative bakery',
  'My team is rebuilding how our town shares rides',
  'I teach kids to repair their own bikes',
  'We are mapping every community garden in the city',
  'I write open-source software for food banks',
];

/**
 * Seeds a populated platform in one command: a demo author, a published essay
 * with a prompt, readers, public and private responses, replies and
 * collaborator interest. Running it again tops up to the asked numbers.
 */
@Injectable()
export class DemoService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly essays: EssaysService,
    private readonly essayImport: EssayImportService,
    private readonly prompts: PromptsService,
    private readonly responses: ResponsesRepository,
    private readonly interests: InterestService,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {}

  async seed(options: DemoOptions): Promise<DemoResult> {
    if (
      !Number.isInteger(options.responses) ||
      options.responses < 0 ||
      options.responses > 100_000
    ) {
      throw new BadUserInput('--responses must be a whole number from 0 to 100000.', 'responses');
    }
    if (!Number.isInteger(options.readers) || options.readers < 1 || options.readers > 10_000) {
      throw new BadUserInput('--readers must be a whole number from 1 to 10000.', 'readers');
    }
    // The platform's own author when there is one, so the demo lands where they look.
    const [existing] = await this.users.findAuthors();
    const author = existing ?? (await this.users.makeAuthor(AUTHOR_EMAIL, 'Demo Author'));
    // A command, not a request: the audit log names no one as having acted.
    const { essay } = await this.essayImport.importMarkdown(null, author, DEMO_ESSAY);
    if (essay.status !== EssayStatus.PUBLISHED) await this.essays.publish(null, author, essay.id);
    const [prompt] = await this.prompts.promptsOfEssays([essay.id]);

    return this.dataSource.transaction(async (manager) => {
      const readers = await this.ensureReaders(manager, options.readers);
      const readerIds = readers.map((reader) => reader.id);
      const count = await this.responses.countPublicTopLevel(manager, prompt!.id);
      const missing = Math.max(0, options.responses - count);
      const created = await this.addResponses(manager, {
        essayId: essay.id,
        promptId: prompt!.id,
        authorId: author.id,
        readerIds,
        publicCount: missing,
        offset: count,
      });
      const interests = await this.addInterests(manager, essay.id, readers);
      return {
        authorEmail: author.email,
        essaySlug: essay.slug,
        promptId: prompt!.id,
        readers: readerIds.length,
        publicResponses: count + missing,
        created: { ...created, interests },
      };
    });
  }

  /** The demo's readers, made when missing; ordered by email. */
  private ensureReaders(
    manager: EntityManager,
    count: number,
  ): Promise<{ id: string; email: string }[]> {
    return this.users.ensureReaders(
      manager,
      Array.from({ length: count }, (_, i) => ({
        email: `reader${i + 1}@demo.rizom.test`,
        // Public names are never made from an address, demo ones included.
        displayName: `Demo reader ${i + 1}`,
      })),
    );
  }

  private async addResponses(
    manager: EntityManager,
    seed: {
      essayId: string;
      promptId: string;
      authorId: string;
      readerIds: string[];
      publicCount: number;
      offset: number;
    },
  ): Promise<{ responses: number; replies: number; privateResponses: number }> {
    const start = this.clock.now().getTime() - seed.publicCount * 60_000;
    const rows: NewResponse[] = [];
    let replies = 0;
    let privateResponses = 0;
    for (let i = 0; i < seed.publicCount; i += 1) {
      const n = seed.offset + i;
      const id = randomUUID();
      const writer = seed.readerIds[n % seed.readerIds.length]!;
      const at = new Date(start + i * 60_000);
      const body = `${OPENINGS[n % OPENINGS.length]}. Response number ${n + 1}: we have learned a lot and would **love** feedback.`;
      rows.push(
        this.row({
          id,
          writer,
          at,
          body,
          seed,
          parent: null,
          visibility: ResponseVisibility.PUBLIC,
        }),
      );
      if (n % 5 === 0) {
        replies += 1;
        rows.push(
          this.row({
            id: randomUUID(),
            writer: seed.authorId,
            at: new Date(at.getTime() + 30_000),
            body: `Thank you for this, response ${n + 1}. Tell me more?`,
            seed,
            parent: { id, rootId: id, threadOwnerId: writer, depth: 1 },
            visibility: ResponseVisibility.PUBLIC,
          }),
        );
      }
      if (n % 10 === 3) {
        privateResponses += 1;
        rows.push(
          this.row({
            id: randomUUID(),
            writer,
            at: new Date(at.getTime() + 10_000),
            body: `A private thought for the author (${n + 1}).`,
            seed,
            parent: null,
            visibility: ResponseVisibility.PRIVATE,
          }),
        );
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      await this.responses.insertMany(manager, batch);
      await this.events.recordHistory(
        manager,
        batch.map((row) => ({
          type: row.parentId ? EventType.AUTHOR_REPLIED : EventType.RESPONSE_PUBLISHED,
          essayId: seed.essayId,
          subjectId: row.id,
          actorId: row.authorId,
          occurredAt: row.createdAt,
        })),
      );
    }
    return { responses: seed.publicCount, replies, privateResponses };
  }

  private row(r: {
    id: string;
    writer: string;
    at: Date;
    body: string;
    seed: { essayId: string; promptId: string };
    parent: { id: string; rootId: string; threadOwnerId: string; depth: number } | null;
    visibility: ResponseVisibility;
  }): NewResponse {
    return {
      id: r.id,
      promptId: r.seed.promptId,
      essayId: r.seed.essayId,
      authorId: r.writer,
      parentId: r.parent?.id ?? null,
      rootId: r.parent?.rootId ?? r.id,
      threadOwnerId: r.parent?.threadOwnerId ?? r.writer,
      depth: r.parent ? r.parent.depth + 1 : 1,
      bodyMarkdown: r.body,
      bodyHtml: renderMarkdown(r.body),
      visibility: r.visibility,
      createdAt: r.at,
    };
  }

  private async addInterests(
    manager: EntityManager,
    essayId: string,
    readers: { id: string; email: string }[],
  ): Promise<number> {
    const interested = readers.filter((_, i) => i % 4 === 0);
    if (interested.length === 0) return 0;
    return this.interests.seed(
      manager,
      essayId,
      interested.map((reader) => ({
        readerId: reader.id,
        message: 'I would love to build something together.',
        areas: ['community', 'software'],
        building: 'A neighbourhood sharing app',
        link: `https://example.org/${reader.email.split('@')[0]}`,
        availability: 'Evenings',
        contactEmail: reader.email,
      })),
    );
  }
}
