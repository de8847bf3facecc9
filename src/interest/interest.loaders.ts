import type DataLoader from 'dataloader';
import { defineLoader, type LoaderHost } from '../common/loaders.js';
import { InterestEntity } from './interest.entity.js';
import { InterestService } from './interest.service.js';

const interestByEssayReader = defineLoader((keys: readonly string[], service: InterestService) =>
  service.findByEssayAndReader(
    keys.map((key) => {
      const [essayId, readerId] = key.split(':') as [string, string];
      return { essayId, readerId };
    }),
  ),
);

/**
 * A reader's interest in an essay, for this request, keyed by `essayId:readerId`.
 * Visibility is the caller's business.
 */
export function interestByEssayReaderLoader(
  host: LoaderHost,
  service: InterestService,
): DataLoader<string, InterestEntity | null> {
  return host.loaders.get(interestByEssayReader, service);
}

export function essayReaderKey(essayId: string, readerId: string): string {
  return `${essayId}:${readerId}`;
}
