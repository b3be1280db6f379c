import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { LocationContext } from '../../context.js';
import { Device } from '../device/device.entity.js';
import { Display } from '../display/display.entity.js';
import { Store } from '../store/store.entity.js';
import { Zone } from './zone.entity.js';
import { CreateZoneInput, UpdateZoneInput } from './zone.input.js';
import type { ZoneService } from './zone.service.js';

@Resolver(() => Zone)
export class ZoneResolver {
  constructor(private readonly zoneService: ZoneService) {}

  @Authorized()
  @Query(() => Zone, { nullable: true })
  zone(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string): Promise<Zone | null> {
    return ctx.loaders.zone.load(id);
  }

  @FieldResolver(() => Store)
  store(@Root() zone: Zone, @Ctx() ctx: LocationContext): Promise<Store | null> {
    return ctx.loaders.store.load(zone.storeId);
  }

  @FieldResolver(() => [Display], { description: 'Active displays in the zone' })
  async displays(@Root() zone: Zone, @Ctx() ctx: LocationContext): Promise<Display[]> {
    const all = await ctx.loaders.displaysByStore.load(zone.storeId);
    return all.filter((d) => d.zoneId === zone.id);
  }

  @FieldResolver(() => [Device], { description: 'Active devices (e.g. beacons) in the zone' })
  async devices(@Root() zone: Zone, @Ctx() ctx: LocationContext): Promise<Device[]> {
    const all = await ctx.loaders.devicesByStore.load(zone.storeId);
    return all.filter((d) => d.zoneId === zone.id);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Zone)
  createZone(@Ctx() ctx: LocationContext, @Arg('input', () => CreateZoneInput) input: CreateZoneInput) {
    return this.zoneService.create(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Zone)
  updateZone(@Ctx() ctx: LocationContext, @Arg('input', () => UpdateZoneInput) input: UpdateZoneInput) {
    return this.zoneService.update(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Zone, { description: 'Archives a zone that no active display or device uses' })
  archiveZone(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.zoneService.archive(ctx.scope, id);
  }
}
