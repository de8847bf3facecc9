import { marked, type Token, type Tokens } from 'marked';

export const DEFAULT_PROMPT = 'What are you building?';
const MAX_PROMPT_LENGTH = 500;

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
  const questions = unique(closing.flatMap((token) => blocksOf(token)).flatMap(questionsIn));
  return questions.length > 0 ? questions : [DEFAULT_PROMPT];
}

export function normalizePrompt(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function blocksOf(token: Token): string[] {
  switch (token.type) {
    case 'paragraph':
    case 'heading':
      return [inlineText((token as Tokens.Paragraph).tokens)];
    case 'list':
      return (token as Tokens.List).items.flatMap((item) => item.tokens.flatMap(blocksOf));
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(blocksOf);
    case 'text':
      return [
        (token as Tokens.Text).tokens
          ? inlineText((token as Tokens.Text).tokens!)
          : (token as Tokens.Text).text,
      ];
    default:
      return [];
  }
}

function inlineText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'html') return '';
      if (token.type === 'br') return ' ';
      if ('tokens' in token && token.tokens?.length) return inlineText(token.tokens);
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}

function questionsIn(block: string): string[] {
  const text = normalizePrompt(
    block
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
  const sentences = text.match(/[^.!?]+(?:[.!?]+["'”’)\]]*|$)/g) ?? [];
  return sentences
    .map((sentence) =>
      sentence
        .trim()
        .replace(/^["'“‘(\[]+/, '')
        .replace(/["'”’)\]]+$/, '')
        .trim(),
    )
    .filter(
      (sentence) =>
        sentence.endsWith('?') && sentence.length > 1 && sentence.length <= MAX_PROMPT_LENGTH,
    );
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
