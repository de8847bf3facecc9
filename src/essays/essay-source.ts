import slugify from '@sindresorhus/slugify';
import { createHash } from 'node:crypto';
import matter from 'gray-matter';
import { BadUserInput } from '../common/errors.js';
import { EssayStatus } from './essay.entity.js';
import { extractPrompts, normalizePrompt } from './prompt-extractor.js';

/** An essay as read from a markdown file with YAML frontmatter. */
export interface EssaySource {
  title: string;
  slug: string;
  status: EssayStatus;
  bodyMarkdown: string;
  tags: string[];
  entityIds: string[];
  prompts: string[];
  publishedAt: Date | null;
  canonicalUrl: string | null;
  /** Frontmatter keys the platform does not use, kept as written. */
  extraFrontmatter: Record<string, unknown>;
  sourceHash: string;
}

const KNOWN_KEYS = new Set([
  'subject',
  'title',
  'slug',
  'status',
  'entityIds',
  'tags',
  'prompts',
  'publishedAt',
  'canonicalUrl',
]);
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_MARKDOWN_LENGTH = 500_000;

export function parseEssaySource(markdown: string): EssaySource {
  if (typeof markdown !== 'string' || markdown.trim().length === 0) {
    throw new BadUserInput('The markdown is empty.', 'markdown');
  }
  if (markdown.length > MAX_MARKDOWN_LENGTH) {
    throw new BadUserInput(
      `The markdown is longer than ${MAX_MARKDOWN_LENGTH} characters.`,
      'markdown',
    );
  }
  let file: matter.GrayMatterFile<string>;
  try {
    // A fresh options object keeps gray-matter from caching results across calls.
    file = matter(markdown, {});
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BadUserInput(`The frontmatter is not valid YAML: ${reason}`, 'frontmatter');
  }
  const data: Record<string, unknown> = file.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new BadUserInput('The frontmatter must be a set of key: value pairs.', 'frontmatter');
  }
  const body = file.content.replace(/^\s*\n/, '').trimEnd();
  const title = titleOf(data, body);
  const slug = slugOf(data.slug, title);
  const prompts = data.prompts === undefined ? extractPrompts(body) : promptList(data.prompts);
  return {
    title,
    slug,
    status: statusOf(data.status),
    bodyMarkdown: body,
    tags: stringList(data.tags, 'tags', { splitCommas: true }),
    entityIds: stringList(data.entityIds, 'entityIds', { splitCommas: false }),
    prompts,
    publishedAt: dateOf(data.publishedAt),
    canonicalUrl: canonicalUrlOf(data.canonicalUrl),
    extraFrontmatter: Object.fromEntries(
      Object.entries(data)
        .filter(([key]) => !KNOWN_KEYS.has(key))
        .map(([key, value]) => [key, jsonSafe(value)]),
    ),
    sourceHash: createHash('sha256').update(markdown).digest('hex'),
  };
}

function titleOf(data: Record<string, unknown>, body: string): string {
  const raw = data.subject ?? data.title;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new BadUserInput('frontmatter "subject"/"title" must be text.', 'title');
    }
    const title = String(raw).trim();
    if (title.length === 0)
      throw new BadUserInput('frontmatter "subject"/"title" is empty.', 'title');
    if (title.length > 300)
      throw new BadUserInput('The title is longer than 300 characters.', 'title');
    return title;
  }
  const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
  if (heading) return heading.slice(0, 300);
  throw new BadUserInput(
    'The essay needs a title: add "subject:" or "title:" to the frontmatter.',
    'title',
  );
}

export function slugOf(raw: unknown, title: string): string {
  if (raw !== undefined && raw !== null) {
    const slug = String(raw).trim();
    if (!SLUG.test(slug) || slug.length > 120) {
      throw new BadUserInput(
        `frontmatter "slug" must be lower-case letters, digits and single dashes (got "${slug}").`,
        'slug',
      );
    }
    return slug;
  }
  const derived = slugify(title).slice(0, 120).replace(/-+$/, '');
  if (!derived) throw new BadUserInput('No slug can be made from the title; add "slug:".', 'slug');
  return derived;
}

function statusOf(raw: unknown): EssayStatus {
  if (raw === undefined || raw === null) return EssayStatus.DRAFT;
  const value = String(raw).trim().toUpperCase();
  if (value in EssayStatus) return value as EssayStatus;
  throw new BadUserInput(
    `frontmatter "status" must be draft, published or archived (got "${String(raw)}").`,
    'status',
  );
}

function stringList(raw: unknown, key: string, options: { splitCommas: boolean }): string[] {
  if (raw === undefined || raw === null) return [];
  const values =
    typeof raw === 'string' && options.splitCommas
      ? raw.split(',')
      : Array.isArray(raw)
        ? raw
        : typeof raw === 'string' || typeof raw === 'number'
          ? [raw]
          : undefined;
  if (!values || values.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new BadUserInput(`frontmatter "${key}" must be a list of text values.`, key);
  }
  return [...new Set(values.map((v) => String(v).trim()).filter((v) => v.length > 0))];
}

function promptList(raw: unknown): string[] {
  const prompts = stringList(raw, 'prompts', { splitCommas: false }).map(normalizePrompt);
  if (prompts.some((p) => p.length > 500)) {
    throw new BadUserInput(
      'A prompt in frontmatter "prompts" is longer than 500 characters.',
      'prompts',
    );
  }
  if (prompts.length > 20)
    throw new BadUserInput('An essay can have at most 20 prompts.', 'prompts');
  return prompts.length > 0 ? prompts : extractPrompts('');
}

function dateOf(raw: unknown): Date | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const date = raw instanceof Date ? raw : new Date(String(raw));
  if (Number.isNaN(date.getTime())) {
    throw new BadUserInput(
      `frontmatter "publishedAt" is not a date (got "${String(raw)}").`,
      'publishedAt',
    );
  }
  return date;
}

function canonicalUrlOf(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  try {
    const url = new URL(String(raw));
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // fall through
  }
  throw new BadUserInput(
    `frontmatter "canonicalUrl" must be an http(s) URL (got "${String(raw)}").`,
    'canonicalUrl',
  );
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
