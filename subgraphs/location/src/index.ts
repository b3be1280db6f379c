import {
  buildFederatedSchema,
  CreateOutbox1764000000000,
  GraphQLServer,
  OutboxMessage,
  OutboxRelay,
  openDatabase,
  authChecker,
  authenticate,
  type Infra,
  type Service,
  type TokenVerifier,
} from '@phub/kit';
import type { GraphQLSchema } from 'graphql';
import type { ContainerType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { LocationContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { createLoaders } from './loaders.js';
import { createLocationMetrics } from './metrics.js';
import { LocationInitial1764000000100 } from './migrations/1764000000100-location-initial.js';
import { Device } from './modules/device/device.entity.js';
import { DeviceResolver } from './modules/device/device.resolver.js';
import { DeviceService } from './modules/device/device.service.js';
import { Display } from './modules/display/display.entity.js';
import { DisplayResolver } from './modules/display/display.resolver.js';
import { DisplayService } from './modules/display/display.service.js';
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

export const LOCATION_SCHEMA = 'location';
export const locationEntities = [Region, Store, Display, Zone, Device, OutboxMessage];
export const locationMigrations = [CreateOutbox1764000000000, LocationInitial1764000000100];

/** Resolvers get their services from here (type-graphql's container hook). */
function containerFor(dataSource: DataSource | null, onCommit: () => void): ContainerType {
  const ds = dataSource as DataSource; // only the schema printer runs without one, and it calls no resolver
  const stores = new StoreService(ds, onCommit);
  const instances = new Map<unknown, unknown>([
    [RegionResolver, new RegionResolver(new RegionService(ds))],
    [StoreResolver, new StoreResolver(stores)],
    [DisplayResolver, new DisplayResolver(new DisplayService(ds, stores, onCommit))],
    [ZoneResolver, new ZoneResolver(new ZoneService(ds, stores))],
    [DeviceResolver, new DeviceResolver(new DeviceService(ds, stores))],
  ]);
  return { get: (cls) => instances.get(cls) };
}

export async function buildLocationSchema(
  options: { dataSource?: DataSource; onCommit?: () => void } = {},
): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [RegionResolver, StoreResolver, DisplayResolver, ZoneResolver, DeviceResolver],
      container: containerFor(options.dataSource ?? null, options.onCommit ?? (() => {})),
      authChecker,
      validate: { forbidUnknownValues: false },
    },
    {
      Store: { __resolveReference: (ref: { id: string }, ctx: LocationContext) => ctx.loaders.store.load(ref.id) },
      Display: { __resolveReference: (ref: { id: string }, ctx: LocationContext) => ctx.loaders.display.load(ref.id) },
      Zone: { __resolveReference: (ref: { id: string }, ctx: LocationContext) => ctx.loaders.zone.load(ref.id) },
      Region: { __resolveReference: (ref: { id: string }, ctx: LocationContext) => ctx.loaders.region.load(ref.id) },
    },
  );
}

export interface LocationServiceOptions {
  port: number;
  host?: string;
  demoData?: boolean;
  /** Verifies access tokens (JWKS of the auth service, revocations in the shared cache). */
  verifier: TokenVerifier;
}

/** The location subgraph: regions, stores, displays, zones and devices of each tenant. */
export function createLocationService(infra: Infra, options: LocationServiceOptions): Service & { url: string } {
  const logger = infra.logger.child({ service: 'location' });
  const metrics = createLocationMetrics();
  let dataSource: DataSource | undefined;
  let relay: OutboxRelay | undefined;
  let server: GraphQLServer<LocationContext> | undefined;

  return {
    name: 'location',
    get url() {
      if (!server) throw new Error('location is not started');
      return server.url;
    },
    async start() {
      dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: LOCATION_SCHEMA,
        entities: locationEntities,
        migrations: locationMigrations,
        logger,
      });
      const ds = dataSource;
      relay = new OutboxRelay(ds, infra.bus, logger);
      if (options.demoData) await seedDemoData(ds, logger);
      relay.start();
      const schema = await buildLocationSchema({
        dataSource: ds,
        onCommit: () => relay?.nudge(),
      });
      server = new GraphQLServer<LocationContext>({
        name: 'location',
        schema,
        logger,
        metrics,
        readiness: [{ name: 'postgres', check: () => ds.query('SELECT 1') }, ...infra.readiness],
        shutdownTimeoutMs: infra.env.SHUTDOWN_TIMEOUT_MS,
        context: async (input) => {
          const viewer = await authenticate(input, options.verifier);
          const scope = new LocationScope(ds, viewer);
          return { requestId: input.requestId, logger: input.logger, viewer, scope, loaders: createLoaders(scope) };
        },
      });
      await server.start(options.port, options.host);
    },
    async stop() {
      await server?.stop();
      await relay?.stop();
      await dataSource?.destroy();
    },
  };
}
