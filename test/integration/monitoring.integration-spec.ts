import { Metrics } from '@rdx/telemetry';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { promqlReferences } from '../support/promql-references';

// The monitoring that ships beside the code (deploy/, docker-compose.yml): the alert rules pass
// promtool's check and its unit tests, every expression of the rules and the dashboard names only
// series and labels RDX exports, and each alert has its runbook in docs/operations.md.

const ROOT = join(__dirname, '..', '..');
const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';
const RULES = 'deploy/prometheus/rules/rdx-alerts.yml';
const RULE_TESTS = 'deploy/prometheus/tests/rdx-alerts.test.yml';
const DASHBOARD = 'deploy/grafana/dashboards/rdx.json';
const DATASOURCE = 'deploy/grafana/provisioning/datasources/prometheus.yml';
const OPERATIONS = 'docs/operations.md';
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: unknown[] }[];
}
interface Panel {
  type: string;
  title: string;
  targets?: { expr?: string }[];
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const rules = (parse(read(RULES)) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const dashboard = JSON.parse(read(DASHBOARD)) as {
  uid: string;
  panels: Panel[];
  annotations: { list: { expr?: string; datasource?: { uid: string } }[] };
};

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env });
  return {
    missing: result.error !== undefined,
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
  };
}

/** promtool, which must be there: CI installs Debian's prometheus package when it is not. */
function promtool(...args: string[]): string {
  const result = run('promtool', args);
  if (result.missing) {
    throw new Error(
      'promtool is not installed: apt-get install -y --no-install-recommends prometheus (.ci/run does)',
    );
  }
  if (result.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${result.output}`);
  return result.output;
}

/** Every series RDX exports, each with the labels it may carry, as Prometheus stores them. */
async function exportedSeries(): Promise<Map<string, Set<string>>> {
  const metrics = new Metrics();
  const series = new Map<string, Set<string>>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    const declared = (metrics.registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] })
      .labelNames;
    const labels = new Set([
      ...TARGET_LABELS,
      ...(declared ?? []),
      ...metric.values.flatMap((value) => Object.keys(value.labels)),
    ]);
    if (metric.type.toString() === 'histogram') {
      series.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      series.set(`${metric.name}_sum`, labels);
      series.set(`${metric.name}_count`, labels);
    } else {
      series.set(metric.name, labels);
    }
  }
  series.set('up', new Set(TARGET_LABELS));
  series.set('ALERTS', new Set(['alertname', 'alertstate', 'severity']));
  return series;
}

/** What an expression names that RDX does not export: unknown series, labels a series has not. */
function unknownReferences(expr: string, series: Map<string, Set<string>>): string[] {
  const refs = promqlReferences(expr);
  const everyLabel = new Set([...series.values()].flatMap((labels) => [...labels]));
  return [
    ...(refs.names.length === 0 ? ['no series at all'] : []),
    ...refs.names.filter((name) => !series.has(name)).map((name) => `series ${name}`),
    ...refs.matchers
      .filter(
        ({ name, label }) => !(name === undefined ? everyLabel : (series.get(name) ?? everyLabel)).has(label),
      )
      .map(({ name, label }) => `label ${label} of ${name}`),
    ...refs.grouping.filter((label) => !everyLabel.has(label)).map((label) => `label ${label}`),
  ];
}

/** The anchors GitHub gives the headings of a Markdown document. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('monitoring: alert rules', () => {
  it('pass promtool check rules and promtool check config', () => {
    expect(promtool('check', 'rules', RULES)).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(promtool('check', 'config', PROMETHEUS_CONFIG)).toContain(
      'is valid prometheus config file syntax',
    );
  });

  it('pass their unit tests (promtool test rules)', () => {
    expect(promtool('test', 'rules', RULE_TESTS)).toContain('SUCCESS');
  });

  it('each fire in a unit test, and each stay quiet in one', () => {
    const tests = (parse(read(RULE_TESTS)) as { tests: RuleTest[] }).tests.flatMap(
      (t) => t.alert_rule_test ?? [],
    );
    for (const { alert } of rules) {
      const cases = tests.filter((t) => t.alertname === alert);
      expect({ alert, fires: cases.some((t) => (t.exp_alerts ?? []).length > 0) }).toEqual({
        alert,
        fires: true,
      });
      expect({ alert, quiet: cases.some((t) => (t.exp_alerts ?? []).length === 0) }).toEqual({
        alert,
        quiet: true,
      });
    }
  });

  it('name only series and labels RDX exports', async () => {
    const series = await exportedSeries();
    const unknown = rules.flatMap(({ alert, expr }) =>
      unknownReferences(expr, series).map((what) => `${alert}: ${what}`),
    );
    expect(unknown).toEqual([]);
  });

  it('carry a severity, a summary, a description and a runbook in docs/operations.md', () => {
    const sections = anchors(read(OPERATIONS));
    for (const { alert, labels, annotations } of rules) {
      expect({ alert, severity: labels?.severity }).toEqual({
        alert,
        severity: expect.stringMatching(/^(critical|warning)$/),
      });
      expect({ alert, summary: annotations?.summary, description: annotations?.description }).toEqual({
        alert,
        summary: expect.any(String),
        description: expect.any(String),
      });
      const anchor = /^docs\/operations\.md#(.+)$/.exec(annotations?.runbook_url ?? '')?.[1];
      expect({ alert, runbook: anchor !== undefined && sections.has(anchor) }).toEqual({
        alert,
        runbook: true,
      });
    }
  });
});

describe('monitoring: the Grafana dashboard', () => {
  it('queries only series and labels RDX exports', async () => {
    const series = await exportedSeries();
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    const unknown = [
      ...panels.flatMap((panel) => {
        const exprs = (panel.targets ?? []).map((t) => t.expr ?? '');
        if (exprs.length === 0) return [`${panel.title}: no query`];
        return exprs.flatMap((expr) =>
          unknownReferences(expr, series).map((what) => `${panel.title}: ${what}`),
        );
      }),
      ...dashboard.annotations.list.flatMap((a) => unknownReferences(a.expr ?? '', series)),
    ];
    expect(unknown).toEqual([]);
  });

  it('uses the provisioned Prometheus data source', () => {
    const provisioned = parse(read(DATASOURCE)) as { datasources: { uid: string; isDefault?: boolean }[] };
    expect(provisioned.datasources).toEqual([
      expect.objectContaining({ uid: 'rdx-prometheus', isDefault: true }),
    ]);
    expect(dashboard.annotations.list.map((a) => a.datasource?.uid)).toEqual(['rdx-prometheus']);
  });
});

describe('monitoring: docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<
      string,
      {
        profiles?: string[];
        volumes?: string[];
        environment?: Record<string, string>;
        healthcheck?: { disable?: boolean; test?: unknown };
      }
    >;
  };

  it('passes the Compose config check, with and without the monitoring profile, where Compose is installed', () => {
    const env = { ...process.env, RDX_ADMIN_TOKEN: 'x'.repeat(48) };
    // The Compose plugin (docker compose), else the standalone command (docker-compose).
    const compose = [['docker', 'compose'], ['docker-compose']].find(
      ([command, ...args]) => run(command, [...args, 'version'], env).status === 0,
    );
    if (compose === undefined) {
      console.warn('Compose is not installed here: docker-compose.yml was checked by the tests below only');
      return;
    }
    const [command, ...args] = compose;
    for (const profile of [[], ['--profile', 'monitoring']]) {
      const result = run(command, [...args, ...profile, 'config', '-q'], env);
      expect({ profile, status: result.status, output: result.output }).toEqual({
        profile,
        status: 0,
        output: '',
      });
    }
  });

  it('runs the API and the worker with health checks beside PostgreSQL and RabbitMQ', () => {
    const { postgres, rabbitmq, gateway, worker } = compose.services;
    expect(postgres.healthcheck?.test).toBeDefined();
    expect(rabbitmq.healthcheck?.test).toBeDefined();
    expect(gateway.environment?.RDX_ROLES).toBe('api');
    expect(worker.environment?.RDX_ROLES).toBe('worker');
    // Both have the image's HEALTHCHECK: a worker serves /health/ready too.
    expect([gateway.healthcheck?.disable, worker.healthcheck?.disable]).toEqual([undefined, undefined]);
    expect(read('Dockerfile')).toMatch(/^HEALTHCHECK (?:.*\\\n)*.*\/health\/ready/m);
  });

  it('adds Prometheus and Grafana in the monitoring profile, with files that exist', () => {
    for (const name of ['prometheus', 'grafana']) {
      const service = compose.services[name];
      expect({ name, profiles: service.profiles }).toEqual({ name, profiles: ['monitoring'] });
      const mounted = (service.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]);
      expect(mounted.length).toBeGreaterThan(0);
      for (const source of mounted)
        expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
    }
  });
});
