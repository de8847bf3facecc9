import type DataLoader from 'dataloader';
import { byKey, requestLoader, type LoaderHost } from '../common/loaders.js';
import { EssayEntity } from './essay.entity.js';
import { EssaysService } from './essays.service.js';
import { PromptEntity } from './prompt.entity.js';

/** Essays by id, for this request. Visibility is the caller's business. */
export function essayLoader(
  host: LoaderHost,
  essays: EssaysService,
): DataLoader<string, EssayEntity | null> {
  return requestLoader(host, 'essayById', async (ids: readonly string[]) =>
    byKey(ids, await essays.findByIds(ids), (essay) => essay.id),
  );
}

/** Prompts by id, for this request. */
export function promptLoader(
  host: LoaderHost,
  essays: EssaysService,
): DataLoader<string, PromptEntity | null> {
  return requestLoader(host, 'promptById', async (ids: readonly string[]) =>
    byKey(ids, await essays.findPromptsByIds(ids), (prompt) => prompt.id),
  );
}
