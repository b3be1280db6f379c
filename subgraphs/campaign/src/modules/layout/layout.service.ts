import type { DataSource } from 'typeorm';
import { isUuid } from '../../ids.js';
import type { CampaignScope } from '../../scope.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { DisplayLayout, Layout, LayoutRegionKind, type LayoutRegion, type StoredRegion } from './layout.entity.js';
import { layoutInvalid, layoutNameTaken, layoutNotFound } from './layout.errors.js';
import { LAYOUT_MAX_REGIONS, REGION_NAME, TICKER_TEXT_MAX, type LayoutInput } from './layout.input.js';

const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: unknown; driverError?: { code?: unknown } }).code === '23505' ||
  (err as { driverError?: { code?: unknown } }).driverError?.code === '23505';

// Percentages are kept to two decimals; a region narrower than 1% cannot show anything.
const round = (n: number) => Math.round(n * 100) / 100;
const MIN_SIZE = 1;

/** The regions as stored, or BAD_USER_INPUT naming the first problem (field and reason are stable). */
export function normaliseRegions(input: LayoutInput['regions']): StoredRegion[] {
  if (!input.length) throw layoutInvalid('regions', 'a layout has at least one region', 'REGIONS_EMPTY');
  if (input.length > LAYOUT_MAX_REGIONS) {
    throw layoutInvalid('regions', `a layout has at most ${LAYOUT_MAX_REGIONS} regions`, 'TOO_MANY_REGIONS');
  }
  const names = new Set<string>();
  const regions = input.map((r, i): StoredRegion => {
    const field = (f: string) => `regions[${i}].${f}`;
    const name = r.name.trim().toLowerCase();
    if (!REGION_NAME.test(name)) {
      throw layoutInvalid(
        field('name'),
        'lower case letters, digits and dashes, starting with a letter (at most 32)',
        'REGION_NAME_INVALID',
      );
    }
    if (names.has(name)) throw layoutInvalid(field('name'), `“${name}” is used twice`, 'REGION_NAME_DUPLICATE');
    names.add(name);
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      if (!Number.isFinite(r[key])) throw layoutInvalid(field(key), 'must be a number', 'REGION_OUTSIDE_SCREEN');
    }
    const [x, y, width, height] = [round(r.x), round(r.y), round(r.width), round(r.height)];
    if (width < MIN_SIZE || height < MIN_SIZE) {
      throw layoutInvalid(
        field(width < MIN_SIZE ? 'width' : 'height'),
        'at least 1% of the screen',
        'REGION_TOO_SMALL',
      );
    }
    if (x < 0 || y < 0 || x + width > 100 || y + height > 100) {
      throw layoutInvalid(
        field(x < 0 || x + width > 100 ? 'x' : 'y'),
        'the region must lie inside the screen',
        'REGION_OUTSIDE_SCREEN',
      );
    }
    let text: string | null = null;
    if (r.kind === LayoutRegionKind.TICKER) {
      text = (r.text ?? '').replace(/\s+/g, ' ').trim();
      if (!text) throw layoutInvalid(field('text'), 'a ticker needs its text', 'TICKER_TEXT_REQUIRED');
      if (text.length > TICKER_TEXT_MAX) {
        throw layoutInvalid(field('text'), `at most ${TICKER_TEXT_MAX} characters`, 'TICKER_TEXT_TOO_LONG');
      }
    }
    return { name, kind: r.kind, x, y, width, height, text };
  });
  if (!regions.some((r) => r.kind === LayoutRegionKind.CONTENT)) {
    throw layoutInvalid('regions', 'a layout needs a CONTENT region for its campaigns', 'CONTENT_REGION_REQUIRED');
  }
  return regions;
}

/** The stored regions as the graph shows them; the first CONTENT region is main. */
export function regionViews(regions: readonly StoredRegion[]): LayoutRegion[] {
  const main = regions.find((r) => r.kind === LayoutRegionKind.CONTENT)?.name;
  return regions.map((r) => ({ ...r, kind: r.kind as LayoutRegionKind, text: r.text ?? null, main: r.name === main }));
}

