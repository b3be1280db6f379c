/** The demo tenant as browser tests need it settled. */
import { graphql } from '@phub/e2e';

/**
 * Waits until the demo history job (a worker job started with the platform) has recorded every demo display's
 * heartbeats: each one then has a last-seen time. Returns the displays with it.
 */
export async function waitForDemoHistory(
  gateway: string,
  token: string,
  timeoutMs = 150_000,
): Promise<{ id: string; lastSeenAt: string }[]> {
  const until = Date.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    const r = await graphql<{
      fleetDisplays: { totalCount: number; edges: { node: { id: string; lastSeenAt: string | null } }[] };
    }>(gateway, '{ fleetDisplays(first: 100) { totalCount edges { node { id lastSeenAt } } } }', {}, token);
    const conn = r.data?.fleetDisplays;
    const nodes = conn?.edges.map((e) => e.node) ?? [];
    seen = nodes.filter((n) => n.lastSeenAt).length;
    if (conn && conn.totalCount >= 24 && seen === nodes.length)
      return nodes.map((n) => ({ id: n.id, lastSeenAt: n.lastSeenAt! }));
    if (Date.now() > until)
      throw new Error(`demo history: ${seen} of ${nodes.length} displays seen after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
