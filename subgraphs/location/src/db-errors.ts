/** Postgres unique_violation, e.g. a duplicate store code within a tenant. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    (err as { code?: string; driverError?: { code?: string } })?.driverError?.code === '23505' ||
    (err as { code?: string })?.code === '23505'
  );
}
