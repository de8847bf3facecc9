import type DataLoader from 'dataloader';
import { byKey, requestLoader, type LoaderHost } from '../common/loaders.js';
import type { Connection } from '../common/pagination.js';
import { UserEntity } from '../users/user.entity.js';
import { ResponseEditEntity } from './response-edit.entity.js';
import { ResponseEntity } from './response.entity.js';
import { ResponsesRepository, type ResponseOrder } from './responses.repository.js';

/*
 * Per-request loaders. Counts and pages depend on who asks, and a request has
 * one viewer, so they are built for that viewer.
 */

export function replyCountLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, number> {
  return requestLoader(host, 'replyCount', (ids: readonly string[]) =>
    service.countReplies(viewer, ids),
  );
}

export function promptResponseCountLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, number> {
  return requestLoader(host, 'promptResponseCount', (ids: readonly string[]) =>
    service.countForPrompts(viewer, ids),
  );
}

export function essayResponseCountLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, number> {
  return requestLoader(host, 'essayResponseCount', (ids: readonly string[]) =>
    service.countForEssays(viewer, ids),
  );
}

/** First pages of replies, batched per page size. */
export function firstRepliesLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
  first: number,
): DataLoader<string, Connection<ResponseEntity>> {
  return requestLoader(host, `firstReplies:${first}`, (ids: readonly string[]) =>
    service.firstPagesOf(viewer, 'replies', ids, first),
  );
}

/** First pages of prompts' top-level responses, batched per page size and order. */
export function firstPromptResponsesLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
  first: number,
  order: ResponseOrder,
): DataLoader<string, Connection<ResponseEntity>> {
  return requestLoader(host, `firstPromptResponses:${first}:${order}`, (ids: readonly string[]) =>
    service.firstPagesOf(viewer, 'promptResponses', ids, first, order),
  );
}

export function editsLoader(
  host: LoaderHost,
  service: ResponsesRepository,
): DataLoader<string, ResponseEditEntity[]> {
  return requestLoader(host, 'responseEdits', (ids: readonly string[]) => service.editsOf(ids));
}

/** Responses by id that the request's viewer may see; null for the others. */
export function visibleResponseLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, ResponseEntity | null> {
  return requestLoader(host, 'visibleResponseById', async (ids: readonly string[]) =>
    byKey(ids, await service.findVisibleByIds(viewer, ids), (row) => row.id),
  );
}
