// Lets Node run the TypeScript sources of the gateway, the kit and the test subgraphs directly, as
// vitest does: `node --conditions=source --import ./bench/subscriptions/register.mjs <file>.ts`.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
