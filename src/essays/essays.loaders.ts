import type DataLoader from 'dataloader';
import { byKey, defineLoader, groupByKey, type LoaderHost } from '../common/loaders.js';
import { EssayEntity } from './essay.entity.js';
import { EssaysService } from './essays.service.js';
import { PromptEntity } from './prompt.entity.js';
import { PromptsService } from './prompts.service.js';

const essaysById = defineLoader(async (ids: readonly string[], essays: EssaysService) =>
  byKey(ids, await essays.findByIds(ids), (essay) => essay.id),
);

const promptsById = defineLoader(async (ids: readonly string[], prompts: PromptsService) =>
  byKey(ids, await prompts.findPromptsByIds(ids), (prompt) => prompt.id),
);

const promptsByEssay = defineLoader(async (ids: readonly string[], prompts: PromptsService) =>
  groupByKey(ids, await prompts.promptsOfEssays(ids), (prompt) => prompt.essayId),
);

/** Essays by id, for this request. Visibility is the caller's business. */
export function essayLoader(
  host: LoaderHost,
  essays: EssaysService,
): DataLoader<string, EssayEntity | null> {
  return host.loaders.get(essaysById, essays);
}

/** Prompts by id, for this request. */
export function promptLoader(
  host: LoaderHost,
  prompts: PromptsService,
): DataLoader<string, PromptEntity | null> {
  return host.loaders.get(promptsById, prompts);
}

/** Each essay's prompts, for this request. */
export function promptsOfEssayLoader(
  host: LoaderHost,
  prompts: PromptsService,
): DataLoader<string, PromptEntity[]> {
  return host.loaders.get(promptsByEssay, prompts);
}
