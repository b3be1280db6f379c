import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseEnv, port, sharedEnvSchema } from './env.js';

describe(parseEnv.name, () => {
  it('reports every problem together', () => {
    const schema = z.object({ PORT: port(4000), DATABASE_URL: z.url(), MODE: z.enum(['a', 'b']) });
    let error: unknown;
    try {
      parseEnv(schema, { PORT: 'abc', DATABASE_URL: 'not a url', MODE: 'c' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'MODE', 'PORT']);
    expect((error as Error).message).toContain('Invalid configuration');
  });

  it('applies defaults and treats empty strings as unset', () => {
    const env = parseEnv(sharedEnvSchema, { DATABASE_URL: '', REDIS_URL: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe('.data');
    expect(env.DEMO_DATA).toBe(true);
  });

  // Demo accounts share a published password: production gets them only when asked for.
  it.each([
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', DEMO_DATA: '' }, false],
    [{ NODE_ENV: 'production', DEMO_DATA: 'true' }, true],
    [{ NODE_ENV: 'development' }, true],
    [{}, true],
    [{ DEMO_DATA: 'false' }, false],
  ])('DEMO_DATA for %o is %s', (source, demo) => {
    expect(parseEnv(sharedEnvSchema, source).DEMO_DATA).toBe(demo);
  });
});
