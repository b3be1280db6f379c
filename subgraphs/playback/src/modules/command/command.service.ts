import {
  badInput,
  type Clock,
  conflict,
  type Connection,
  forbidden,
  notFound,
  paginate,
  type PlatformPubSub,
} from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { PlaybackScope } from '../../scope.js';
import { KnownDisplay } from '../projection/projection.entity.js';
import { DisplayCommand, DisplayCommandKind, DisplayCommandState } from './command.entity.js';

export const commandChannel = (tenantId: string, displayId: string) =>
  `playback.display-commands:${tenantId}:${displayId}`;

/** A command as it travels over pub/sub (JSON) to the display's player. */
export interface CommandPayload {
  id: string;
  tenantId: string;
  storeId: string;
  displayId: string;
  kind: DisplayCommandKind;
  state: DisplayCommandState;
  issuedBy: string;
  issuedAt: string;
  expiresAt: string;
}

export interface CommandSettings {
  /** A display that has not answered within this long will not act (a reload an hour late surprises a store). */
  ttlMs: number;
  /** Largest screenshot a display may send back, decoded. */
  maxScreenshotBytes: number;
}

// Kinds that change what the screen does: store managers and HQ. Identify and screenshot only look: store staff too.
const DISRUPTIVE = new Set([DisplayCommandKind.RELOAD, DisplayCommandKind.CLEAR_CACHE]);
const IMAGE = /^data:(image\/(?:jpeg|png|webp));base64,([A-Za-z0-9+/]+={0,2})$/;
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export function effectiveState(c: DisplayCommand, now: number): DisplayCommandState {
  return c.state === DisplayCommandState.PENDING && c.expiresAt.getTime() <= now
    ? DisplayCommandState.EXPIRED
    : c.state;
}

export function toCommandPayload(c: DisplayCommand): CommandPayload {
  return {
    id: c.id,
    tenantId: c.tenantId,
    storeId: c.storeId,
    displayId: c.displayId,
    kind: c.kind,
    state: c.state,
    issuedBy: c.issuedBy,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
  };
}

/**
 * Remote commands to display players (Xibo's and Yodeck's "reload", "identify", "screenshot"): sent by the people
 * who look after a store's screens, delivered over the display's own subscription (and again when its player
 * reconnects, while they last), answered by the player with its outcome — and a picture for a screenshot.
 */
