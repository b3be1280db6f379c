// The public benchmark's own Hive Gateway configuration (its gateway.config.ts; its run script adds `--jit` too):
// identical in-flight client requests share one execution, and operations are compiled with graphql-jit.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  inboundInflightRequestDeduplication: true,
  jit: true,
});
