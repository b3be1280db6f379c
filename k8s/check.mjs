#!/usr/bin/env node
// Offline checks for k8s/ (no cluster needed, nothing is applied):
//   1. every *.yaml / *.yml parses (all documents) and every *.json parses;
//   2. every file a kustomization.yaml names exists;
//   3. if `kubectl` is on PATH (set KUBECTL to override), renders overlays/dev and
//      overlays/prod with `kubectl kustomize` and checks the result is consistent: selectors
//      match pod labels, Service/Ingress/ServiceMonitor ports exist, referenced ConfigMaps,
//      Secrets, volumes and service accounts exist, probes, security context, graceful
//      shutdown timing, targets and per-overlay expectations, a SUBGRAPH_<NAME>_URL on the
//      gateway for every subgraph, DATA_DIR / ASSET_DIR on a volume, metric names in alerts
//      and the dashboard.
// Usage: node k8s/check.mjs          (exit code 1 on any error)
// Uses a YAML parser already installed in the workspace (yaml or js-yaml); adds nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const K8S = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(K8S, '..');
const errors = [];
const warnings = [];
const error = (msg) => errors.push(msg);
const warn = (msg) => warnings.push(msg);
const log = (line) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- YAML parser
function loadParser() {
  const require = createRequire(join(ROOT, 'package.json'));
  for (const name of ['yaml', 'js-yaml']) {
    try {
      return wrap(name, require(name));
    } catch {
      /* not a direct dependency */
    }
  }
  // pnpm keeps transitive packages under node_modules/.pnpm/<name>@<version>/node_modules/<name>
  const store = join(ROOT, 'node_modules', '.pnpm');
  if (existsSync(store)) {
    for (const name of ['yaml', 'js-yaml']) {
      const dir = readdirSync(store)
        .filter((d) => d.startsWith(`${name}@`))
        .sort()
        .pop();
      if (dir) return wrap(name, require(join(store, dir, 'node_modules', name)));
    }
  }
  process.stderr.write('No YAML parser (yaml or js-yaml) under node_modules: run `pnpm install` first.\n');
  process.exit(2);
}
function wrap(name, mod) {
  if (name === 'yaml')
    return {
      name,
      loadAll: (text) =>
        mod.parseAllDocuments(text).map((d) => {
          if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
          return d.toJS();
        }),
    };
  return { name, loadAll: (text) => mod.loadAll(text) };
}
const parser = loadParser();

// ---------------------------------------------------------------- 1. parse files
function walk(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const files = walk(K8S);
let parsedDocs = 0;
for (const file of files) {
  const rel = relative(ROOT, file);
  try {
    if (/\.ya?ml$/.test(file)) parsedDocs += parser.loadAll(readFileSync(file, 'utf8')).filter(Boolean).length;
    else if (file.endsWith('.json')) JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    error(`${rel}: does not parse: ${err.message}`);
  }
}
log(
  `parse: ${files.filter((f) => /\.(ya?ml|json)$/.test(f)).length} files, ${parsedDocs} YAML documents (parser: ${parser.name})`,
);

// ---------------------------------------------------------------- 2. kustomization references
const kustomizations = files.filter((f) => /kustomization\.ya?ml$/.test(f));
for (const file of kustomizations) {
  const dir = dirname(file);
  const rel = relative(ROOT, file);
  let k;
  try {
    [k] = parser.loadAll(readFileSync(file, 'utf8'));
  } catch {
    continue; // reported above
  }
  const refs = [
    ...(k.resources ?? []),
    ...(k.components ?? []),
    ...(k.patches ?? []).map((p) => p.path).filter(Boolean),
    ...(k.patchesStrategicMerge ?? []),
    ...(k.configMapGenerator ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split('=').pop())),
    ...(k.secretGenerator ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split('=').pop())),
  ];
  for (const ref of refs) {
    if (/^https?:|^github\.com/.test(ref)) continue;
    if (!existsSync(join(dir, ref))) error(`${rel}: names ${ref}, which does not exist`);
  }
}
log(`kustomizations: ${kustomizations.length} checked for missing files`);

