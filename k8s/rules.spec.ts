import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const K8S = path.dirname(fileURLToPath(import.meta.url));
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const hasPromtool = spawnSync(PROMTOOL, ['--version']).status === 0;
// CI installs Debian's prometheus package (.ci/run): there a missing promtool is a failure, not a skip.
const skip = !hasPromtool && !process.env.CI;

/** The PrometheusRule's `spec` (its rule groups) as the plain rules file promtool reads. */
function rulesFile(): string {
  const text = readFileSync(path.join(K8S, 'monitoring/prometheusrule.yaml'), 'utf8');
  const lines = text.split('\n');
  const start = lines.indexOf('spec:');
  expect(start).toBeGreaterThan(0);
  // `spec:` is the last top-level key: everything under it, one level up.
  return lines
    .slice(start + 1)
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n');
}

describe.skipIf(skip)('k8s/monitoring alert rules (promtool)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'phub-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are valid Prometheus rules', () => {
    writeFileSync(path.join(dir, 'rules.yaml'), rulesFile());
    const out = execFileSync(PROMTOOL, ['check', 'rules', path.join(dir, 'rules.yaml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('fire on the series of k8s/monitoring/rules.test.yaml that should fire, and only those', () => {
    writeFileSync(path.join(dir, 'rules.yaml'), rulesFile());
    copyFileSync(path.join(K8S, 'monitoring/rules.test.yaml'), path.join(dir, 'rules.test.yaml'));
    const run = spawnSync(PROMTOOL, ['test', 'rules', path.join(dir, 'rules.test.yaml')], { encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('SUCCESS');
  });

  it('would notice an alert that stops firing (the tests can fail)', () => {
    // Raise the offline threshold out of reach: the test that expects the alert must now fail.
    writeFileSync(
      path.join(dir, 'rules.yaml'),
      rulesFile().replace('kind="OFFLINE"}[15m])) > 10', 'kind="OFFLINE"}[15m])) > 1000'),
    );
    copyFileSync(path.join(K8S, 'monitoring/rules.test.yaml'), path.join(dir, 'rules.test.yaml'));
    const run = spawnSync(PROMTOOL, ['test', 'rules', path.join(dir, 'rules.test.yaml')], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('PhubDisplaysGoingOffline');
  });
});

describe('k8s/check.mjs', () => {
  it('finds the manifests consistent (rendered with kubectl where it is installed)', () => {
    const out = execFileSync(process.execPath, [path.join(K8S, 'check.mjs')], { encoding: 'utf8' });
    expect(out.trim().split('\n').pop()).toMatch(/^ok/);
  });
});
