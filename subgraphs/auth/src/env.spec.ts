import { ConfigError } from '@phub/kit';
import { describe, expect, it } from 'vitest';
import { loadAuthEnv, maxAccessTokenTtl } from './env.js';

describe(loadAuthEnv.name, () => {
  it('has working defaults', () => {
    const env = loadAuthEnv({});
    expect(env).toMatchObject({
      AUTH_ISSUER: 'urn:phub:auth',
      AUTH_AUDIENCE: 'urn:phub:api',
      AUTH_SIGNING_ALG: 'EdDSA',
      AUTH_ACCESS_TOKEN_TTL: 900,
      AUTH_SCRYPT_COST: 32_768,
    });
    expect(maxAccessTokenTtl(env)).toBe(3600);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadAuthEnv({ AUTH_SIGNING_ALG: 'HS256', AUTH_ACCESS_TOKEN_TTL: '-5', AUTH_SCRYPT_COST: '1000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/AUTH_SIGNING_ALG/);
    expect(problems.join('\n')).toMatch(/AUTH_ACCESS_TOKEN_TTL/);
    expect(problems.join('\n')).toMatch(/AUTH_SCRYPT_COST: must be a power of two, at least 1024/);
  });
});
