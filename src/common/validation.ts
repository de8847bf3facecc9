import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { BadUserInput } from './errors.js';

/** @nestjs/graphql's number for a resolver's arguments (GqlParamtype.ARGS). */
const GRAPHQL_ARGS = 3;

/**
 * Validates what callers send: GraphQL arguments and HTTP bodies, queries and
 * route parameters. Never what the server made itself: the parent a field
 * resolver receives (a model a resolver returned), the context, the info.
 * Validating those would copy and check every parent once per field (100
 * times for a page of 50 responses) and could never find a caller's mistake.
 */
class InputValidationPipe extends ValidationPipe {
  /**
   * Flat arguments already found valid, per argument class: a page asks for
   * `replies(first: 3)` once per response, and class-transformer and
   * class-validator took a twentieth of its CPU doing the same work again.
   */
  private readonly valid = new Map<
    NonNullable<ArgumentMetadata['metatype']>,
    LRUCache<string, object>
  >();

  protected override toValidate(metadata: ArgumentMetadata): boolean {
    const type = metadata.type as ArgumentMetadata['type'] | number;
    if (typeof type === 'number' && type !== GRAPHQL_ARGS) return false;
    return super.toValidate(metadata);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const key = metadata.metatype && this.toValidate(metadata) ? flatKey(value) : undefined;
    if (!key) return super.transform(value, metadata);
    let known = this.valid.get(metadata.metatype!);
    if (!known) this.valid.set(metadata.metatype!, (known = new LRUCache({ max: 1000 })));
    const seen = known.get(key);
    // A copy each time: a resolver may change what it was given.
    if (seen) return Object.assign(Object.create(Object.getPrototypeOf(seen) as object), seen);
    const result = (await super.transform(value, metadata)) as object;
    known.set(key, Object.assign(Object.create(Object.getPrototypeOf(result) as object), result));
    return result;
  }
}

/**
 * The cache key of arguments made only of a few short scalars (a page size,
 * a cursor, an order), or undefined for anything else, which is validated
 * afresh every time.
 */
function flatKey(value: unknown): string | undefined {
  if (
    value === null ||
    typeof value !== 'object' ||
    Object.getPrototypeOf(value) !== Object.prototype
  ) {
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length > 8) return undefined;
  for (const [, item] of entries) {
    if (typeof item === 'string' ? item.length > 200 : item !== null && typeof item === 'object') {
      return undefined;
    }
  }
  // The type too: 5 and "5", null and undefined come out differently.
  return JSON.stringify(entries.map(([name, item]) => [name, typeof item, item ?? null]));
}

/** Validates GraphQL arguments; the first problem becomes BAD_USER_INPUT naming its field. */
export function validationPipe(): ValidationPipe {
  return new InputValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors: ValidationError[]) => {
      const [field, message] = firstProblem(errors, '');
      return new BadUserInput(message, field);
    },
  });
}

function firstProblem(errors: ValidationError[], prefix: string): [string, string] {
  const error = errors[0]!;
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints) return [path, Object.values(error.constraints)[0]!];
  if (error.children?.length) return firstProblem(error.children, path);
  return [path, `${path} is not valid`];
}
