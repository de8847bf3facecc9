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

describe('validationPipe on arguments it has seen', () => {
  const pipe = validationPipe();
  const metadata = { type: ARGS, metatype: ConnectionArgs } as never;

  it('answers a fresh instance each time, with the values it was given', async () => {
    const first = (await pipe.transform({ first: 3 }, metadata)) as ConnectionArgs;
    const again = (await pipe.transform({ first: 3 }, metadata)) as ConnectionArgs;
    expect(again).toBeInstanceOf(ConnectionArgs);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    again.first = 99;
    expect(((await pipe.transform({ first: 3 }, metadata)) as ConnectionArgs).first).toBe(3);
  });

  it('still refuses what is not valid, however often it comes, and keeps values apart by type', async () => {
    await pipe.transform({ first: 5 }, metadata);
    for (let i = 0; i < 3; i += 1) {
      await expect(pipe.transform({ first: 500 }, metadata)).rejects.toBeInstanceOf(BadUserInput);
      await expect(pipe.transform({ first: '5' }, metadata)).rejects.toBeInstanceOf(BadUserInput);
    }
    const cursor = 'WyIyMDI2LTEyLTAyVDAwOjAwOjAwLjAwMDAwMCIsImEiXQ';
    const withCursor = (await pipe.transform(
      { first: 5, after: cursor },
      metadata,
    )) as ConnectionArgs;
    expect(withCursor.after).toBe(cursor);
    const without = (await pipe.transform({ first: 5, after: null }, metadata)) as ConnectionArgs;
    expect(without.after).toBeNull();
  });
});