/**
 * Layouts: HQ splits a screen into regions (main content, side panels, a ticker, the queue board) and assigns
 * the layout to displays. Each CONTENT region plays the campaigns that target it by name; the first one also
 * plays those that name no region, so a display keeps its content when it gets a layout. HQ admins and editors
 * design and assign, HQ viewers look; a display reads its layout with its playlist.
 */
export class LayoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notify: (notice: PlaylistChangeNotice) => Promise<void>,
  ) {}

  list(scope: CampaignScope): Promise<Layout[]> {
    return this.dataSource
      .getRepository(Layout)
      .find({ where: { tenantId: scope.tenantId }, order: { name: 'ASC', id: 'ASC' }, take: 500 });
  }

  async get(scope: CampaignScope, id: string): Promise<Layout> {
    const layout = isUuid(id)
      ? await this.dataSource.getRepository(Layout).findOne({ where: { id, tenantId: scope.tenantId } })
      : null;
    if (!layout) throw layoutNotFound(id);
    return layout;
  }

  async create(scope: CampaignScope, input: LayoutInput): Promise<Layout> {
    const name = layoutName(input.name);
    const regions = normaliseRegions(input.regions);
    const layout = Object.assign(new Layout(), { tenantId: scope.tenantId, name, regions, createdBy: scope.subject });
    return this.save(layout);
  }

  async update(scope: CampaignScope, id: string, input: LayoutInput): Promise<Layout> {
    const layout = await this.get(scope, id);
    layout.name = layoutName(input.name);
    layout.regions = normaliseRegions(input.regions);
    const saved = await this.save(layout);
    await this.changed(scope.tenantId, await this.displayIds(scope.tenantId, layout.id));
    return saved;
  }

  /** Deletes a layout; its displays go back to full screen. */
  async delete(scope: CampaignScope, id: string): Promise<boolean> {
    const layout = await this.get(scope, id);
    const displayIds = await this.displayIds(scope.tenantId, layout.id);
    await this.dataSource.getRepository(Layout).delete({ id: layout.id, tenantId: scope.tenantId });
    await this.changed(scope.tenantId, displayIds);
    return true;
  }

  /** Gives a display a layout, or (layoutId null) takes its layout away; returns the layout it now plays. */
  async assign(scope: CampaignScope, displayId: string, layoutId: string | null): Promise<Layout | null> {
    const display = await scope.display(displayId);
    const repo = this.dataSource.getRepository(DisplayLayout);
    let layout: Layout | null = null;
    if (layoutId) {
      layout = await this.get(scope, layoutId);
      await repo.upsert(
        { displayId: display.id, tenantId: display.tenantId, layoutId: layout.id, assignedBy: scope.subject },
        ['displayId'],
      );
    } else {
      await repo.delete({ displayId: display.id, tenantId: display.tenantId });
    }
    await this.changed(display.tenantId, [display.id]);
    return layout;
  }

  /** Displays playing the layout (ids; the graph resolves them through location). */
  async displayIds(tenantId: string, layoutId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(DisplayLayout)
      .find({ where: { tenantId, layoutId }, order: { displayId: 'ASC' }, select: { displayId: true } });
    return rows.map((r) => r.displayId);
  }

  private async save(layout: Layout): Promise<Layout> {
    try {
      return await this.dataSource.getRepository(Layout).save(layout);
    } catch (err) {
      if (isUniqueViolation(err)) throw layoutNameTaken(layout.name);
      throw err;
    }
  }

  private changed(tenantId: string, displayIds: string[]): Promise<void> {
    // The tenant's layouts are part of its compiled snapshot, so the index is rebuilt.
    return this.notify({ tenantId, reason: 'layout', index: true, displayIds });
  }
}

function layoutName(raw: string): string {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (!name) throw layoutInvalid('name', 'must not be empty', 'NAME_EMPTY');
  return name;
}
