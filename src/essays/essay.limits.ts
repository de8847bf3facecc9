/**
 * The essays' limits, in characters (or items): the inputs validate them, the
 * import (essay-source.ts) and PromptsService apply the same numbers.
 */
export const ESSAY_LIMITS = {
  markdown: 500_000,
  title: 300,
  slug: 120,
  tags: 30,
  tag: 60,
  entityIds: 100,
  prompts: 20,
  promptMin: 2,
  prompt: 500,
} as const;
