import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { adapterConversion } from './adapter-conversion';
import { buildWorld, World } from './bench-world';
import { ROOT } from './child-service';
import { fillDatabase } from './fill';
import { LoadSetup } from './load-generator';
import { MessageFactory } from './payloads';
import { LoadGenerator, PhaseContext, PhaseResult, PhaseSpec, runPhase } from './phases';
import { pidsNamed, ProcessMeter, round } from './process-meter';
import { BenchOptions, parseOptions } from './options';
import {
  machine,
  medianRound,
  renderChart,
  rssGrowthPercent,
  SaturationRound,
  summarise,
  Summary,
} from './report';
import { seed } from './seed';
import { statisticsScale } from './statistics-scale';
import { Scratch, startBaseline, startGateway, System } from './systems';

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Soak {
  minutes: number;
  offeredPerSec: number;
  samples: { atSeconds: number; apiRssMiB: number; workerRssMiB: number }[];
  /** RSS growth over the soak, in percent (`rssGrowthPercent`; the names are kept for earlier results). */
  apiRssDriftPercent: number;
  workerRssDriftPercent: number;
  phases: PhaseResult[];
}

async function soak(ctx: PhaseContext, gateway: System, options: BenchOptions): Promise<Soak> {
  // Started again, so that the soak measures what the gateway holds under the soak's own load,
  // not the garbage of the saturated runs before it (a collection of that, minutes later, looked
  // like a 45 % fall) nor growth hidden behind such a fall.
  for (const p of gateway.processes) await p.restart();
  const samples: Soak['samples'] = [];
  const started = Date.now();
  const [api, worker] = gateway.processes;
  const timer = setInterval(() => {
    const usage = ctx.meter.sample();
    samples.push({
      atSeconds: Math.round((Date.now() - started) / 1000),
      apiRssMiB: round(usage[api.name].rssMiB),
      workerRssMiB: round(usage[worker.name].rssMiB),
    });
  }, 5_000);
  const phases: PhaseResult[] = [];
  try {
    for (let minute = 0; minute < options.soakMinutes; minute++) {
      phases.push(
        await runPhase(ctx, {
          name: `soak minute ${minute + 1}`,
          system: gateway,
          lanes: [
            { lane: 'fanout-1', share: 9 },
            { lane: 'webhook', share: 1 },
          ],
          mode: 'rate',
          rate: options.soakRate,
          durationMs: 60_000,
          settleMs: 0,
        }),
      );
      log(
        `  soak minute ${minute + 1}: p99 to inbox ${phases.at(-1)!.publishToInboxMs.p99} ms, ${JSON.stringify(samples.at(-1))}`,
      );
    }
  } finally {
    clearInterval(timer);
  }
  const drift = (pick: (s: Soak['samples'][number]) => number) =>
    rssGrowthPercent(samples.map((s) => ({ atSeconds: s.atSeconds, value: pick(s) })));
  return {
    minutes: options.soakMinutes,
    offeredPerSec: options.soakRate,
    samples,
    apiRssDriftPercent: drift((s) => s.apiRssMiB),
    workerRssDriftPercent: drift((s) => s.workerRssMiB),
    phases,
  };
}

async function dbGrowth(
  ctx: PhaseContext,
  scratch: Scratch,
  world: World,
  gateway: System,
  options: BenchOptions,
) {
  const before = await scratch.pool.query<{ n: string }>('SELECT count(*) AS n FROM messages');
  const messagesBefore = Number(before.rows[0].n);
  const beforeBytes = await scratch.databaseBytes();
  const lane = world.lanes['fanout-1'];
  const publisher = world.agencies.find((a) => a.id === lane.publishers[0].id)!;
  const sample = new MessageFactory([publisher]).next({ ...lane, publishers: [lane.publishers[0]] });
  log(`Filling the database with ${options.fill.toLocaleString('en')} stored messages`);
  await fillDatabase(
    scratch.pool,
    options.fill,
    { jws: sample.jws.slice(0, -32), source: publisher.id, kid: publisher.kid, type: lane.types[0] },
    world.agencies.filter((a) => a.id.includes('.MINISTRY-')).map((a) => a.id),
    log,
  );
  const filledBytes = await scratch.databaseBytes();
  const saturated = await runPhase(
    ctx,
    saturation(gateway, 'fanout-1', options, 'saturate fan-out 1, database filled'),
  );
  const atRate = await runPhase(ctx, atFixedRate(gateway, options, 'fixed rate, database filled'));
  return { messages: options.fill, messagesBefore, beforeBytes, filledBytes, saturated, atRate };
}

function saturation(
  system: System,
  lane: PhaseSpec['lanes'][number]['lane'],
  options: BenchOptions,
  name: string,
): PhaseSpec {
  return {
    name,
    system,
    lanes: [{ lane, share: 1 }],
    mode: 'saturate',
    concurrency: options.concurrency,
    durationMs: options.seconds * 1000,
    settleMs: options.settleSeconds * 1000,
  };
}

