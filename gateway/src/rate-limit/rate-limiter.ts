import type { Redis } from 'ioredis';

/** One token bucket: `limit` tokens at most, refilled evenly over `windowSeconds`. */
export interface BucketPolicy {
  limit: number;
  windowSeconds: number;
}

/** What every partner client gets: a bucket of requests and a bucket of query cost (estimated objects). */
export interface RateLimitPolicy {
  requests: BucketPolicy;
  cost: BucketPolicy;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** The tighter bucket (fewest windows' worth left), for the RateLimit-* headers. */
  limit: number;
  remaining: number;
  /** Seconds until that bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until this request would pass. */
  retryAfterSeconds: number;
}

/** Where buckets live: Redis for every gateway replica at once, or this process (the all-in-one binary). */
export interface RateLimitStore {
  /** Takes one request and `cost` from the client's buckets, both or neither. */
  take(client: string, cost: number, nowMs: number): Promise<RateLimitDecision>;
}

interface Levels {
  requests: number;
  cost: number;
}

/** Shared arithmetic: the decision from both buckets' levels after refill. */
function decide(policy: RateLimitPolicy, levels: Levels, cost: number, allowed: boolean): RateLimitDecision {
  // Seconds for `tokens` to come back; multiplied before dividing, so whole numbers stay whole.
  const secondsFor = (tokens: number, b: BucketPolicy) => (tokens * b.windowSeconds) / b.limit;
  const buckets = [
    { policy: policy.requests, level: levels.requests, need: 1 },
    { policy: policy.cost, level: levels.cost, need: neededCost(policy, cost) },
  ];
  // Retry when the emptiest bucket holds what this request needs.
  const waits = buckets.map((b) => Math.max(0, secondsFor(b.need - b.level, b.policy)));
  const tighter = buckets.reduce((a, b) => (b.level / b.policy.limit < a.level / a.policy.limit ? b : a));
  return {
    allowed,
    limit: tighter.policy.limit,
    remaining: Math.max(0, Math.floor(tighter.level)),
    resetSeconds: Math.ceil(secondsFor(tighter.policy.limit - tighter.level, tighter.policy)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(Math.max(...waits))),
  };
}

/** A query may cost more than a whole bucket only if MAX_QUERY_COST allows it; then it needs a full bucket. */
const neededCost = (policy: RateLimitPolicy, cost: number) => Math.min(Math.max(0, cost), policy.cost.limit);

// Both buckets in one round trip and atomically: two gateway replicas never both spend the last token.
// Levels are kept as strings, since Redis truncates Lua numbers it returns to integers.
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local function level(key, limit, windowMs)
  local v = redis.call('HMGET', key, 'tokens', 'at')
  local tokens, at = tonumber(v[1]), tonumber(v[2])
  if tokens == nil or at == nil then return limit end
  if now > at then tokens = math.min(limit, tokens + (now - at) * limit / windowMs) end
  return tokens
end
local reqLimit, reqWindowMs = tonumber(ARGV[2]), tonumber(ARGV[3])
local costLimit, costWindowMs, cost = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local requests = level(KEYS[1], reqLimit, reqWindowMs)
local spent = level(KEYS[2], costLimit, costWindowMs)
local allowed = requests >= 1 and spent >= cost
if allowed then
  requests = requests - 1
  spent = spent - cost
end
redis.call('HSET', KEYS[1], 'tokens', tostring(requests), 'at', tostring(now))
redis.call('HSET', KEYS[2], 'tokens', tostring(spent), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
return { allowed and 1 or 0, tostring(requests), tostring(spent) }
`;

/** Token buckets in Redis: every gateway replica spends from the same ones. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly policy: RateLimitPolicy,
    private readonly prefix = 'phub:ratelimit:',
  ) {}

  async take(client: string, cost: number, nowMs: number): Promise<RateLimitDecision> {
    const { requests, cost: costs } = this.policy;
    // One hash tag per client: both keys in one cluster slot, so the script may touch them together.
    const base = `${this.prefix}{${client}}`;
    const [allowed, reqLevel, costLevel] = (await this.redis.eval(
      TAKE_SCRIPT,
      2,
      `${base}:requests`,
      `${base}:cost`,
      nowMs,
      requests.limit,
      requests.windowSeconds * 1000,
      costs.limit,
      costs.windowSeconds * 1000,
      neededCost(this.policy, cost),
      // A full bucket needs no key: let it expire once it would have refilled.
      requests.windowSeconds * 1000,
      costs.windowSeconds * 1000,
    )) as [number, string, string];
    return decide(this.policy, { requests: Number(reqLevel), cost: Number(costLevel) }, cost, allowed === 1);
  }
}

/** The same buckets in this process, for the all-in-one binary without REDIS_URL (one gateway, nothing to share). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { requests: number; cost: number; at: number }>();

  constructor(private readonly policy: RateLimitPolicy) {}

  async take(client: string, cost: number, nowMs: number): Promise<RateLimitDecision> {
    const { requests, cost: costs } = this.policy;
    const found = this.buckets.get(client) ?? { requests: requests.limit, cost: costs.limit, at: nowMs };
    const elapsed = Math.max(0, nowMs - found.at);
    const levels = {
      requests: Math.min(requests.limit, found.requests + (elapsed * requests.limit) / (requests.windowSeconds * 1000)),
      cost: Math.min(costs.limit, found.cost + (elapsed * costs.limit) / (costs.windowSeconds * 1000)),
    };
    const need = neededCost(this.policy, cost);
    const allowed = levels.requests >= 1 && levels.cost >= need;
    if (allowed) {
      levels.requests -= 1;
      levels.cost -= need;
    }
    this.sweep(nowMs);
    this.buckets.set(client, { ...levels, at: nowMs });
    return decide(this.policy, levels, cost, allowed);
  }

  // Full buckets carry no information; drop them so the map stays as small as the active clients.
  private sweep(nowMs: number): void {
    if (this.buckets.size < 10_000) return;
    const window = Math.max(this.policy.requests.windowSeconds, this.policy.cost.windowSeconds) * 1000;
    for (const [client, bucket] of this.buckets) if (nowMs - bucket.at > window) this.buckets.delete(client);
  }
}
