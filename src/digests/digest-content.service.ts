import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { markdownToText } from '../common/markdown.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { EventType } from '../events/event.entity.js';
import { eventsInWindow } from '../events/events.repository.js';
import { ResponsesRepository } from '../responses/responses.repository.js';
import { UsersService } from '../users/users.service.js';
import { DigestScope } from './digest-subscription.entity.js';

export interface DigestWindow {
  scope: DigestScope;
  essayId: string | null;
  start: Date;
  end: Date;
}

export interface DigestEssay {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  canonicalUrl: string | null;
}

export interface DigestContent {
  newEssays: DigestEssay[];
  conversations: {
    essay: DigestEssay;
    prompts: {
      text: string;
      count: number;
      latest: { responseId: string; writer: string; excerpt: string }[];
    }[];
    authorReplies: { responseId: string; excerpt: string }[];
  }[];
}

type DigestEventType = 'ESSAY_PUBLISHED' | 'RESPONSE_PUBLISHED' | 'AUTHOR_REPLIED';

interface EventRow {
  type: DigestEventType;
  essay_id: string;
  slug: string;
  title: string;
  excerpt: string;
  canonical_url: string | null;
  prompt_id: string | null;
  prompt_text: string | null;
  prompt_position: number | null;
  response_id: string | null;
  parent_id: string | null;
  body: string | null;
  writer: string | null;
}

const LATEST_PER_PROMPT = 3;
const EXCERPT = 200;

/**
 * What happened in a digest window, read from the event outbox in one
 * set-based query per window. Subscribers with the same scope and window
 * (most of them: one send hour, one zone) share the result.
 */
@Injectable()
export class DigestContentService {
  /**
   * Kept a minute: long enough to share across a batch, short enough that a
   * response marked SPAM or deleted drops out of digests still to be sent.
   */
  private readonly cache = new LRUCache<string, Promise<DigestContent>>({
    max: 2000,
    ttl: 60_000,
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly essays: EssaysRepository,
    private readonly responses: ResponsesRepository,
    private readonly users: UsersService,
  ) {}

  forWindow(window: DigestWindow): Promise<DigestContent> {
    const key = `${window.scope}:${window.essayId ?? ''}:${window.start.toISOString()}:${window.end.toISOString()}`;
    let content = this.cache.get(key);
    if (!content) {
      content = this.load(window);
      content.catch(() => this.cache.delete(key));
      this.cache.set(key, content);
    }
    return content;
  }

  static isEmpty(content: DigestContent): boolean {
    return content.newEssays.length === 0 && content.conversations.length === 0;
  }

  /**
   * The window's events, then what they name through the features' read
   * methods: published essays, responses anyone may see (and not deleted),
   * their prompts and writers. Four statements whatever the window holds.
   */
  private async load(window: DigestWindow): Promise<DigestContent> {
    const types = [EventType.RESPONSE_PUBLISHED, EventType.AUTHOR_REPLIED];
    if (window.scope === DigestScope.ALL_ESSAYS) types.unshift(EventType.ESSAY_PUBLISHED);
    const events = (await eventsInWindow(this.dataSource.manager, window, types)) as {
      type: DigestEventType;
      essay_id: string;
      subject_id: string;
    }[];
    if (events.length === 0) return group([]);
    const responseIds = events.filter((e) => e.type !== 'ESSAY_PUBLISHED').map((e) => e.subject_id);
    const [essays, responses] = await Promise.all([
      this.essays.findPublished([...new Set(events.map((e) => e.essay_id))]),
      this.responses.findVisibleByIds(null, responseIds),
    ]);
    const listed = responses.filter((response) => response.deletedAt === null);
    const [prompts, writers] = await Promise.all([
      this.essays.promptsByIds([...new Set(listed.map((response) => response.promptId))]),
      this.users.findByIds([...new Set(listed.map((response) => response.authorId))]),
    ]);
    const essayById = new Map(essays.map((essay) => [essay.id, essay]));
    const responseById = new Map(listed.map((response) => [response.id, response]));
    const promptById = new Map(prompts.map((prompt) => [prompt.id, prompt]));
    const writerById = new Map(writers.map((writer) => [writer.id, writer]));
    const rows: EventRow[] = [];
    for (const event of events) {
      const essay = essayById.get(event.essay_id);
      if (!essay) continue;
      const base = {
        type: event.type,
        essay_id: essay.id,
        slug: essay.slug,
        title: essay.title,
        excerpt: essay.excerpt,
        canonical_url: essay.canonicalUrl,
      };
      if (event.type === 'ESSAY_PUBLISHED') {
        rows.push({ ...base, ...NO_RESPONSE });
        continue;
      }
      const response = responseById.get(event.subject_id);
      if (!response) continue;
      if (event.type === 'RESPONSE_PUBLISHED' && response.parentId !== null) continue;
      const prompt = promptById.get(response.promptId);
      rows.push({
        ...base,
        prompt_id: response.promptId,
        prompt_text: prompt?.text ?? null,
        prompt_position: prompt?.position ?? null,
        response_id: response.id,
        parent_id: response.parentId,
        body: response.bodyMarkdown,
        writer: writerById.get(response.authorId)?.displayName ?? null,
      });
    }
    return group(rows);
  }
}

const NO_RESPONSE = {
  prompt_id: null,
  prompt_text: null,
  prompt_position: null,
  response_id: null,
  parent_id: null,
  body: null,
  writer: null,
};

function group(rows: EventRow[]): DigestContent {
  const essayOf = (row: EventRow): DigestEssay => ({
    id: row.essay_id,
    slug: row.slug,
    title: row.title,
    excerpt: row.excerpt,
    canonicalUrl: row.canonical_url,
  });
  const newEssays = new Map<string, DigestEssay>();
  const conversations = new Map<
    string,
    DigestContent['conversations'][number] & {
      promptMap: Map<
        string,
        {
          text: string;
          position: number;
          count: number;
          latest: { responseId: string; writer: string; excerpt: string }[];
        }
      >;
    }
  >();
  for (const row of rows) {
    if (row.type === 'ESSAY_PUBLISHED') {
      newEssays.set(row.essay_id, essayOf(row));
      continue;
    }
    let conversation = conversations.get(row.essay_id);
    if (!conversation) {
      conversation = { essay: essayOf(row), prompts: [], authorReplies: [], promptMap: new Map() };
      conversations.set(row.essay_id, conversation);
    }
    const excerpt = shorten(markdownToText(row.body ?? ''));
    if (row.type === 'AUTHOR_REPLIED') {
      if (conversation.authorReplies.length < LATEST_PER_PROMPT) {
        conversation.authorReplies.push({ responseId: row.response_id!, excerpt });
      }
      continue;
    }
    let prompt = conversation.promptMap.get(row.prompt_id!);
    if (!prompt) {
      prompt = { text: row.prompt_text!, position: row.prompt_position ?? 0, count: 0, latest: [] };
      conversation.promptMap.set(row.prompt_id!, prompt);
    }
    prompt.count += 1;
    if (prompt.latest.length < LATEST_PER_PROMPT) {
      prompt.latest.push({
        responseId: row.response_id!,
        writer: row.writer ?? 'A reader',
        excerpt,
      });
    }
  }
  return {
    newEssays: [...newEssays.values()],
    conversations: [...conversations.values()].map(({ promptMap, ...conversation }) => ({
      ...conversation,
      prompts: [...promptMap.values()]
        .sort((a, b) => a.position - b.position)
        .map(({ position: _position, ...prompt }) => prompt),
    })),
  };
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT ? flat : `${flat.slice(0, EXCERPT - 1).trimEnd()}…`;
}
