import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { LocationContext } from '../../context.js';
import { Store } from '../store/store.entity.js';
import { Zone } from '../zone/zone.entity.js';
import { Device } from './device.entity.js';
import { CreateDeviceInput, UpdateDeviceInput } from './device.input.js';
import type { DeviceService } from './device.service.js';

@Resolver(() => Device)
export class DeviceResolver {
  constructor(private readonly deviceService: DeviceService) {}

  @Authorized()
  @Query(() => Device, { nullable: true })
  device(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string): Promise<Device | null> {
    return ctx.loaders.device.load(id);
  }

  @FieldResolver(() => Store)
  store(@Root() device: Device, @Ctx() ctx: LocationContext): Promise<Store | null> {
    return ctx.loaders.store.load(device.storeId);
  }

  @FieldResolver(() => Zone, { nullable: true })
  zone(@Root() device: Device, @Ctx() ctx: LocationContext): Promise<Zone | null> | null {
    return device.zoneId ? ctx.loaders.zone.load(device.zoneId) : null;
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Device)
  createDevice(@Ctx() ctx: LocationContext, @Arg('input', () => CreateDeviceInput) input: CreateDeviceInput) {
    return this.deviceService.create(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Device)
  updateDevice(@Ctx() ctx: LocationContext, @Arg('input', () => UpdateDeviceInput) input: UpdateDeviceInput) {
    return this.deviceService.update(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Device)
  archiveDevice(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.deviceService.archive(ctx.scope, id);
  }
}
