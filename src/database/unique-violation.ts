const UNIQUE_VIOLATION = '23505';

/** Whether PostgreSQL refused a write because it would break the named unique constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const failure = error as { code?: string; constraint?: string; message?: string };
  if (failure?.code !== UNIQUE_VIOLATION) return false;
  return (failure.constraint ?? failure.message ?? '').includes(constraint);
}
