import type DataLoader from 'dataloader';
import { byKey, defineLoader, type LoaderHost } from '../common/loaders.js';
import { UserEntity } from './user.entity.js';
import { UsersService } from './users.service.js';

const usersById = defineLoader(async (ids: readonly string[], users: UsersService) =>
  byKey(ids, await users.findByIds(ids), (user) => user.id),
);

/** Users by id, for this request. */
export function userLoader(
  host: LoaderHost,
  users: UsersService,
): DataLoader<string, UserEntity | null> {
  return host.loaders.get(usersById, users);
}
