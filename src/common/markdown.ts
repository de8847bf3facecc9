import { Marked, type Token } from 'marked';
import sanitizeHtml from 'sanitize-html';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const LINK_REL = 'nofollow noopener noreferrer ugc';

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2', 'del', 'input'],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'loading', 'referrerpolicy'],
    code: ['class'],
    input: ['type', 'checked', 'disabled'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: LINK_REL }),
    // Only these attributes, whatever was written: no width/height (a 1×1
    // pixel), loaded when scrolled to, and never told which page it is on.
    img: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...(attribs.src !== undefined ? { src: attribs.src } : {}),
        ...(attribs.alt !== undefined ? { alt: attribs.alt } : {}),
        ...(attribs.title !== undefined ? { title: attribs.title } : {}),
        loading: 'lazy',
        referrerpolicy: 'no-referrer',
      },
    }),
    input: (tagName, attribs) =>
      attribs.type === 'checkbox'
        ? {
            tagName,
            attribs: {
              type: 'checkbox',
              disabled: '',
              ...(attribs.checked !== undefined ? { checked: '' } : {}),
            },
          }
        : { tagName: 'span', attribs: {} },
  },
};

/**
 * Readers' text: an image is a link to it, never loaded by the page. A
 * remote image is fetched by every reader's browser from a host the writer
 * chose, which tells that host who reads the thread and when.
 */
const withoutImages: sanitizeHtml.IOptions = {
  ...sanitizeOptions,
  transformTags: {
    ...sanitizeOptions.transformTags,
    img: (_tagName, attribs) => ({
      tagName: 'a',
      attribs: { ...(attribs.src !== undefined ? { href: attribs.src } : {}), rel: LINK_REL },
      text: attribs.alt ? `Image: ${attribs.alt}` : 'Image',
    }),
  },
};

export interface RenderOptions {
  /**
   * Show https images (the author's essays); left out, images become links
   * (readers' responses).
   */
  images?: boolean;
}

/** Markdown in, safe HTML out: no script, event handler or `javascript:` URL survives. */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, options.images ? sanitizeOptions : withoutImages).trim();
}

const EXCERPT_LENGTH = 280;

/** The first paragraph as plain text, at most 280 characters, cut at a word. */
export function excerptOf(markdown: string): string {
  const paragraph = marked.lexer(markdown).find((token) => token.type === 'paragraph');
  if (!paragraph) return '';
  const text = plainTextOf([paragraph]).replace(/\s+/g, ' ').trim();
  if (text.length <= EXCERPT_LENGTH) return text;
  let cut = text.slice(0, EXCERPT_LENGTH - 1);
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace > EXCERPT_LENGTH / 2) cut = cut.slice(0, lastSpace);
  // Never end on half of a surrogate pair (an emoji cut in two).
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * The text a reader sees in markdown tokens: markup, raw HTML and code fences
 * dropped, link and emphasis text kept, image alt text kept, entities decoded.
 */
/** A whole markdown text as plain text (for email excerpts). */
export function markdownToText(markdown: string): string {
  return plainTextOf(marked.lexer(markdown)).replace(/\s+/g, ' ').trim();
}

export function plainTextOf(tokens: Token[]): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'html':
        case 'code':
        case 'space':
        case 'hr':
          return '';
        case 'br':
          return ' ';
        // Code spans and backslash escapes hold literal characters, not entities.
        case 'codespan':
        case 'escape':
          return String(token.text);
      }
      if ('tokens' in token && token.tokens && token.tokens.length > 0)
        return plainTextOf(token.tokens);
      return 'text' in token ? decodeEntities(String(token.text)) : '';
    })
    .join('');
}

const textOnly: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {} };
const ESCAPED: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** Decodes every HTML entity (named or numeric) with the sanitizer's HTML parser. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  // With < and > escaped nothing parses as a tag; the sanitizer decodes the
  // entities and escapes only &, < and > again, which are undone here.
  const escaped = text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return sanitizeHtml(escaped, textOnly).replace(/&(?:lt|gt|amp);/g, (entity) => ESCAPED[entity]);
}
