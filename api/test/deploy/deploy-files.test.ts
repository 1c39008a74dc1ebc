/**
 * deploy/ as files (the project's machines have no Docker): compose.yaml, the Caddyfile,
 * prometheus.yml and alerts.yml parsed and checked against the code. Every API replica runs the
 * same image and command with a /readyz healthcheck, publishes no port (only the proxy and
 * Prometheus reach it), sets only variables the code reads and takes every secret from the
 * environment; PostgreSQL runs with autovacuum on. Every alert expression parses as PromQL and
 * names only series a real server's metrics endpoint declares, with label values the code uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOY_DIR } from '../support/app-role.js';
import { scrape } from '../support/metrics-scrape.js';
import { API_SRC, sourceFiles } from '../support/source-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const read = (path: string) => readFileSync(join(DEPLOY_DIR, path), 'utf8');
const compose = parse(read('compose.yaml'), { merge: true });
const services: Record<string, any> = compose.services;
const replicas = Object.keys(services).filter((name) => /^api-\d+$/.test(name));
const prometheus = parse(read('prometheus/prometheus.yml'));
const rules: { alert: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] = parse(
  read('prometheus/alerts.yml'),
).groups.flatMap((group: { rules: unknown[] }) => group.rules);

/** Label values the code gives its series (metrics/series.ts, metrics/listener.ts), written out by hand. */
const LABEL_VALUES: Record<string, string[]> = {
  outcome: ['ok', 'client_error', 'error', 'hit', 'spliced', 'miss', 'stale'],
  state: ['ready', 'scheduled', 'locked', 'dead', 'used', 'idle'],
  job: ['kindred-api'],
};

/** Every environment variable the API and its packages read (`process.env.X`, `env.X`). */
function variablesTheCodeReads(): Set<string> {
  const files = [API_SRC, join(API_SRC, '../../packages/crypto/src'), join(API_SRC, '../../packages/embedded-db/src')].flatMap(sourceFiles);
  return new Set(files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!)));
}

