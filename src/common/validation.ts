import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { BadUserInput } from './errors.js';

/** Validates GraphQL arguments; the first problem becomes BAD_USER_INPUT naming its field. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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
