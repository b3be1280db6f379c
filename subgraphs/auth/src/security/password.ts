import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const paramsOf = (cost: number): ScryptOptions => ({
  N: cost,
  r: BLOCK_SIZE,
  p: PARALLELISM,
  // scrypt needs 128·N·r bytes; leave head-room above node's 32 MiB default.
  maxmem: 256 * cost * BLOCK_SIZE,
});

/**
 * scrypt (memory-hard) password hashes, stored as `scrypt$N$r$p$salt$hash` so the cost
 * can be raised later: old hashes still verify and are rehashed at the next login.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly cost: number) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, paramsOf(this.cost));
    return ['scrypt', this.cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join(
      '$',
    );
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    if (!stored) {
      // Unknown account or no password yet: spend the same time as a real check.
      this.dummy ??= this.hash('not a real password');
      await this.verify(password, await this.dummy);
      return false;
    }
    const [scheme, n, r, p, salt, expected] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const N = Number(n);
    const key = await derive(password, Buffer.from(salt, 'base64url'), {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: 256 * N * Number(r),
    });
    const want = Buffer.from(expected, 'base64url');
    return want.length === key.length && timingSafeEqual(want, key);
  }

  needsRehash(stored: string): boolean {
    return !stored.startsWith(`scrypt$${this.cost}$${BLOCK_SIZE}$${PARALLELISM}$`);
  }
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
