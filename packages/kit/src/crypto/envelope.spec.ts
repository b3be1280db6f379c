import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Envelope,
  isSealedSecret,
  LocalMasterKey,
  MASTER_KEY_FILE,
  retiredMasterKeyFile,
  rotateLocalMasterKey,
  WrongMasterKeyError,
} from './envelope.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'phub-envelope-'));

describe(Envelope.name, () => {
  it('seals with a fresh data key each time and opens only with the same context', async () => {
    const envelope = new Envelope(LocalMasterKey.loadOrCreate(dir()));
    const a = await envelope.seal('{"d":"private"}', 'signing_key:k1');
    const b = await envelope.seal('{"d":"private"}', 'signing_key:k1');
    expect(isSealedSecret(a)).toBe(true);
    expect(JSON.stringify(a)).not.toContain('private');
    expect(a.edk).not.toBe(b.edk);
    expect(a.ct).not.toBe(b.ct);
    expect((await envelope.open(a, 'signing_key:k1')).toString()).toBe('{"d":"private"}');
    // Moved to another row, or tampered with: refused.
    await expect(envelope.open(a, 'signing_key:k2')).rejects.toThrow();
    const flipped = Buffer.from(a.ct, 'base64');
    flipped[0]! ^= 1;
    await expect(envelope.open({ ...a, ct: flipped.toString('base64') }, 'signing_key:k1')).rejects.toThrow();
  });

  it('says which master key is missing when another one is configured', async () => {
    const sealed = await new Envelope(LocalMasterKey.loadOrCreate(dir())).seal('x', 'c');
    const other = new Envelope(LocalMasterKey.loadOrCreate(dir()));
    await expect(other.open(sealed, 'c')).rejects.toBeInstanceOf(WrongMasterKeyError);
  });
});

describe(LocalMasterKey.name, () => {
  it('is generated once under DATA_DIR, readable by its owner only, and the same on every start', async () => {
    const dataDir = dir();
    const first = LocalMasterKey.loadOrCreate(dataDir);
    const file = path.join(dataDir, MASTER_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
    const again = LocalMasterKey.loadOrCreate(dataDir);
    expect(again.id).toBe(first.id);
    const sealed = await new Envelope(first).seal('secret', 'ctx');
    expect((await new Envelope(again).open(sealed, 'ctx')).toString()).toBe('secret');
  });

  it('refuses a master key file others can read', () => {
    const dataDir = dir();
    const file = path.join(dataDir, MASTER_KEY_FILE);
    writeFileSync(file, Buffer.alloc(32, 7).toString('base64'));
    chmodSync(file, 0o644);
    expect(() => LocalMasterKey.loadOrCreate(dataDir)).toThrow(/chmod 600/);
  });
});

describe(rotateLocalMasterKey.name, () => {
  it('keeps the old key (0600) so its data keys open, and re-wraps them without touching the ciphertext', async () => {
    const dataDir = dir();
    const before = new Envelope(LocalMasterKey.loadOrCreate(dataDir));
    const sealed = await before.seal('secret', 'ctx');

    const { retired, current } = rotateLocalMasterKey(dataDir);
    expect(retired).toBe(before.kek.id);
    expect(current).not.toBe(retired);
    for (const file of readdirSync(dataDir)) expect(statSync(path.join(dataDir, file)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).sort()).toEqual([MASTER_KEY_FILE, retiredMasterKeyFile(retired)].sort());

    const after = new Envelope(LocalMasterKey.loadOrCreate(dataDir));
    expect(after.kek.id).toBe(current);
    expect((await after.open(sealed, 'ctx')).toString()).toBe('secret');
    const rewrapped = (await after.rewrap(sealed, 'ctx'))!;
    expect(rewrapped).toEqual({ ...sealed, kek: current, edk: expect.any(String) });
    expect(rewrapped.edk).not.toBe(sealed.edk);
    expect(await after.rewrap(rewrapped, 'ctx')).toBeNull();
    // A process started before the rotation opens what the new key wrapped.
    expect((await before.open(rewrapped, 'ctx')).toString()).toBe('secret');

    // Once everything is re-wrapped the retired key can go; anything left behind then says which key it needs.
    rmSync(path.join(dataDir, retiredMasterKeyFile(retired)));
    const onlyNew = new Envelope(LocalMasterKey.loadOrCreate(dataDir));
    expect((await onlyNew.open(rewrapped, 'ctx')).toString()).toBe('secret');
    await expect(onlyNew.open(sealed, 'ctx')).rejects.toThrow(new RegExp(`encrypted with master key ${retired}`));
  });

  it('refuses a DATA_DIR without a master key rather than rotating a fresh one', () => {
    expect(() => rotateLocalMasterKey(dir())).toThrow(/no master key to rotate/);
  });
});
