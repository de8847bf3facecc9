import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { markdownToText } from '../common/markdown.js';
import { DigestScope } from './digest-subscription.entity.js';
import { publishedResponseSql } from '../responses/moderation/moderation-state.js';

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

interface EventRow {
  type: 'ESSAY_PUBLISHED' | 'RESPONSE_PUBLISHED' | 'AUTHOR_REPLIED';
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

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  private async load(window: DigestWindow): Promise<DigestContent> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT e.type, es.id AS essay_id, es.slug, es.title, es.excerpt, es.canonical_url,
              p.id AS prompt_id, p.text AS prompt_text, p.position AS prompt_position,
              r.id AS response_id, r.parent_id, r.body_markdown AS body, u.display_name AS writer
         FROM events e
         JOIN essays es ON es.id = e.essay_id AND es.status = 'PUBLISHED'
         LEFT JOIN responses r ON r.id = e.subject_id AND e.type IN ('RESPONSE_PUBLISHED', 'AUTHOR_REPLIED')
         LEFT JOIN prompts p ON p.id = r.prompt_id
         LEFT JOIN users u ON u.id = r.author_id
        WHERE e.occurred_at > $1 AND e.occurred_at <= $2
          AND ($3::uuid IS NULL OR e.essay_id = $3::uuid)
          AND (
            (e.type = 'ESSAY_PUBLISHED' AND $4 = 'ALL_ESSAYS')
            OR (e.type = 'RESPONSE_PUBLISHED' AND r.parent_id IS NULL)
            OR e.type = 'AUTHOR_REPLIED'
          )
          AND (r.id IS NULL OR (r.visibility = 'PUBLIC' AND r.deleted_at IS NULL AND r.review_status <> 'SPAM'
               AND ${publishedResponseSql('r')}))
          AND (e.type = 'ESSAY_PUBLISHED' OR r.id IS NOT NULL)
        ORDER BY e.occurred_at DESC, e.id DESC`,
      [window.start, window.end, window.essayId, window.scope],
    );
    return group(rows);
  }
}

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
