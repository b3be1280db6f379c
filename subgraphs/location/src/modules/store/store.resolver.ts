import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { ConnectionType, Role, scopeRule } from '@phub/kit';
import type { LocationContext } from '../../context.js';
import { LOCATION_WRITE_SCOPE } from '../../scope.js';
import { Device } from '../device/device.entity.js';
import { Display } from '../display/display.entity.js';
import { Region } from '../region/region.entity.js';
import { Zone } from '../zone/zone.entity.js';
import { GeoPoint, Store } from './store.entity.js';
import { CreateStoreInput, StoreFilter, UpdateStoreInput } from './store.input.js';
import type { StoreService } from './store.service.js';

export const StoreConnection = ConnectionType(Store, 'Store');

@ArgsType()
export class StoresArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page' })
  after?: string | null;

  @Field(() => StoreFilter, { nullable: true })
  filter?: StoreFilter | null;
}

@Resolver(() => Store)
export class StoreResolver {
  constructor(private readonly storeService: StoreService) {}

  @Authorized()
  @Query(() => StoreConnection, { description: 'Stores the caller can see, by name' })
  stores(@Ctx() ctx: LocationContext, @Args(() => StoresArgs) args: StoresArgs) {
    return this.storeService.list(ctx.scope, args);
  }

  @Authorized()
  @Query(() => Store, { nullable: true })
  store(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string): Promise<Store | null> {
    return ctx.loaders.store.load(id);
  }

  @FieldResolver(() => GeoPoint, { nullable: true })
  geo(@Root() store: Store): GeoPoint | null {
    return store.lat === null || store.lng === null ? null : { lat: store.lat, lng: store.lng };
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() store: Store, @Ctx() ctx: LocationContext): Promise<Region | null> | null {
    return store.regionId ? ctx.loaders.region.load(store.regionId) : null;
  }

  @FieldResolver(() => [Display], { description: 'Active displays, by name' })
  displays(@Root() store: Store, @Ctx() ctx: LocationContext): Promise<Display[]> {
    return ctx.loaders.displaysByStore.load(store.id);
  }

  @FieldResolver(() => [Zone], { description: 'Active zones, by name' })
  zones(@Root() store: Store, @Ctx() ctx: LocationContext): Promise<Zone[]> {
    return ctx.loaders.zonesByStore.load(store.id);
  }

  @FieldResolver(() => [Device], { description: 'Active devices, by name' })
  devices(@Root() store: Store, @Ctx() ctx: LocationContext): Promise<Device[]> {
    return ctx.loaders.devicesByStore.load(store.id);
  }

  @Authorized(Role.HQ_ADMIN, scopeRule(LOCATION_WRITE_SCOPE))
  @Mutation(() => Store, { description: 'HQ admins, and partners with location:write (a retailer’s ERP)' })
  createStore(@Ctx() ctx: LocationContext, @Arg('input', () => CreateStoreInput) input: CreateStoreInput) {
    return this.storeService.create(ctx.scope, input);
  }

  @Authorized(Role.HQ_ADMIN, Role.STORE_MANAGER, scopeRule(LOCATION_WRITE_SCOPE))
  @Mutation(() => Store, {
    description:
      'Store managers may update their own stores; partners with location:write any store’s details and hours',
  })
  updateStore(@Ctx() ctx: LocationContext, @Arg('input', () => UpdateStoreInput) input: UpdateStoreInput) {
    return this.storeService.update(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Store, { description: 'Archives the store and its displays' })
  archiveStore(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.storeService.archive(ctx.scope, id);
  }
}
