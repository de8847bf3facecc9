import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
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
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    const type = metadata.type as ArgumentMetadata['type'] | number;
    if (typeof type === 'number' && type !== GRAPHQL_ARGS) return false;
    return super.toValidate(metadata);
  }
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
