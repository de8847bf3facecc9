import { marked, type Token, type Tokens } from 'marked';
import { plainTextOf } from '../common/markdown.js';
import { ESSAY_LIMITS } from './essay.limits.js';

export const DEFAULT_PROMPT = 'What are you building?';
const MAX_PROMPT_LENGTH = ESSAY_LIMITS.prompt;

/**
 * The questions an essay ends with: every sentence ending in "?" in its closing
 * section (the last `##` section, or the last three paragraphs when it has no
 * such heading). Falls back to one default prompt.
 */
export function extractPrompts(markdown: string): string[] {
  const tokens = marked.lexer(markdown);
  const lastHeading = tokens.findLastIndex(
    (token) => token.type === 'heading' && (token as Tokens.Heading).depth === 2,
  );
  const closing =
    lastHeading >= 0
      ? tokens.slice(lastHeading + 1)
      : tokens
          .filter(
            (token) =>
              token.type === 'paragraph' || token.type === 'list' || token.type === 'blockquote',
          )
          .slice(-3);
  const questions = uniquePrompts(closing.flatMap((token) => blocksOf(token)).flatMap(questionsIn));
  return questions.length > 0 ? questions : [DEFAULT_PROMPT];
}

export function normalizePrompt(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Drops repeated prompts, comparing without regard to case; keeps the first. */
export function uniquePrompts(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The plain text of each block a question can sit in; code blocks and raw HTML hold none. */
function blocksOf(token: Token): string[] {
  switch (token.type) {
    case 'paragraph':
    case 'heading':
      return [plainTextOf((token as Tokens.Paragraph).tokens)];
    case 'list':
      return (token as Tokens.List).items.flatMap((item) => item.tokens.flatMap(blocksOf));
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(blocksOf);
    case 'text':
      return [plainTextOf([token])];
    default:
      return [];
  }
}

// ICU sentence breaks keep "3.5" and "e.g. this" inside one sentence.
const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const CLOSER_OF: Record<string, string> = {
  '"': '"',
  "'": "'",
  '“': '”',
  '‘': '’',
  '(': ')',
  '[': ']',
};
const OPENER_OF = Object.fromEntries(
  Object.entries(CLOSER_OF).map(([opener, closer]) => [closer, opener]),
);

function questionsIn(block: string): string[] {
  return [...sentences.segment(normalizePrompt(block))]
    .map(({ segment }) => unwrap(segment.trim()))
    .filter(
      (sentence) =>
        /\?["'”’)\]]*$/.test(sentence) &&
        /[\p{L}\p{N}]/u.test(sentence) &&
        sentence.length <= MAX_PROMPT_LENGTH,
    );
}

/** Removes quotes and brackets around a sentence, and ones left without a partner. */
function unwrap(sentence: string): string {
  let text = sentence;
  for (;;) {
    const first = text[0];
    const last = text[text.length - 1];
    if (text.length >= 2 && CLOSER_OF[first] !== undefined && CLOSER_OF[first] === last) {
      text = text.slice(1, -1).trim();
    } else if (first in CLOSER_OF && !hasPartner(text, first, CLOSER_OF[first])) {
      text = text.slice(1).trim();
    } else if (last in OPENER_OF && !hasPartner(text, OPENER_OF[last], last)) {
      text = text.slice(0, -1).trim();
    } else {
      return text;
    }
  }
}

function hasPartner(text: string, opener: string, closer: string): boolean {
  if (opener === closer) return text.split(opener).length % 2 === 1;
  return text.includes(opener) && text.includes(closer);
}
