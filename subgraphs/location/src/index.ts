import { defineSubgraph } from '@phub/kit';
import type { LocationContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { createLoaders } from './loaders.js';
import { createLocationMetrics } from './metrics.js';
import { LocationInitial1764000000100 } from './migrations/1764000000100-location-initial.js';
import { LocationStoreExceptionsContact1764000000150 } from './migrations/1764000000150-location-store-exceptions-contact.js';
import { LocationDisplayGroups1764000000173 } from './migrations/1764000000173-location-display-groups.js';
import { Device } from './modules/device/device.entity.js';
import { DeviceResolver } from './modules/device/device.resolver.js';
import { DeviceService } from './modules/device/device.service.js';
import { Display } from './modules/display/display.entity.js';
import { DisplayResolver } from './modules/display/display.resolver.js';
import { DisplayService } from './modules/display/display.service.js';
import { DisplayGroup, DisplayGroupMember } from './modules/display-group/display-group.entity.js';
import { DisplayGroupResolver, DisplaysGroupsResolver } from './modules/display-group/display-group.resolver.js';
import { DisplayGroupService } from './modules/display-group/display-group.service.js';
import { Region } from './modules/region/region.entity.js';
import { RegionResolver } from './modules/region/region.resolver.js';
import { RegionService } from './modules/region/region.service.js';
import { Store } from './modules/store/store.entity.js';
import { StoreResolver } from './modules/store/store.resolver.js';
import { StoreService } from './modules/store/store.service.js';
import { Zone } from './modules/zone/zone.entity.js';
import { ZoneResolver } from './modules/zone/zone.resolver.js';
import { ZoneService } from './modules/zone/zone.service.js';
import { LocationScope } from './scope.js';

export { LocationTopic, type DisplayEvent, type StoreEvent } from './events.js';
export { demoDisplayId, demoStoreId } from './demo/demo-data.js';

/** The location subgraph: regions, stores, displays, zones and devices of each tenant. */
export const location = defineSubgraph({
  name: 'location',
  schema: 'location',
  port: { variable: 'LOCATION_PORT', default: 4002 },
  entities: [Region, Store, Display, Zone, Device, DisplayGroup, DisplayGroupMember],
  migrations: [
    LocationInitial1764000000100,
    LocationStoreExceptionsContact1764000000150,
    LocationDisplayGroups1764000000173,
  ],
  outbox: true,
  metrics: createLocationMetrics,
  services: ({ dataSource: ds, nudgeOutbox }) => {
    const stores = new StoreService(ds, nudgeOutbox);
    return {
      regions: new RegionService(ds),
      stores,
      displays: new DisplayService(ds, stores, nudgeOutbox),
      zones: new ZoneService(ds, stores),
      devices: new DeviceService(ds, stores),
      displayGroups: new DisplayGroupService(ds),
    };
  },
  resolvers: [
    [RegionResolver, (s) => new RegionResolver(s.regions)],
    [StoreResolver, (s) => new StoreResolver(s.stores)],
    [DisplayResolver, (s) => new DisplayResolver(s.displays)],
    [ZoneResolver, (s) => new ZoneResolver(s.zones)],
    [DeviceResolver, (s) => new DeviceResolver(s.devices)],
    [DisplayGroupResolver, (s) => new DisplayGroupResolver(s.displayGroups)],
    [DisplaysGroupsResolver, () => new DisplaysGroupsResolver()],
  ],
  context: ({ requestId, logger, viewer }, services, { dataSource }): LocationContext => {
    const scope = new LocationScope(dataSource, viewer);
    return { requestId, logger, viewer, scope, loaders: createLoaders(scope, services.displayGroups) };
  },
  references: {
    Store: (ref, ctx) => ctx.loaders.store.load(ref.id),
    Display: (ref, ctx) => ctx.loaders.display.load(ref.id),
    Zone: (ref, ctx) => ctx.loaders.zone.load(ref.id),
    Region: (ref, ctx) => ctx.loaders.region.load(ref.id),
  },
  demoData: { seed: (_services, { dataSource, logger }) => seedDemoData(dataSource, logger) },
});

export const LOCATION_SCHEMA = location.schema;
export const locationEntities = location.entities;
export const locationMigrations = location.migrations;
export const buildLocationSchema = location.buildSchema;
export const createLocationService = location.create;
