import { BadUserInput } from './errors.js';
import { ConnectionArgs } from './pagination.js';
import { validationPipe } from './validation.js';

// @nestjs/graphql's parameter types: ROOT 0, CONTEXT 1, INFO 2, ARGS 3.
const ROOT = 0;
const ARGS = 3;

describe('validationPipe', () => {
  const pipe = validationPipe();

  it('checks GraphQL arguments and turns the first problem into BAD_USER_INPUT', async () => {
    const metadata = { type: ARGS, metatype: ConnectionArgs } as never;
    await expect(pipe.transform({ first: 500 }, metadata)).rejects.toBeInstanceOf(BadUserInput);
    await expect(pipe.transform({ first: 5 }, metadata)).resolves.toBeInstanceOf(ConnectionArgs);
  });

  it('checks HTTP bodies as before', async () => {
    const metadata = { type: 'body', metatype: ConnectionArgs } as const;
    await expect(pipe.transform({ first: 0 }, metadata)).rejects.toBeInstanceOf(BadUserInput);
  });

  it('leaves the parent of a field resolver as the resolver made it: no copy, no check', async () => {
    const parent = Object.assign(new ConnectionArgs(), { first: 500 });
    const metadata = { type: ROOT, metatype: ConnectionArgs } as never;
    await expect(pipe.transform(parent, metadata)).resolves.toBe(parent);
  });
});
