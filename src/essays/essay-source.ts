import slugify from '@sindresorhus/slugify';
import { marked, type Tokens } from 'marked';
import { createHash } from 'node:crypto';
import matter from 'gray-matter';
import { BadUserInput } from '../common/errors.js';
import { plainTextOf } from '../common/markdown.js';
import { EssayStatus } from './essay.entity.js';
import { ESSAY_LIMITS } from './essay.limits.js';
import { extractPrompts, normalizePrompt, uniquePrompts } from './prompt-extractor.js';

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
export const MAX_MARKDOWN_LENGTH = ESSAY_LIMITS.markdown;

/**
 * gray-matter picks the parser from the opening line (`---js` evaluates the
 * block as JavaScript); essays only ever carry YAML.
 */
const notYaml = (): object => {
  throw new BadUserInput('The frontmatter must be YAML.', 'frontmatter');
};
const YAML_ONLY = { javascript: notYaml, js: notYaml, json: notYaml, coffee: notYaml };

/** Clear errors for the frontmatter mistakes the YAML parser misreads or reports obscurely. */
function checkFrontmatterBlock(markdown: string): void {
  const text = markdown.replace(/^\uFEFF/, '');
  if (!text.startsWith('---') || text[3] === '-') return;
  const firstLineEnd = text.search(/\r?\n|$/);
  const language = text.slice(3, firstLineEnd).trim();
  if (language && !/^ya?ml$/i.test(language)) {
    throw new BadUserInput(
      `The frontmatter must be YAML (the first line is "---${language}").`,
      'frontmatter',
    );
  }
  const close = text.indexOf('\n---', firstLineEnd);
  if (close === -1) {
    throw new BadUserInput(
      'The frontmatter starts with "---" but has no closing "---" line.',
      'frontmatter',
    );
  }
  // YAML forbids tabs for indentation; the parser reads a tab-indented key as a
  // top-level one instead of failing, which silently flattens nested values.
  const lines = text.slice(firstLineEnd, close).split(/\r?\n/).slice(1);
  const tabbed = lines.findIndex((line) => line.startsWith('\t'));
  if (tabbed >= 0) {
    throw new BadUserInput(
      `The frontmatter is indented with a tab on line ${tabbed + 2}; YAML needs spaces.`,
      'frontmatter',
    );
  }
}

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
  checkFrontmatterBlock(markdown);
  let file: matter.GrayMatterFile<string>;
  try {
    // Passing options also keeps gray-matter from caching (and sharing) results across calls.
    file = matter(markdown, { engines: YAML_ONLY });
  } catch (error) {
    if (error instanceof BadUserInput) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BadUserInput(`The frontmatter is not valid YAML: ${reason}`, 'frontmatter');
  }
  const data: unknown = file.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data instanceof Date) {
    throw new BadUserInput('The frontmatter must be a set of key: value pairs.', 'frontmatter');
  }
  const fields = data as Record<string, unknown>;
  const body = file.content.replace(/^\s*\n/, '').trimEnd();
  const title = titleOf(fields, body);
  const slug = slugOf(fields.slug, title);
  const prompts = fields.prompts === undefined ? extractPrompts(body) : promptList(fields.prompts);
  const budget = { left: MAX_MARKDOWN_LENGTH };
  return {
    title,
    slug,
    status: statusOf(fields.status),
    bodyMarkdown: body,
    tags: stringList(fields.tags, 'tags', { splitCommas: true }),
    entityIds: stringList(fields.entityIds, 'entityIds', { splitCommas: false }),
    prompts,
    publishedAt: publishedAtOf(fields.publishedAt, file.matter),
    canonicalUrl: canonicalUrlOf(fields.canonicalUrl),
    extraFrontmatter: Object.fromEntries(
      Object.entries(fields)
        .filter(([key]) => !KNOWN_KEYS.has(key))
        .map(([key, value]) => [key, jsonSafe(value, budget)]),
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
    if (title.length > ESSAY_LIMITS.title)
      throw new BadUserInput(`The title is longer than ${ESSAY_LIMITS.title} characters.`, 'title');
    return title;
  }
  const heading = marked
    .lexer(body)
    .find((token): token is Tokens.Heading => token.type === 'heading' && token.depth === 1);
  const headingText = heading ? plainTextOf(heading.tokens).replace(/\s+/g, ' ').trim() : '';
  if (headingText) return headingText.slice(0, ESSAY_LIMITS.title).trim();
  throw new BadUserInput(
    'The essay needs a title: add "subject:" or "title:" to the frontmatter.',
    'title',
  );
}