export class DisplayCommandService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pubsub: PlatformPubSub,
    private readonly clock: Clock,
    private readonly settings: CommandSettings,
  ) {}

  /** PENDING, DONE or FAILED as stored; EXPIRED for a PENDING one past its time. */
  stateOf(c: DisplayCommand): DisplayCommandState {
    return effectiveState(c, this.clock.now());
  }

  private repo() {
    return this.dataSource.getRepository(DisplayCommand);
  }

  /** The display as the viewer may see it: NOT_FOUND for another tenant's, an unknown or an archived one. */
  private async display(scope: PlaybackScope, displayId: string): Promise<KnownDisplay> {
    const display = /^[0-9a-f-]{36}$/i.test(displayId)
      ? await this.dataSource.getRepository(KnownDisplay).findOneBy({ id: displayId, tenantId: scope.tenantId })
      : null;
    if (!display || display.archivedAt) throw notFound('Display', displayId);
    return display;
  }

  async send(scope: PlaybackScope, displayId: string, kind: DisplayCommandKind): Promise<DisplayCommand> {
    const display = await this.display(scope, displayId);
    const allowed = DISRUPTIVE.has(kind)
      ? scope.canManageStore(display.storeId, { hqEditors: true })
      : scope.canActInStore(display.storeId, { hqEditors: true });
    if (!allowed) throw forbidden(`You may not send ${kind} to display ${displayId}`);
    const now = this.clock.now();
    // A second press while the first is on its way is the same command.
    const pending = await this.repo()
      .createQueryBuilder('c')
      .where('c.displayId = :displayId AND c.kind = :kind AND c.state = :pending AND c.expiresAt > :now', {
        displayId,
        kind,
        pending: DisplayCommandState.PENDING,
        now: new Date(now),
      })
      .getOne();
    if (pending) return pending;
    const command = await this.repo().save(
      this.repo().create({
        tenantId: display.tenantId,
        storeId: display.storeId,
        displayId,
        kind,
        state: DisplayCommandState.PENDING,
        issuedBy: scope.subject,
        issuedAt: new Date(now),
        expiresAt: new Date(now + this.settings.ttlMs),
        completedAt: null,
        error: null,
        imageType: null,
      }),
    );
    this.pubsub.publish(commandChannel(command.tenantId, displayId), toCommandPayload(command));
    return command;
  }

  /** What the display still has to do (its player asks on every (re)subscription), oldest first. */
  async pendingFor(scope: PlaybackScope, displayId: string): Promise<CommandPayload[]> {
    if (!scope.isOwnDisplay(displayId)) throw forbidden('Only the display itself receives its commands');
    const rows = await this.repo()
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId AND c.displayId = :displayId AND c.state = :pending AND c.expiresAt > :now', {
        tenantId: scope.tenantId,
        displayId,
        pending: DisplayCommandState.PENDING,
        now: new Date(this.clock.now()),
      })
      .orderBy('c.issuedAt', 'ASC')
      .getMany();
    return rows.map(toCommandPayload);
  }

  /** The display's answer: done (with the picture, for a screenshot) or failed with a reason. */
  async complete(
    scope: PlaybackScope,
    id: string,
    answer: { screenshot?: string | null; error?: string | null },
  ): Promise<DisplayCommand> {
    const command = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo().findOneBy({ id, tenantId: scope.tenantId }) : null;
    if (!command || !scope.isOwnDisplay(command.displayId)) throw notFound('DisplayCommand', id);
    const state = effectiveState(command, this.clock.now());
    if (state !== DisplayCommandState.PENDING) {
      throw conflict(`Command ${id} is ${state}: it takes no answer`, { state });
    }
    const error = answer.error?.trim() ? answer.error.trim().slice(0, 500) : null;
    let image: Buffer | null = null;
    let imageType: string | null = null;
    if (!error && command.kind === DisplayCommandKind.SCREENSHOT) {
      ({ image, imageType } = this.screenshot(answer.screenshot));
    } else if (answer.screenshot) {
      throw badInput('screenshot: only a SCREENSHOT command that succeeded carries one', { field: 'screenshot' });
    }
    const done = {
      state: error ? DisplayCommandState.FAILED : DisplayCommandState.DONE,
      error,
      completedAt: new Date(this.clock.now()),
      image,
      imageType,
    };
    // Conditional on PENDING: two answers racing, one wins.
    const result = await this.repo().update({ id, state: DisplayCommandState.PENDING }, done);
    if (!result.affected) throw conflict(`Command ${id} was answered already`);
    return Object.assign(command, done);
  }

  private screenshot(dataUrl: string | null | undefined): { image: Buffer; imageType: string } {
    const m = dataUrl ? IMAGE.exec(dataUrl) : null;
    if (!m) {
      throw badInput('screenshot: a data: URL of a JPEG, PNG or WebP image, base64-encoded', { field: 'screenshot' });
    }
    const image = Buffer.from(m[2]!, 'base64');
    if (image.length > this.settings.maxScreenshotBytes) {
      throw badInput(`screenshot: at most ${this.settings.maxScreenshotBytes} bytes`, { field: 'screenshot' });
    }
    if (!MAGIC[m[1]!]!(image)) throw badInput(`screenshot: not a ${m[1]} image`, { field: 'screenshot' });
    return { image, imageType: m[1]! };
  }

  /** A display's commands, newest first: HQ and the display's store roles (whoever may see the store). */
  async list(
    scope: PlaybackScope,
    displayId: string,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<DisplayCommand>> {
    const display = await this.display(scope, displayId);
    if (scope.isDevice || !(await scope.canSeeStore(display.storeId))) {
      throw forbidden(`You have no access to the displays of store ${display.storeId}`);
    }
    const qb = this.repo().createQueryBuilder('c').where('c.displayId = :displayId', { displayId });
    return paginate(qb, { first, after, sortColumn: 'issuedAt', direction: 'DESC' });
  }

  /** The screenshot of a command as a data: URL (loaded on demand: the history lists many without pictures). */
  async screenshotOf(command: DisplayCommand): Promise<string | null> {
    if (command.kind !== DisplayCommandKind.SCREENSHOT || command.state !== DisplayCommandState.DONE) return null;
    const row = await this.repo()
      .createQueryBuilder('c')
      .addSelect('c.image')
      .where('c.id = :id', { id: command.id })
      .getOne();
    return row?.image && command.imageType ? `data:${command.imageType};base64,${row.image.toString('base64')}` : null;
  }
}
