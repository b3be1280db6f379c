import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ErrorCode, formatError, isDependencyOutage } from './errors.js';
import { TEST_POSTGRES_URL } from './testing/index.js';

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a resolver's error looks like by the time Apollo Server formats it. */
function format(error: Error) {
  const wrapped = new GraphQLError(error.message, { originalError: error, path: ['stores'] });
  return formatError(
    { message: error.message, path: ['stores'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    wrapped,
  );
}

describe(formatError.name, () => {
  it('maps Postgres being unreachable to UNAVAILABLE', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.port = String(await closedPort());
    const pool = new pg.Pool({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
    const error = await pool.query('SELECT 1').then(
      () => undefined,
      (err: Error) => err,
    );
    await pool.end();
    expect(error).toBeInstanceOf(Error);
    expect(format(error!)).toEqual({
      message: 'A service this request needs is unavailable; try again shortly',
      path: ['stores'],
      extensions: { code: ErrorCode.UNAVAILABLE },
    });
  });

  it('maps Redis being unreachable to UNAVAILABLE', async () => {
    const redis = new Redis({
      port: await closedPort(),
      host: '127.0.0.1',
      maxRetriesPerRequest: 1,
      retryStrategy: () => 10,
    });
    redis.on('error', () => undefined); // connection errors are the point here
    const error = await redis.get('key').then(
      () => undefined,
      (err: Error) => err,
    );
    redis.disconnect();
    expect(isDependencyOutage(error)).toBe(true);
    expect(format(error!).extensions).toEqual({ code: ErrorCode.UNAVAILABLE });
  });

  it('keeps masking a bug as INTERNAL_SERVER_ERROR', () => {
    const result = format(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(result).toEqual({
      message: 'Internal server error',
      path: ['stores'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps a real Postgres query error (not an outage) as INTERNAL_SERVER_ERROR', async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    const error = await client.query('SELECT * FROM no_such_table').then(
      () => undefined,
      (err: Error) => err,
    );
    await client.end();
    expect(format(error!).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