describe('deploy/compose.yaml', () => {
  it('has PostgreSQL, Redis, a proxy, Prometheus and at least two API replicas', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'proxy', 'prometheus']));
    expect(replicas.length).toBeGreaterThanOrEqual(2);
  });

  it('runs every replica from one image and one command, with a /readyz healthcheck and no published port', () => {
    const [first, ...others] = replicas.map((name) => services[name]);
    for (const replica of others) {
      expect(replica.image).toBe(first.image);
      expect(replica.command).toEqual(first.command);
      expect(replica.environment).toEqual(first.environment);
    }
    for (const name of replicas) {
      const replica = services[name];
      expect(replica.healthcheck?.test?.join(' '), name).toContain('/readyz');
      expect(replica.ports, name).toBeUndefined();
      expect(replica.depends_on?.postgres?.condition, name).toBe('service_healthy');
    }
    expect(first.command.at(-1)).toBe('dist/app/main.js');
  });

  it('gives the replicas the environment the API needs, every name one the code reads, every secret from outside', () => {
    const env: Record<string, string> = services[replicas[0]!].environment;
    const read = variablesTheCodeReads();
    for (const name of Object.keys(env)) expect(read, `${name} is read by no code`).toContain(name);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'KINDRED_KEK', 'KINDRED_BLIND_INDEX_KEY', 'METRICS_PORT', 'SMTP_URL']) {
      expect(env[name], name).toBeTruthy();
    }
    expect(env.NODE_ENV).toBe('production');
    expect(env.KINDRED_DEMO_DATA).toBe('off');
    // Keys and passwords are interpolated from deploy/.env, never written here.
    expect(env.KINDRED_KEK).toMatch(/^\$\{KINDRED_KEK:\?/);
    expect(env.KINDRED_BLIND_INDEX_KEY).toMatch(/^\$\{KINDRED_BLIND_INDEX_KEY:\?/);
    const database = new URL(env.DATABASE_URL!.replace(/\$\{[^}]*\}/, 'secret'));
    expect(database.username).toBe('kindred');
    expect(database.hostname).toBe('postgres');
    expect(env.DATABASE_URL).toMatch(/:\$\{KINDRED_DB_PASSWORD:\?[^}]*\}@/);
  });

  it('runs PostgreSQL 15 with autovacuum on, creating the app role of deploy/postgres/app-role.sql, and publishes neither it nor Redis', () => {
    const postgres = services.postgres;
    expect(postgres.image).toBe('postgres:15');
    expect(postgres.command.join(' ')).toContain('autovacuum=on');
    expect(postgres.healthcheck?.test).toBeDefined();
    expect(postgres.volumes).toEqual(expect.arrayContaining(['./postgres/app-role.sql:/kindred/app-role.sql:ro']));
    expect(read('postgres/init-app-role.sh')).toContain('-f /kindred/app-role.sql');
    expect(postgres.ports).toBeUndefined();
    expect(services.redis.ports).toBeUndefined();
    expect(services.redis.healthcheck?.test).toBeDefined();
    expect(services.prometheus.ports).toEqual(['127.0.0.1:9090:9090']);
  });

  it('sends the proxy to every replica with /readyz as its health check, and Prometheus to every replica at METRICS_PORT', () => {
    const caddyfile = read('caddy/Caddyfile');
    const upstreams = /reverse_proxy ([^{]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    const port = services[replicas[0]!].environment.PORT;
    expect(upstreams?.sort()).toEqual(replicas.map((name) => `${name}:${port}`).sort());
    expect(caddyfile).toMatch(/health_uri \/readyz/);
    expect(services.proxy.volumes).toEqual(expect.arrayContaining(['./caddy/Caddyfile:/etc/caddy/Caddyfile:ro']));

    const metricsPort = services[replicas[0]!].environment.METRICS_PORT;
    const [job] = prometheus.scrape_configs;
    expect(job.job_name).toBe('kindred-api');
    expect(job.static_configs.flatMap((c: { targets: string[] }) => c.targets).sort()).toEqual(
      replicas.map((name) => `${name}:${metricsPort}`).sort(),
    );
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  let app: TestApp;
  let declared: Set<string>;
  beforeAll(async () => {
    app = await startTestApp({ metrics: true });
    declared = (await scrape(app.metricsUrl!)).seriesNames;
  });
  afterAll(() => app?.close());

  it('covers job backlog, dead jobs, audit write failures, error rate and readiness', () => {
    const names = rules.map((rule) => rule.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'KindredJobBacklog',
        'KindredDeadJobs',
        'KindredAuditWriteFailures',
        'KindredHighErrorRate',
        'KindredNotReady',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
  });

  it('parses every expression as PromQL naming only series the API declares, with label values the code uses', () => {
    for (const rule of rules) {
      const tree = parser.parse(rule.expr);
      const selectors: string[] = [];
      let errors = 0;
      tree.iterate({
        enter(node) {
          if (node.type.isError) errors++;
          if (node.name === 'VectorSelector') selectors.push(rule.expr.slice(node.from, node.to));
        },
      });
      expect(errors, `${rule.alert}: ${rule.expr}`).toBe(0);
      expect(selectors.length, rule.alert).toBeGreaterThan(0);
      for (const selector of selectors) {
        const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(selector)![0];
        expect(name === 'up' || declared.has(name), `${rule.alert} names ${name}, which no server declares`).toBe(true);
        for (const [, label, value] of selector.matchAll(/(\w+)\s*=~?\s*"([^"]*)"/g)) {
          expect(LABEL_VALUES[label!], `${rule.alert}: label ${label}`).toContain(value);
        }
      }
    }
  });

  it('refuses an expression that does not parse or names a series nobody declares (the checks above can fail)', () => {
    let errors = 0;
    parser.parse('sum(rate(kindred_jobs[5m]) >').iterate({
      enter(node) {
        if (node.type.isError) errors++;
      },
    });
    expect(errors).toBeGreaterThan(0);
    expect(declared.has('kindred_jobs_total')).toBe(false);
    expect(declared.has('kindred_graphql_request_duration_seconds_count')).toBe(true);
  });
});