// ---------------------------------------------------------------- 3. rendered overlays
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
function render(overlay) {
  try {
    return execFileSync(KUBECTL, ['kustomize', join(K8S, overlay)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    error(`${overlay}: kubectl kustomize failed: ${err.stderr || err.message}`);
    return undefined;
  }
}

const TARGETS = new Set([
  'all',
  'gateway',
  'auth',
  'location',
  'campaign',
  'playback',
  'queue',
  'proximity',
  'visitor',
  'content',
  'worker',
]);
const TARGET_PORT = {
  gateway: 4000,
  auth: 4001,
  location: 4002,
  campaign: 4003,
  playback: 4004,
  queue: 4005,
  proximity: 4006,
  visitor: 4008,
  content: 4010,
  worker: 4009,
};
// Every target but the gateway and the worker (jobs only, no GraphQL) is a subgraph with its own <NAME>_PORT.
const SUBGRAPHS = Object.keys(TARGET_PORT).filter((t) => t !== 'gateway' && t !== 'worker');
const METRIC_SUFFIXES = [
  // Domain metrics (alerts of phub.domain): playback, the worker's jobs, the gateway's partner limits, queue waits.
  'alerts_raised_total',
  'wait_seconds',
  'ingested_events_total',
  'batch_write_duration_seconds',
  'jobs_total',
  'rate_limit_store_failures_total',
  'partner_requests_total',
  'partner_query_cost_total',
  'http_requests_total',
  'http_request_duration_seconds',
  'graphql_operations_total',
  'graphql_operation_duration_seconds',
  'subgraph_fetch_duration_seconds',
  'supergraph_reloads_total',
  // prom-client default metrics (collectDefaultMetrics with the same prefix)
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'nodejs_active_handles_total',
];
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'ClusterSecretStore',
]);

const matches = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const envValue = (container, name) => container.env?.find((e) => e.name === name)?.value;

