import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { badInput } from '../errors.js';

/** Whether endpoints may be on loopback or private networks (and plain http): dev and tests only. */
export interface UrlPolicy {
  allowPrivate: boolean;
}

// Addresses a partner's endpoint can never honestly have: loopback, private, link-local (cloud metadata at
// 169.254.169.254), carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook may be delivered to (IPv4-mapped IPv6 is judged by its IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family === 6) return !blocked.check(address, 'ipv6');
  return false;
}

const bad = (why: string) => badInput(`url: ${why}`, { field: 'url', reason: 'WEBHOOK_URL' });

/** Checks a webhook URL's form (the addresses it resolves to are checked too: `assertPublicHost`). */
export function parseWebhookUrl(raw: string, policy: UrlPolicy): URL {
  if (raw.length > 2000) throw bad('at most 2000 characters');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) throw bad('https only');
  if (url.username || url.password) throw bad('no credentials in the URL (sign with the secret instead)');
  if (url.hash) throw bad('no fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!policy.allowPrivate) {
    if (isIP(host) && !isPublicAddress(host)) throw bad(`${host} is not a public address`);
    if (host === 'localhost' || /\.(localhost|local|internal|home\.arpa)$/.test(host) || !host.includes('.')) {
      throw bad(`${host} is not a public host name`);
    }
  }
  return url;
}

type Resolver = (host: string) => Promise<LookupAddress[]>;
const resolveAll: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** Refuses a host that resolves to any non-public address (registration time; delivery checks again). */
export async function assertPublicHost(url: URL, policy: UrlPolicy, resolve: Resolver = resolveAll): Promise<void> {
  if (policy.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    throw bad(`${host} does not resolve`);
  }
  const inner = addresses.find((a) => !isPublicAddress(a.address));
  if (inner || !addresses.length) throw bad(`${host} resolves to a non-public address`);
}

/**
 * The `lookup` for delivery sockets: the address connected to is the address checked, so a DNS answer that
 * changes after registration (rebinding) cannot reach an internal service.
 */
export function safeLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const allowed = policy.allowPrivate ? list : list.filter((a) => isPublicAddress(a.address));
      if (!allowed.length) {
        const refused = Object.assign(new Error(`${hostname} resolves to a non-public address`), {
          code: 'ENONPUBLIC',
        });
        return callback(refused, '', 0);
      }
      if (options.all) return callback(null, allowed as unknown as string, 0);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
