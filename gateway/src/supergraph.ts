import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import type { Logger } from '@phub/kit/edge';
import { Kind, parse, type ConstValueNode } from 'graphql';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { GatewayMetrics } from './metrics.js';

export interface SupergraphFileOptions {
  path: string;
  debounceMs: number;
  logger: Logger;
  metrics: GatewayMetrics;
}

/**
 * Serves the supergraph from a file and swaps it in place when the file changes.
 * The gateway validates every new version inside `update()`; one that does not build
 * (half-written, hand-edited, wrong file) is logged and ignored, and the previous
 * supergraph keeps serving, so a bad deploy of the file never takes traffic down.
 */
export class SupergraphFile implements SupergraphManager {
  private current?: string;
  private timer?: NodeJS.Timeout;
  private watcher?: FSWatcher;

  constructor(private readonly options: SupergraphFileOptions) {}

  async initialize({ update }: { update: SupergraphSdlUpdateFunction }) {
    const { path, logger } = this.options;
    const sdl = await readFile(path, 'utf8').catch((err: Error) => {
      throw new Error(`Cannot read the supergraph: ${err.message}`);
    });
    if (!sdl.trim()) throw new Error('The supergraph file is empty');
    this.current = sdl;
    // Watch the folder, not the file: tools replace the file by renaming (a new inode), and a
    // Kubernetes ConfigMap swaps a symlink beside it. Any event just means "read it again".
    this.watcher = watch(dirname(path), () => this.schedule(update));
    this.watcher.on('error', (err) => logger.error({ err, path }, 'supergraph watcher failed; reloads stopped'));
    logger.info({ path, file: basename(path) }, 'supergraph loaded; watching for changes');
    return { supergraphSdl: sdl, cleanup: async () => this.close() };
  }

  private schedule(update: SupergraphSdlUpdateFunction): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(update), this.options.debounceMs);
  }

  private async reload(update: SupergraphSdlUpdateFunction): Promise<void> {
    const { path, logger, metrics } = this.options;
    let sdl: string;
    try {
      sdl = await readFile(path, 'utf8');
    } catch (err) {
      // Mid-rename the file can be missing for a moment; the next event brings it back.
      logger.warn({ path, reason: (err as Error).message }, 'supergraph unreadable; still serving the previous one');
      return;
    }
    if (sdl === this.current || !this.watcher) return;
    try {
      if (!sdl.trim()) throw new Error('the file is empty');
      update(sdl);
      this.current = sdl;
      metrics.supergraphReloads.inc({ outcome: 'applied' });
      logger.info({ path }, 'supergraph reloaded');
    } catch (err) {
      metrics.supergraphReloads.inc({ outcome: 'rejected' });
      logger.warn(
        { path, reason: (err as Error).message },
        'supergraph change ignored; still serving the previous one',
      );
    }
  }

  private close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** The subgraphs a supergraph routes to, from its `join__Graph` enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const stringArg = (args: readonly { name: { value: string }; value: ConstValueNode }[], name: string) => {
    const value = args.find((a) => a.name.value === name)?.value;
    return value?.kind === Kind.STRING ? value.value : undefined;
  };
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    return (def.values ?? []).flatMap((value) => {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = stringArg(directive?.arguments ?? [], 'name');
      return name ? [{ name, url: stringArg(directive?.arguments ?? [], 'url') ?? '' }] : [];
    });
  }
  return [];
}
