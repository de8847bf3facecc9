import type DataLoader from 'dataloader';
import { byKey, defineLoader, type LoaderHost } from '../common/loaders.js';
import type { Connection } from '../common/pagination.js';
import { UserEntity } from '../users/user.entity.js';
import { ResponseEditEntity } from './response-edit.entity.js';
import { ResponseEntity } from './response.entity.js';
import { ResponsesRepository, type ResponseOrder } from './responses.repository.js';

/*
 * Per-request loaders. Counts and pages depend on who asks, and a request has
 * one viewer, so they are built for that viewer.
 */

const replyCounts = defineLoader(
  (ids: readonly string[], service: ResponsesRepository, viewer: UserEntity | null) =>
    service.countReplies(viewer, ids),
);

const promptResponseCounts = defineLoader(
  (ids: readonly string[], service: ResponsesRepository, viewer: UserEntity | null) =>
    service.countForPrompts(viewer, ids),
);

const essayResponseCounts = defineLoader(
  (ids: readonly string[], service: ResponsesRepository, viewer: UserEntity | null) =>
    service.countForEssays(viewer, ids),
);

const firstReplies = defineLoader(
  (
    ids: readonly string[],
    service: ResponsesRepository,
    viewer: UserEntity | null,
    first: number,
  ) => service.firstPagesOf(viewer, 'replies', ids, first),
);

const firstPromptResponses = defineLoader(
  (
    ids: readonly string[],
    service: ResponsesRepository,
    viewer: UserEntity | null,
    first: number,
    order: ResponseOrder,
  ) => service.firstPagesOf(viewer, 'promptResponses', ids, first, order),
);

const responseEdits = defineLoader((ids: readonly string[], service: ResponsesRepository) =>
  service.editsOf(ids),
);

const visibleResponsesById = defineLoader(
  async (ids: readonly string[], service: ResponsesRepository, viewer: UserEntity | null) =>
    byKey(ids, await service.findVisibleByIds(viewer, ids), (row) => row.id),
);

export function replyCountLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, number> {
  return host.loaders.get(replyCounts, service, viewer);
}

export function promptResponseCountLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, number> {
  return host.loaders.get(promptResponseCounts, service, viewer);
}

export function essayResponseCountLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, number> {
  return host.loaders.get(essayResponseCounts, service, viewer);
}

/** First pages of replies, batched per page size. */
export function firstRepliesLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
  first: number,
): DataLoader<string, Connection<ResponseEntity>> {
  return host.loaders.get(firstReplies, service, viewer, first);
}

/** First pages of prompts' top-level responses, batched per page size and order. */
export function firstPromptResponsesLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
  first: number,
  order: ResponseOrder,
): DataLoader<string, Connection<ResponseEntity>> {
  return host.loaders.get(firstPromptResponses, service, viewer, first, order);
}

export function editsLoader(
  host: LoaderHost,
  service: ResponsesRepository,
): DataLoader<string, ResponseEditEntity[]> {
  return host.loaders.get(responseEdits, service);
}

/** Responses by id that the request's viewer may see; null for the others. */
export function visibleResponseLoader(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
): DataLoader<string, ResponseEntity | null> {
  return host.loaders.get(visibleResponsesById, service, viewer);
}

/**
 * The responses of a page `viewer` was shown, known visible to them: their
 * replies' `parent` fields find them here instead of reading them again.
 */
export function primeVisibleResponses(
  host: LoaderHost,
  service: ResponsesRepository,
  viewer: UserEntity | null,
  page: Connection<ResponseEntity>,
): void {
  const loader = visibleResponseLoader(host, service, viewer);
  for (const edge of page.edges) loader.prime(edge.node.id, edge.node);
}