function checkRendered(overlay, docs) {
  const where = (d) => `${overlay}: ${d.kind}/${d.metadata?.name}`;
  const of = (kind) => docs.filter((d) => d.kind === kind);
  const names = new Set();
  for (const d of docs) {
    const key = `${d.kind}/${d.metadata?.namespace}/${d.metadata?.name}`;
    if (names.has(key)) error(`${where(d)}: defined twice`);
    names.add(key);
    // logging/ (Fluent Bit) has a namespace of its own: it needs hostPath, which phub's "restricted" refuses.
    if (!CLUSTER_SCOPED.has(d.kind) && !['phub', 'logging'].includes(d.metadata?.namespace))
      error(`${where(d)}: namespace is ${d.metadata?.namespace}, expected phub (or logging)`);
  }
  const deployments = of('Deployment').filter((d) => d.metadata.namespace === 'phub');
  const services = of('Service');
  const configMaps = new Map(of('ConfigMap').map((c) => [c.metadata.name, c]));
  const secrets = new Set([
    ...of('Secret').map((s) => s.metadata.name),
    ...of('ExternalSecret').map((s) => s.spec?.target?.name ?? s.metadata.name),
  ]);
  const accounts = new Set(of('ServiceAccount').map((s) => s.metadata.name));
  const phubConfig = configMaps.get('phub-config')?.data ?? {};
  const shutdownSeconds = Number(phubConfig.SHUTDOWN_TIMEOUT_MS ?? 10000) / 1000;

  for (const d of deployments) {
    const spec = d.spec;
    const pod = spec.template.spec;
    const podLabels = spec.template.metadata?.labels;
    if (!matches(spec.selector?.matchLabels, podLabels))
      error(`${where(d)}: selector does not match the pod template labels`);
    if (pod.serviceAccountName && !accounts.has(pod.serviceAccountName))
      error(`${where(d)}: service account ${pod.serviceAccountName} is not defined`);
    if (pod.securityContext?.runAsNonRoot !== true) error(`${where(d)}: pod securityContext.runAsNonRoot is not true`);
    if (!pod.topologySpreadConstraints?.length) error(`${where(d)}: no topologySpreadConstraints`);
    for (const tsc of pod.topologySpreadConstraints ?? []) {
      if (!matches(tsc.labelSelector?.matchLabels, podLabels))
        error(`${where(d)}: a topology spread selector does not match its own pods`);
    }
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    for (const v of pod.volumes ?? []) {
      if (v.configMap && !configMaps.has(v.configMap.name))
        error(`${where(d)}: volume ${v.name} uses missing ConfigMap ${v.configMap.name}`);
    }
    for (const c of pod.containers) {
      const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      for (const [kind, probe] of [
        ['startup', c.startupProbe],
        ['liveness', c.livenessProbe],
        ['readiness', c.readinessProbe],
      ]) {
        if (!probe) {
          error(`${where(d)}: container ${c.name} has no ${kind}Probe`);
          continue;
        }
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
        if (typeof port === 'string' && !ports.has(port))
          error(`${where(d)}: ${kind}Probe uses port ${port}, not declared by container ${c.name}`);
      }
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true)
        error(`${where(d)}: container ${c.name} root filesystem is not read-only`);
      if (sc.allowPrivilegeEscalation !== false) error(`${where(d)}: container ${c.name} allows privilege escalation`);
      if (!sc.capabilities?.drop?.includes('ALL'))
        error(`${where(d)}: container ${c.name} does not drop ALL capabilities`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
        error(`${where(d)}: container ${c.name} lacks cpu/memory requests or a memory limit`);
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name)) error(`${where(d)}: mount ${m.mountPath} uses undefined volume ${m.name}`);
      }
      const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
      if (!tmp || !volumes.get(tmp.name)?.emptyDir) error(`${where(d)}: container ${c.name} has no emptyDir on /tmp`);
      for (const src of c.envFrom ?? []) {
        if (src.configMapRef && !configMaps.has(src.configMapRef.name))
          error(`${where(d)}: envFrom ConfigMap ${src.configMapRef.name} is not defined`);
        if (src.secretRef && !src.secretRef.optional && !secrets.has(src.secretRef.name))
          error(
            `${where(d)}: envFrom Secret ${src.secretRef.name} is neither defined nor produced by an ExternalSecret`,
          );
      }
      const sleep =
        c.lifecycle?.preStop?.exec?.command?.join(' ').match(/sleep\s+(\d+)/)?.[1] ??
        c.lifecycle?.preStop?.sleep?.seconds;
      if (sleep === undefined) error(`${where(d)}: container ${c.name} has no preStop sleep`);
      if (podLabels?.['app.kubernetes.io/name'] !== 'phub') continue;

      // phub app containers
      const budget = Number(sleep ?? 0) + shutdownSeconds;
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      if (!(grace > budget))
        error(
          `${where(d)}: terminationGracePeriodSeconds ${grace} is not above preStop ${sleep} s + SHUTDOWN_TIMEOUT_MS ${shutdownSeconds} s`,
        );
      if (pod.enableServiceLinks !== false)
        error(
          `${where(d)}: enableServiceLinks must be false (Service env vars like AUTH_PORT=tcp://... collide with the app's settings)`,
        );
      const target = (c.args ?? []).find((a) => a.startsWith('--target='))?.slice('--target='.length);
      if (!target) error(`${where(d)}: no --target argument`);
      for (const t of (target ?? '').split(',')) if (!TARGETS.has(t)) error(`${where(d)}: unknown target ${t}`);
      if (c.livenessProbe?.httpGet?.path !== '/healthz') error(`${where(d)}: livenessProbe must use /healthz`);
      if (c.readinessProbe?.httpGet?.path !== '/readyz') error(`${where(d)}: readinessProbe must use /readyz`);
      if (c.startupProbe?.httpGet?.path !== '/healthz') error(`${where(d)}: startupProbe must use /healthz`);
      const httpPort = ports.get('http');
      const expectedPort = target === 'all' ? 4000 : TARGET_PORT[target];
      if (httpPort !== expectedPort)
        error(`${where(d)}: port "http" is ${httpPort}, expected ${expectedPort} for --target=${target}`);
      if (Number(envValue(c, 'PORT') ?? 4000) !== expectedPort)
        error(`${where(d)}: PORT env ${envValue(c, 'PORT')} differs from the container port ${expectedPort}`);
      if (SUBGRAPHS.includes(target)) {
        const key = `${target.toUpperCase()}_PORT`;
        const value = envValue(c, key) ?? phubConfig[key];
        if (Number(value) !== expectedPort) error(`${where(d)}: ${key} is ${value}, expected ${expectedPort}`);
        if (!envValue(c, 'AUTH_JWKS_URL')) error(`${where(d)}: a standalone subgraph needs AUTH_JWKS_URL`);
      }
      if (target === 'worker') {
        const value = envValue(c, 'WORKER_PORT') ?? phubConfig.WORKER_PORT;
        if (Number(value) !== expectedPort) error(`${where(d)}: WORKER_PORT is ${value}, expected ${expectedPort}`);
      }
      if (target === 'all') {
        for (const [name, port] of SUBGRAPHS.map((t) => [`${t}-http`, TARGET_PORT[t]])) {
          if (ports.get(name) !== port) error(`${where(d)}: --target=all should declare port ${name}=${port}`);
        }
      }
      if (target === 'gateway' || target === 'all') {
        for (const t of SUBGRAPHS) {
          const key = `SUBGRAPH_${t.toUpperCase()}_URL`;
          if (!envValue(c, key)) error(`${where(d)}: the gateway has no ${key}`);
        }
      }
      // Writable paths must be on a volume: the root filesystem is read-only.
      for (const key of ['DATA_DIR', 'ASSET_DIR']) {
        const value = envValue(c, key);
        if (value && !(c.volumeMounts ?? []).some((m) => value === m.mountPath || value.startsWith(`${m.mountPath}/`)))
          error(`${where(d)}: ${key}=${value} is not on a mounted volume (read-only root filesystem)`);
      }
      for (const e of c.env ?? []) {
        if (!/^SUBGRAPH_.+_URL$|^AUTH_JWKS_URL$/.test(e.name) || !e.value) continue;
        const url = new URL(e.value);
        if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
          const local = [...ports.values()].includes(Number(url.port));
          if (!local)
            error(`${where(d)}: ${e.name}=${e.value} points at a loopback port this container does not serve`);
          continue;
        }
        const svc = services.find((s) => s.metadata.name === url.hostname.split('.')[0]);
        if (!svc) error(`${where(d)}: ${e.name}=${e.value}: no Service ${url.hostname}`);
        else if (!svc.spec.ports.some((p) => p.port === Number(url.port)))
          error(`${where(d)}: ${e.name}=${e.value}: Service ${svc.metadata.name} has no port ${url.port}`);
      }
    }
  }

  const podsOf = (selector) => deployments.filter((d) => matches(selector, d.spec.template.metadata?.labels));
  for (const s of services) {
    const targets = podsOf(s.spec.selector);
    if (!targets.length) {
      error(`${where(s)}: selector matches no Deployment`);
      continue;
    }
    for (const p of s.spec.ports) {
      for (const d of targets) {
        const declared = d.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
        const ok =
          typeof p.targetPort === 'string'
            ? declared.some((cp) => cp.name === p.targetPort)
            : declared.some((cp) => cp.containerPort === (p.targetPort ?? p.port));
        if (!ok)
          error(`${where(s)}: port ${p.name} targets ${p.targetPort}, which ${d.metadata.name} does not declare`);
      }
    }
  }
  for (const pdb of of('PodDisruptionBudget')) {
    if (!podsOf(pdb.spec.selector?.matchLabels).length) error(`${where(pdb)}: selector matches no Deployment`);
  }
  for (const hpa of of('HorizontalPodAutoscaler')) {
    const ref = hpa.spec.scaleTargetRef;
    const d = deployments.find((x) => x.metadata.name === ref.name && ref.kind === 'Deployment');
    if (!d) error(`${where(hpa)}: scales missing Deployment ${ref.name}`);
    else if (d.spec.replicas !== undefined)
      warn(`${where(hpa)}: Deployment ${ref.name} also sets replicas (kubectl apply will fight the autoscaler)`);
    if (!(hpa.spec.minReplicas >= 2)) error(`${where(hpa)}: minReplicas ${hpa.spec.minReplicas} < 2`);
  }
  for (const ing of of('Ingress')) {
    for (const rule of ing.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const b = path.backend.service;
        const svc = services.find((s) => s.metadata.name === b.name);
        if (!svc) error(`${where(ing)}: backend Service ${b.name} is not defined`);
        else if (!svc.spec.ports.some((p) => (b.port.name ? p.name === b.port.name : p.port === b.port.number)))
          error(`${where(ing)}: Service ${b.name} has no port ${b.port.name ?? b.port.number}`);
      }
    }
  }
  for (const sm of of('ServiceMonitor')) {
    const matched = services.filter((s) => matches(sm.spec.selector?.matchLabels, s.metadata.labels));
    if (!matched.length) {
      (overlay.includes('prod') ? error : warn)(`${where(sm)}: selects no Service in this overlay`);
      continue;
    }
    for (const ep of sm.spec.endpoints ?? []) {
      if (!matched.every((s) => s.spec.ports.some((p) => p.name === ep.port)))
        error(`${where(sm)}: endpoint port ${ep.port} missing on the selected Service`);
    }
  }
  for (const np of of('NetworkPolicy')) {
    if (!podsOf(np.spec.podSelector?.matchLabels).length) error(`${where(np)}: podSelector matches no pods`);
  }

  // Metric names in alerts and the dashboard must be ones the services export.
  const texts = [
    ...of('PrometheusRule').flatMap((r) =>
      r.spec.groups.flatMap((g) => g.rules.map((x) => [`${where(r)} ${x.alert ?? x.record}`, x.expr])),
    ),
    ...of('ConfigMap')
      .filter((c) => c.metadata.labels?.grafana_dashboard)
      .flatMap((c) =>
        Object.entries(c.data ?? {}).flatMap(([file, json]) => {
          try {
            return collectExprs(JSON.parse(json)).map((e) => [`${where(c)} ${file}`, e]);
          } catch (err) {
            error(`${where(c)}: ${file} is not valid JSON: ${err.message}`);
            return [];
          }
        }),
      ),
  ];
  const known = new RegExp(
    `^phub_(${Object.keys(TARGET_PORT).join('|')}|\\.\\+)_(${METRIC_SUFFIXES.join('|')})(_bucket|_count|_sum)?$`,
  );
  // Metrics the kit keeps for every service (not per target): the event bus's dead letters, outbound deliveries.
  const kitWide = new Set(['phub_bus_dead_letters_total', 'phub_outbound_deliveries_total']);
  for (const [origin, expr] of texts) {
    for (const name of String(expr).match(/phub_[A-Za-z0-9_.+]+/g) ?? []) {
      if (!known.test(name) && !kitWide.has(name)) error(`${origin}: unknown metric ${name}`);
    }
  }
  if (!of('PrometheusRule').length) error(`${overlay}: no PrometheusRule`);
  if (!of('ConfigMap').some((c) => c.metadata.labels?.grafana_dashboard))
    error(`${overlay}: no Grafana dashboard ConfigMap`);

  // What each overlay promises.
  const app = deployments.filter((d) => d.spec.template.metadata?.labels?.['app.kubernetes.io/name'] === 'phub');
  const targetsOf = (d) => d.spec.template.spec.containers[0].args.find((a) => a.startsWith('--target=')).slice(9);
  if (overlay.endsWith('dev')) {
    if (app.length !== 1 || targetsOf(app[0]) !== 'all')
      error(`${overlay}: expected one phub Deployment with --target=all`);
    if (app[0]?.spec.replicas !== 1) error(`${overlay}: the all-in-one Deployment must have replicas: 1`);
    if (app[0]?.spec.strategy?.type !== 'Recreate')
      error(`${overlay}: the all-in-one Deployment should use the Recreate strategy`);
    if (of('HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef.name === app[0]?.metadata.name))
      error(`${overlay}: the all-in-one Deployment must not be autoscaled`);
    if (phubConfig.DEMO_DATA !== 'true') error(`${overlay}: DEMO_DATA should be "true"`);
  } else {
    const targets = app.map(targetsOf).sort().join(',');
    const expected = Object.keys(TARGET_PORT).sort().join(',');
    if (targets !== expected) error(`${overlay}: expected separate ${expected} Deployments, got ${targets}`);
    for (const d of app) {
      // The worker's load is its job schedule, not requests: fixed replicas (at least 2) instead of an autoscaler.
      const autoscaled = of('HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef.name === d.metadata.name);
      if (!autoscaled && !(d.spec.replicas >= 2))
        error(`${where(d)}: neither a HorizontalPodAutoscaler nor replicas >= 2`);
      if (
        !of('PodDisruptionBudget').some((p) => matches(p.spec.selector?.matchLabels, d.spec.template.metadata.labels))
      )
        error(`${where(d)}: no PodDisruptionBudget`);
      const image = d.spec.template.spec.containers[0].image;
      if (/:latest$|^[^:]+$/.test(image)) error(`${where(d)}: image ${image} has no pinned tag`);
    }
    if (phubConfig.DEMO_DATA !== 'false') error(`${overlay}: DEMO_DATA must be "false"`);
    if (!of('Ingress').length) error(`${overlay}: no Ingress`);
    if (!of('DaemonSet').some((d) => d.metadata.name === 'fluent-bit'))
      error(`${overlay}: no Fluent Bit DaemonSet (logs)`);
    // Partners get tokens, keys and the docs on the graph's host: the gateway passes tokens and keys to auth.
    const routed = of('Ingress').flatMap((i) => (i.spec.rules ?? []).flatMap((r) => r.http?.paths ?? []));
    for (const path of ['/graphql', '/oauth/token', '/.well-known/jwks.json', '/auth/session', '/docs'])
      if (!routed.some((p) => p.path === path && p.backend.service?.name === 'gateway'))
        error(`${overlay}: the Ingress does not route ${path} to the gateway`);
  }
  checkLogging(overlay, docs, where);
  const images = new Set(app.map((d) => d.spec.template.spec.containers[0].image));
  if (images.size > 1) error(`${overlay}: phub Deployments use different images: ${[...images].join(', ')}`);
  return docs.length;
}

// ---------------------------------------------------------------- logs (Fluent Bit -> OpenSearch)
/** Fluent Bit's classic config: `[SECTION]` headers, then `Key Value` lines; one entry per section. */
function parseFluentBit(text) {
  const sections = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[([A-Z_]+)\]$/.exec(line);
    if (header) sections.push({ kind: header[1], keys: {} });
    else if (sections.length) {
      const [key, ...rest] = line.split(/\s+/);
      sections.at(-1).keys[key.toLowerCase()] = rest.join(' ');
    }
  }
  return sections;
}

/**
 * The Fluent Bit DaemonSet and what it relies on: RBAC for the kubernetes filter, its config (tail of the
 * container logs, the kubernetes filter merging our pino JSON with a parser that exists and reads pino's
 * time key, an OpenSearch output whose indices the index template and the retention policy cover), every
 * ${VARIABLE} defined in the pod, state on a writable volume, probes on the built-in HTTP server.
 */
function checkLogging(overlay, docs, where) {
  const inNs = (kind) => docs.filter((d) => d.kind === kind && d.metadata?.namespace === 'logging');
  for (const ds of inNs('DaemonSet')) {
    const pod = ds.spec.template.spec;
    const c = pod.containers[0];
    if (!matches(ds.spec.selector?.matchLabels, ds.spec.template.metadata?.labels))
      error(`${where(ds)}: selector does not match the pod template labels`);
    if (!inNs('ServiceAccount').some((a) => a.metadata.name === pod.serviceAccountName))
      error(`${where(ds)}: service account ${pod.serviceAccountName} is not defined in logging`);
    const binding = docs.find(
      (d) =>
        d.kind === 'ClusterRoleBinding' &&
        d.subjects?.some(
          (s) => s.kind === 'ServiceAccount' && s.name === pod.serviceAccountName && s.namespace === 'logging',
        ),
    );
    const role = binding && docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === binding.roleRef.name);
    for (const resource of ['pods', 'namespaces']) {
      const ok = role?.rules?.some(
        (r) => r.resources.includes(resource) && ['get', 'list', 'watch'].every((v) => r.verbs.includes(v)),
      );
      if (!ok) error(`${where(ds)}: its ServiceAccount may not get/list/watch ${resource} (kubernetes filter)`);
    }
    const sc = c.securityContext ?? {};
    if (
      sc.readOnlyRootFilesystem !== true ||
      sc.allowPrivilegeEscalation !== false ||
      !sc.capabilities?.drop?.includes('ALL')
    )
      error(
        `${where(ds)}: container must have a read-only root filesystem, no privilege escalation, ALL capabilities dropped`,
      );
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
      error(`${where(ds)}: lacks cpu/memory requests or a memory limit`);
    if (/:latest$|^[^:]+$/.test(c.image)) error(`${where(ds)}: image ${c.image} has no pinned tag`);

    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    const mounts = c.volumeMounts ?? [];
    const mountOf = (path) =>
      mounts.filter((m) => path === m.mountPath || path.startsWith(m.mountPath.replace(/\/?$/, '/'))).pop();
    for (const m of mounts)
      if (!volumes.has(m.name)) error(`${where(ds)}: mount ${m.mountPath} uses undefined volume ${m.name}`);
    const configArg = (c.args ?? []).find((a) => a.startsWith('--config='))?.slice('--config='.length);
    const configMount = configArg && mountOf(configArg);
    const configMap =
      configMount &&
      docs.find(
        (d) =>
          d.kind === 'ConfigMap' &&
          d.metadata.namespace === 'logging' &&
          d.metadata.name === volumes.get(configMount.name)?.configMap?.name,
      );
    if (!configMap) {
      error(`${where(ds)}: --config=${configArg} is not a file of a mounted ConfigMap`);
      continue;
    }
    const file = (name) => configMap.data?.[name];
    const main = file(configArg.slice(configArg.lastIndexOf('/') + 1));
    if (!main) {
      error(`${where(ds)}: ConfigMap ${configMap.metadata.name} has no ${configArg}`);
      continue;
    }
    const sections = parseFluentBit(main);
    const service = sections.find((x) => x.kind === 'SERVICE')?.keys ?? {};
    const parsers = parseFluentBit(file(service.parsers_file) ?? '').filter((x) => x.kind === 'PARSER');
    if (!parsers.length)
      error(`${where(ds)}: Parsers_File ${service.parsers_file} is not in the ConfigMap or defines none`);

    // Variables: from env (values or secrets that exist) and envFrom ConfigMaps of this namespace.
    const vars = new Map();
    for (const src of c.envFrom ?? []) {
      const cm = docs.find(
        (d) =>
          d.kind === 'ConfigMap' && d.metadata.namespace === 'logging' && d.metadata.name === src.configMapRef?.name,
      );
      if (!cm) error(`${where(ds)}: envFrom ConfigMap ${src.configMapRef?.name} is not defined`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) vars.set(k, v);
    }
    const secretNames = new Set([
      ...inNs('Secret').map((x) => x.metadata.name),
      ...inNs('ExternalSecret').map((x) => x.spec?.target?.name ?? x.metadata.name),
    ]);
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && !secretNames.has(ref.name))
        error(`${where(ds)}: env ${e.name} uses Secret ${ref.name}, which is not defined`);
      vars.set(e.name, e.value ?? `<secret ${ref?.name}>`);
    }
    for (const name of new Set([...main.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1])))
      if (!vars.has(name)) error(`${where(ds)}: the config uses \${${name}}, which the pod does not define`);
    const resolve = (v) => String(v ?? '').replace(/\$\{([A-Z0-9_]+)\}/g, (_, n) => vars.get(n) ?? '');

    const tail = sections.find((x) => x.kind === 'INPUT' && x.keys.name === 'tail');
    if (!tail || !/^\/var\/log\/containers\//.test(tail.keys.path ?? ''))
      error(`${where(ds)}: no tail input of /var/log/containers/*.log`);
    else {
      const m = mountOf(tail.keys.path);
      if (!m || !volumes.get(m.name)?.hostPath) error(`${where(ds)}: ${tail.keys.path} is not on a hostPath mount`);
    }
    // Positions and buffered chunks: on a writable volume that outlives the pod.
    for (const path of [tail?.keys.db, service['storage.path']].filter(Boolean)) {
      const m = mountOf(path);
      if (!m || m.readOnly || !volumes.get(m.name)?.hostPath)
        error(`${where(ds)}: ${path} is not on a writable hostPath mount`);
    }
    const kube = sections.find((x) => x.kind === 'FILTER' && x.keys.name === 'kubernetes');
    if (!kube) error(`${where(ds)}: no kubernetes filter`);
    else {
      if (kube.keys.merge_log?.toLowerCase() !== 'on')
        error(`${where(ds)}: the kubernetes filter does not merge JSON logs (Merge_Log On)`);
      const parser = parsers.find((x) => x.keys.name === kube.keys.merge_parser);
      if (!parser)
        error(`${where(ds)}: Merge_Parser ${kube.keys.merge_parser} is not defined in ${service.parsers_file}`);
      else {
        // The kit's pino logger: ISO time under `time` (pino.stdTimeFunctions.isoTime).
        const logger = readFileSync(join(ROOT, 'packages/kit/src/logger.ts'), 'utf8');
        if (parser.keys.format !== 'json') error(`${where(ds)}: parser ${parser.keys.name} is not JSON`);
        if (!logger.includes('stdTimeFunctions.isoTime') || parser.keys.time_key !== 'time')
          error(
            `${where(ds)}: parser ${parser.keys.name} reads time from ${parser.keys.time_key}; pino writes ISO time to "time"`,
          );
      }
      if (tail && !String(tail.keys.tag).startsWith(kube.keys.match.replace(/\*$/, '')))
        error(
          `${where(ds)}: the kubernetes filter (${kube.keys.match}) does not match the tail input's tag ${tail.keys.tag}`,
        );
    }
    const output = sections.find((x) => x.kind === 'OUTPUT' && x.keys.name === 'opensearch');
    if (!output) error(`${where(ds)}: no opensearch output`);
    else {
      const prefix = resolve(output.keys.logstash_prefix);
      const templates = docs.find(
        (d) => d.kind === 'ConfigMap' && d.metadata.namespace === 'logging' && d.data?.['index-template.json'],
      );
      let template;
      let policy;
      try {
        template = JSON.parse(templates?.data['index-template.json'] ?? 'null');
        policy = JSON.parse(templates?.data['ism-policy.json'] ?? 'null');
      } catch (err) {
        error(`${overlay}: an OpenSearch template does not parse: ${err.message}`);
      }
      const covered = (patterns) =>
        (patterns ?? []).some((p) =>
          new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(`${prefix}-2025.01.01`),
        );
      if (output.keys.logstash_format?.toLowerCase() !== 'on' || !prefix)
        error(`${where(ds)}: the output should write daily indices (Logstash_Format On, Logstash_Prefix)`);
      if (!covered(template?.index_patterns)) error(`${overlay}: no index template covers the indices ${prefix}-*`);
      const props = template?.template?.mappings?.properties ?? {};
      for (const field of ['requestId', 'service', 'level'])
        if (props[field]?.type !== 'keyword') error(`${overlay}: the index template does not map ${field} as keyword`);
      if (props[resolve(output.keys.time_key) || '@timestamp']?.type !== 'date')
        error(`${overlay}: the index template does not map the output's time key as a date`);
      if (!covered(policy?.policy?.ism_template?.[0]?.index_patterns))
        error(`${overlay}: no retention (ISM) policy covers the indices ${prefix}-*`);
      if (
        !docs.some(
          (d) =>
            d.kind === 'CronJob' &&
            d.metadata.namespace === 'logging' &&
            d.spec.jobTemplate.spec.template.spec.volumes?.some((v) => v.configMap?.name === templates?.metadata.name),
        )
      )
        error(
          `${overlay}: nothing puts the index template into OpenSearch (a CronJob mounting ${templates?.metadata.name})`,
        );
    }
    const port = Number(service.http_port);
    const http = (c.ports ?? []).find((p) => p.name === 'http');
    if (service.http_server?.toLowerCase() !== 'on' || http?.containerPort !== port)
      error(`${where(ds)}: the HTTP server (health, metrics) is not on the declared port http`);
    for (const probe of [c.livenessProbe, c.readinessProbe])
      if (probe?.httpGet?.port !== 'http') error(`${where(ds)}: liveness and readiness probes must use port http`);
  }
}

function collectExprs(node) {
  if (Array.isArray(node)) return node.flatMap(collectExprs);
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => (k === 'expr' ? [v] : collectExprs(v)));
  return [];
}

let rendered = false;
for (const overlay of ['overlays/dev', 'overlays/prod']) {
  const text = render(overlay);
  if (text === null) {
    warn(`kubectl not found: rendered overlays not checked (only parsing and file references)`);
    break;
  }
  if (text === undefined) continue;
  const docs = parser.loadAll(text).filter(Boolean);
  const count = checkRendered(overlay, docs);
  rendered = true;
  log(`${overlay}: rendered ${count} objects with kubectl kustomize and checked them`);
}

for (const w of new Set(warnings)) log(`warning: ${w}`);
for (const e of errors) log(`ERROR: ${e}`);
log(errors.length ? `${errors.length} error(s)` : `ok${rendered ? '' : ' (parse and references only)'}`);
process.exit(errors.length ? 1 : 0);
