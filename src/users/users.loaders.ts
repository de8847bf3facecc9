import type DataLoader from 'dataloader';
import { byKey, requestLoader, type LoaderHost } from '../common/loaders.js';
import { UserEntity } from './user.entity.js';
import { UsersService } from './users.service.js';

/** Users by id, for this request. */
export function userLoader(
  host: LoaderHost,
  users: UsersService,
): DataLoader<string, UserEntity | null> {
  return requestLoader(host, 'userById', async (ids: readonly string[]) =>
    byKey(ids, await users.findByIds(ids), (user) => user.id),
  );
}