export function slugOf(raw: unknown, title: string): string {
  if (raw !== undefined && raw !== null) {
    const slug = String(raw).trim();
    if (!SLUG.test(slug) || slug.length > ESSAY_LIMITS.slug) {
      throw new BadUserInput(
        `frontmatter "slug" must be lower-case letters, digits and single dashes (got "${slug}").`,
        'slug',
      );
    }
    return slug;
  }
  // decamelize would turn "JavaScript" into "java-script" and "Æ" into "a-e".
  const derived = slugify(title, { decamelize: false })
    .slice(0, ESSAY_LIMITS.slug)
    .replace(/-+$/, '');
  if (!derived) throw new BadUserInput('No slug can be made from the title; add "slug:".', 'slug');
  return derived;
}

function statusOf(raw: unknown): EssayStatus {
  if (raw === undefined || raw === null) return EssayStatus.DRAFT;
  const value = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  const status = Object.values(EssayStatus).find((candidate) => candidate === value);
  if (status) return status;
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
  const inexact = values.find((v) => typeof v === 'number' && !isExact(v));
  if (inexact !== undefined) {
    throw new BadUserInput(
      `frontmatter "${key}" has a number that cannot be kept exactly (${String(inexact)}); put it in quotes.`,
      key,
    );
  }
  return [...new Set(values.map((v) => String(v).trim()).filter((v) => v.length > 0))];
}

/** Whether a YAML number turns back into the digits that were written. */
function isExact(value: number): boolean {
  return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
}

function promptList(raw: unknown): string[] {
  const prompts = uniquePrompts(
    stringList(raw, 'prompts', { splitCommas: false }).map(normalizePrompt),
  );
  if (prompts.some((p) => p.length > ESSAY_LIMITS.prompt)) {
    throw new BadUserInput(
      `A prompt in frontmatter "prompts" is longer than ${ESSAY_LIMITS.prompt} characters.`,
      'prompts',
    );
  }
  if (prompts.length > ESSAY_LIMITS.prompts)
    throw new BadUserInput(`An essay can have at most ${ESSAY_LIMITS.prompts} prompts.`, 'prompts');
  return prompts.length > 0 ? prompts : extractPrompts('');
}

/**
 * An ISO 8601 date (`2024-05-01`) or date-time (`2024-05-01T10:00:00+02:00`);
 * without an offset the time is UTC, as for YAML timestamps.
 */
function publishedAtOf(raw: unknown, frontmatter: string): Date | null {
  if (raw === undefined || raw === null || raw === '') return null;
  // The YAML parser turns an unquoted date into a Date but rolls impossible
  // ones over (2024-02-30 becomes March 1st), so the written text is checked.
  const written =
    raw instanceof Date
      ? /^publishedAt[ \t]*:[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?$/m.exec(frontmatter)?.[1]
      : raw;
  const date =
    typeof written === 'string'
      ? isoDate(written)
      : raw instanceof Date && !Number.isNaN(raw.getTime())
        ? raw
        : null;
  if (!date) {
    throw new BadUserInput(
      `frontmatter "publishedAt" must be a date like 2024-05-01 or 2024-05-01T10:00:00Z (got "${String(written ?? raw)}").`,
      'publishedAt',
    );
  }
  return date;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ][ \t]*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?[ \t]*(Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?$/;

function isoDate(text: string): Date | null {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const zone = match[8];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [offsetHours, offsetMinutes] =
      digits.length <= 2
        ? [Number(digits), 0]
        : [Number(digits.slice(0, -2)), Number(digits.slice(-2))];
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    const sign = zone.startsWith('-') ? -1 : 1;
    date.setTime(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  }
  return date;
}

function daysInMonth(year: number, month: number): number {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
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

/**
 * A JSON value for a frontmatter value. YAML aliases let a few hundred bytes
 * name billions of values, so the copy stops once it outgrows the input.
 */
function jsonSafe(value: unknown, budget: { left: number }, depth = 0): unknown {
  const cost = 1 + (typeof value === 'string' ? value.length : 0);
  budget.left -= cost;
  if (budget.left < 0 || depth > 64) {
    throw new BadUserInput(
      'The frontmatter expands to more data than the file holds (repeated YAML aliases?).',
      'frontmatter',
    );
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, budget, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        budget.left -= key.length;
        return [key, jsonSafe(item, budget, depth + 1)];
      }),
    );
  }
  return null;
}