function atFixedRate(system: System, options: BenchOptions, name: string): PhaseSpec {
  return {
    name,
    system,
    lanes: [
      { lane: 'fanout-1', share: 9 },
      { lane: 'webhook', share: 1 },
    ],
    mode: 'rate',
    rate: options.rate,
    durationMs: options.seconds * 1000,
    settleMs: options.settleSeconds * 1000,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const scratch = new Scratch({ databaseUrl: options.databaseUrl, amqpUrl: options.amqpUrl });
  const world = buildWorld();
  const adminToken = randomBytes(24).toString('base64url');
  const systems: System[] = [];
  const loadChild = fork(join(__dirname, 'load-generator.js'), [], {
    execArgv: ['-r', join(ROOT, 'scripts/register-paths.js')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const loadGenerator = new LoadGenerator(loadChild);
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await loadGenerator.ask({ op: 'stop' }).catch(() => undefined);
      loadChild.kill();
      for (const system of systems) for (const p of system.processes) await p.stop();
      await scratch.remove().catch((error: unknown) => log(`cleaning up: ${String(error)}`));
    })());
  // Interrupted (Ctrl-C): the processes, the database and the queues of the run go all the same.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`${signal}: stopping and cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  try {
    await scratch.create();
    log(
      `RDX bench (${options.quick ? 'quick' : 'full'}): database ${scratch.database}, broker prefix ${scratch.prefix}`,
    );
    const gateway = await startGateway(scratch, adminToken, options.cpuProf ? options.profileDir : undefined);
    systems.push(gateway);
    const { webhookUrl } = await loadGenerator.ask<{ webhookUrl: string }>({
      op: 'setup',
      agencies: world.agencies.map(({ id, kid, privateJwk }) => ({ id, kid, privateJwk })),
    } satisfies LoadSetup);
    await seed(gateway.url, adminToken, world, webhookUrl);
    log(`  ${world.agencies.length} participants, ${world.subscriptions.length} subscriptions registered`);
    const seededBytes = await scratch.databaseBytes();
    const baseline = await startBaseline(scratch, world);
    systems.push(baseline);

    const meter = new ProcessMeter([
      ...[...gateway.processes, ...baseline.processes].map((p) => ({ name: p.name, pids: () => [p.pid] })),
      { name: 'load-generator', pids: () => [loadChild.pid ?? -1] },
      { name: 'postgres', pids: () => pidsNamed('postgres') },
      { name: 'rabbitmq', pids: () => pidsNamed('beam.smp') },
    ]);
    const ctx: PhaseContext = { world, loadGenerator, meter, loadProcess: 'load-generator', log };
    const phases: PhaseResult[] = [];
    const run = async (spec: PhaseSpec, keep = true) => {
      log(`${spec.name} (${spec.system.name}, ${spec.durationMs / 1000} s)`);
      const result = await runPhase(ctx, spec);
      log(
        `  accepted ${result.acceptedPerSec}/s, routed ${result.routedPerSec}/s, 202 p99 ${result.publishTo202Ms.p99} ms, inbox p50/p99 ${result.publishToInboxMs.p50}/${result.publishToInboxMs.p99} ms, lost ${result.lost}${result.firstRefusal ? `, refused ${result.refused}: ${result.firstRefusal}` : ''}`,
      );
      if (keep) phases.push(result);
      return result;
    };

    const warm = { ...options, seconds: options.warmupSeconds, settleSeconds: 0 };
    await run(saturation(baseline, 'fanout-1', warm, 'warm-up'), false);
    await run(saturation(gateway, 'fanout-1', warm, 'warm-up'), false);
    const rounds: SaturationRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const name = `saturate fan-out 1${options.rounds > 1 ? `, round ${round}` : ''}`;
      rounds.push({
        baseline: await run(saturation(baseline, 'fanout-1', options, name)),
        gateway: await run(saturation(gateway, 'fanout-1', options, name)),
      });
    }
    const gatewaySaturated = medianRound(rounds).gateway;
    // The baseline's latency at the fixed rate is for comparison: the full run has time for it.
    const baselineAtRate = options.quick
      ? undefined
      : await run(atFixedRate(baseline, options, `fixed ${options.rate}/s`));
    const gatewayAtRate = await run(atFixedRate(gateway, options, `fixed ${options.rate}/s`));
    // Latency where the gateway is not overloaded: half of what it sustained.
    const half = Math.max(
      50,
      Math.round(Math.min(gatewaySaturated.acceptedPerSec, gatewaySaturated.routedPerSec) / 2),
    );
    const gatewayAtHalf = await run(
      atFixedRate(gateway, { ...options, rate: half }, `fixed ${half}/s (half its saturation)`),
    );
    const fanout = [gatewaySaturated];
    for (const lane of ['fanout-10', 'fanout-100'] as const) {
      fanout.push(
        await run(
          saturation(
            gateway,
            lane,
            { ...options, seconds: options.fanoutSeconds },
            `saturate ${lane.replace('fanout-', 'fan-out ')}`,
          ),
        ),
      );
    }
    const soaked = options.soakMinutes > 0 ? await soak(ctx, gateway, options) : undefined;
    const grown = options.fill > 0 ? await dbGrowth(ctx, scratch, world, gateway, options) : undefined;
    const adapter = options.adapterRows > 0 ? await adapterConversion(options.adapterRows, log) : undefined;
    const statistics =
      options.statisticsMessages > 0
        ? await statisticsScale(
            scratch.pool,
            scratch.databaseUrl,
            gateway.url,
            adminToken,
            world,
            options.statisticsMessages,
            log,
          )
        : undefined;

    const summary: Summary = summarise({
      options,
      machine: await machine(scratch.pool),
      world: { participants: world.agencies.length, subscriptions: world.subscriptions.length },
      rounds,
      baselineAtRate,
      gatewayAtRate,
      gatewayAtHalf,
      seededBytes,
      fanout,
      phases,
      soak: soaked,
      dbGrowth: grown,
      adapter,
      statistics,
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = resolve(ROOT, 'bench/results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${stamp}-${options.quick ? 'quick' : 'full'}.json`);
    await writeFile(file, `${JSON.stringify(summary.full, null, 2)}\n`);
    await writeFile(file.replace(/\.json$/, '.svg'), renderChart(summary.full));
    process.stdout.write(`${summary.text}\nResults: ${relative(ROOT, file)}\n`);
    if (options.json)
      process.stdout.write(`${JSON.stringify({ ...summary.headline, results: relative(ROOT, file) })}\n`);
    if (summary.headline.lost > 0) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
