/**
 * `npm run bench`: measures what users and operators care about and regenerates
 * `docs/benchmarks.md` and `docs/benchmarks-latency.svg`. Figures are printed as they come.
 *
 * 1. De-identification throughput beside the single-pass floor (test/bench/deid-bench.ts, run as is).
 * 2. Local end to end: submit → PUBLISHED with automatic approval (median of 10), and published
 *    bundles per second with BENCH_CONCURRENT (default 100) submissions at once.
 * 3. Every Lambda bundle, built by CDK with the construct's options: size and cold initialisation.
 * 4. State transitions per published bundle and the cost of 1,000 bundles on AWS (test/bench/prices.ts).
 * 5. An SVG chart of the end-to-end latency distribution.
 *
 * Settings (environment): BENCH_CONCURRENT (100), BENCH_SEQUENTIAL (10), BENCH_COLD_RUNS (10).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../infra/constructs/gongkai-function.js';
import {
  CLIENT,
  type Draft,
  type FunctionMeter,
  type Publication,
  prepareDraft,
  startBenchSystem,
  submitAndWait,
  transitionsOf,
} from './end-to-end.js';
import {
  type BundleFigures,
  bundleFunctions,
  coldInits,
  type DeployedFunction,
  emptyProcessMs,
  SCRATCH,
  sdkImportMs,
  synthesizedApp,
} from './lambda-bundles.js';
import { PRICES, PRICES_AS_OF, PRICES_REGION } from './prices.js';
import { median, summary, withConcurrency } from './stats.js';
import { cdfChartSvg } from './svg-chart.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 10);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 100);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);
const SIZE_BUDGET_KB = 500;
const COLD_BUDGET_MS = 150;
/** Functions only people reading call (the benchmark's own status polling goes through get-submission). */
const READERS = new Set(['get-submission', 'portal-api', 'web']);

const benchStarted = performance.now();
const elapsed = () => `${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(4)} s`;
const say = (line: string) => process.stdout.write(`[${elapsed()}] ${line}\n`);
const kb = (bytes: number) => bytes / 1024;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const usd = (value: number) => (value >= 0.01 ? `$${value.toFixed(3)}` : `$${value.toFixed(5)}`);

// ── machine ─────────────────────────────────────────────────────────────────────────────────────

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    load: os.loadavg(),
  };
}

// ── 1. de-identification ────────────────────────────────────────────────────────────────────────

interface DeidFigures {
  corpus: string;
  engineMiBs: number;
  floorMiBs: number;
  recall: string;
  output: string;
}

/** Runs test/bench/deid-bench.ts unchanged (its own measuring code) and reads its figures. */
function deidBench(): Promise<DeidFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'bench', 'deid-bench.ts')], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const engine = /engine \(deidentifyText\): ([\d.]+) MiB\/s/.exec(output);
      const floor = /floor \(one combined regex pass\): ([\d.]+) MiB\/s/.exec(output);
      if (code !== 0 || engine === null || floor === null) {
        return reject(new Error(`deid-bench exited ${code} without its throughput lines:\n${output}`));
      }
      resolve({
        corpus: /corpus: (.*)/.exec(output)?.[1] ?? '',
        engineMiBs: Number(engine[1]),
        floorMiBs: Number(floor[1]),
        recall: /synthetic corpus: (.*)/.exec(output)?.[1] ?? '',
        output: output.trimEnd(),
      });
    });
  });
}

// ── 2 & 4. end to end ───────────────────────────────────────────────────────────────────────────

interface EndToEndFigures {
  startMs: number;
  firstLatencyMs: number;
  sequential: Publication[];
  transitions: number[];
  perBundle: Map<string, FunctionMeter>;
  concurrent: {
    requested: number;
    published: Publication[];
    prepareMs: number;
    wallMs: number;
    failures: string[];
    transitions: number[];
  };
  approvals: number;
  approverRetries: number;
  approverErrors: string[];
}

async function endToEnd(functions: DeployedFunction[], gsiKeyAttributes: string[]): Promise<EndToEndFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-bench-'));
  const bench = await startBenchSystem({
    dataDir,
    functionNames: functions.map((fn) => fn.name),
    gsiKeyAttributes,
  });
  say(`local system started in ${ms(bench.startMs)} (${bench.system.urls.api})`);
  try {
    const first = await submitAndWait(bench, await prepareDraft(bench, 0), {
      pollMs: 25,
      timeoutMs: 120_000,
    });
    await transitionsOf(bench, first.executionName);
    say(`first submission (handlers loading in-process): ${ms(first.latencyMs)} submit → PUBLISHED`);

    bench.meter.reset();
    const sequential: Publication[] = [];
    const transitions: number[] = [];
    for (let index = 1; index <= SEQUENTIAL; index += 1) {
      const draft = await prepareDraft(bench, index);
      const published = await submitAndWait(bench, draft, { pollMs: 25, timeoutMs: 120_000 });
      transitions.push(await transitionsOf(bench, published.executionName));
      sequential.push(published);
      say(
        `submission ${index}/${SEQUENTIAL}: ${ms(published.latencyMs)} submit → PUBLISHED, ${transitions.at(-1)} state transitions`,
      );
    }
    const counted = bench.meter.reset();
    const perBundle = new Map<string, FunctionMeter>();
    for (const [name, meter] of counted) perBundle.set(name, meter);

    say(`preparing ${CONCURRENT} submissions (create + upload) for the concurrent run…`);
    const prepareStarted = performance.now();
    const drafts = await withConcurrency(
      8,
      Array.from({ length: CONCURRENT }, (_, index) => () => prepareDraft(bench, 1000 + index)),
    );
    const prepareMs = performance.now() - prepareStarted;
    say(`prepared ${drafts.length} in ${ms(prepareMs)}; submitting all ${drafts.length} at once`);
    const origin = performance.now();
    const failures: string[] = [];
    const published: Publication[] = [];
    const progress = setInterval(() => {
      say(`  … ${published.length}/${drafts.length} published after ${ms(performance.now() - origin)}`);
    }, 15_000);
    await Promise.all(
      drafts.map((draft: Draft) =>
        submitAndWait(bench, draft, { pollMs: 100, timeoutMs: 480_000, origin })
          .then((publication) => {
            published.push(publication);
          })
          .catch((error: unknown) => {
            failures.push(error instanceof Error ? error.message : String(error));
          }),
      ),
    );
    clearInterval(progress);
    const wallMs = Math.max(...published.map((p) => p.publishedAtMs));
    say(
      `${published.length}/${drafts.length} published in ${ms(wallMs)} → ${(published.length / (wallMs / 1000)).toFixed(2)} bundles/s` +
        (failures.length > 0 ? ` (${failures.length} failed: ${failures[0]})` : ''),
    );
    const concurrentTransitions = await withConcurrency(
      8,
      published.map((p) => () => transitionsOf(bench, p.executionName)),
    );
    return {
      startMs: bench.startMs,
      firstLatencyMs: first.latencyMs,
      sequential,
      transitions,
      perBundle,
      concurrent: {
        requested: drafts.length,
        published,
        prepareMs,
        wallMs,
        failures,
        transitions: concurrentTransitions,
      },
      approvals: bench.approver.approvals,
      approverRetries: bench.approver.retries,
      approverErrors: bench.approver.errors,
    };
  } finally {
    await bench.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ── cost ────────────────────────────────────────────────────────────────────────────────────────

interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
  note: string;
}

function costOf1000(
  e2e: EndToEndFigures,
  functions: DeployedFunction[],
  cold: Map<string, { importMs: number }>,
): { lines: CostLine[]; lambdaRows: string[]; coldUpperBound: number } {
  const runs = e2e.sequential.length;
  const perBundle = (value: number) => (value / runs) * 1000;
  const meters = [...e2e.perBundle].filter(([name]) => !READERS.has(name));
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  const sum = (pick: (meter: FunctionMeter) => number) =>
    meters.reduce((total, [, meter]) => total + pick(meter), 0);

  let gbSeconds = 0;
  let invocations = 0;
  let apiRequests = 0;
  let coldGbSeconds = 0;
  const lambdaRows: string[] = [];
  for (const [name, meter] of meters) {
    const fn = byName.get(name);
    if (fn === undefined || meter.invocations === 0) continue;
    const meanMs = meter.durationsMs.reduce((a, b) => a + b, 0) / meter.invocations;
    const calls = perBundle(meter.invocations);
    const gbs = (fn.memoryMb / 1024) * (Math.ceil(meanMs) / 1000) * calls;
    gbSeconds += gbs;
    invocations += calls;
    if (!fn.stateMachineTask) apiRequests += calls;
    coldGbSeconds += (fn.memoryMb / 1024) * ((cold.get(name)?.importMs ?? 0) / 1000) * calls;
    lambdaRows.push(
      `| ${name} | ${fn.memoryMb} | ${(meter.invocations / runs).toFixed(1)} | ${meanMs.toFixed(1)} | ${median(meter.durationsMs).toFixed(1)} | ${gbs.toFixed(2)} |`,
    );
  }
  const transitions = median(e2e.transitions) * 1000;
  const s3Put = perBundle(sum((m) => m.s3Put + m.s3List));
  const s3Get = perBundle(sum((m) => m.s3Get + m.s3Head));
  const kms = perBundle(sum((m) => m.s3Put + m.s3Get));
  const wru = perBundle(sum((m) => m.writeUnits));
  const rru = perBundle(sum((m) => m.readUnits));
  const mails = perBundle(sum((m) => m.mails));
  const clientUploads = perBundle(e2e.perBundle.get(CLIENT)?.s3Put ?? 0);
  const lines: CostLine[] = [
    {
      item: 'Step Functions Standard',
      quantity: transitions,
      unit: 'state transitions',
      usd: transitions * PRICES.stepFunctionsTransition.usd,
      note: `${median(e2e.transitions)} per execution (StateEntered events in the local event log)`,
    },
    {
      item: 'Lambda duration (Arm)',
      quantity: gbSeconds,
      unit: 'GB-s',
      usd: gbSeconds * PRICES.lambdaArmGbSecond.usd,
      note: 'memory from the stack × mean local handler duration (rounded up to 1 ms) × calls',
    },
    {
      item: 'Lambda requests',
      quantity: invocations,
      unit: 'invocations',
      usd: invocations * PRICES.lambdaRequest.usd,
      note: 'handler calls counted in the local run',
    },
    {
      item: 'API Gateway HTTP API',
      quantity: apiRequests,
      unit: 'requests',
      usd: apiRequests * PRICES.httpApiRequest.usd,
      note: 'create, submit, approval page GET + POST (status reads excluded)',
    },
    {
      item: 'S3 PUT/LIST tier',
      quantity: s3Put,
      unit: 'requests',
      usd: (s3Put / 1000) * (PRICES.s3PutTier.usd * 1000),
      note: `handlers' PUT + LIST, and ${(clientUploads / 1000).toFixed(0)} presigned upload(s) per bundle`,
    },
    {
      item: 'S3 GET tier',
      quantity: s3Get,
      unit: 'requests',
      usd: s3Get * PRICES.s3GetTier.usd,
      note: 'GET + HEAD by the handlers',
    },
    {
      item: 'DynamoDB on-demand writes',
      quantity: wru,
      unit: 'WRU',
      usd: wru * PRICES.dynamoWriteRequestUnit.usd,
      note: 'estimate: request size in 1 KB units, +1 unit per GSI key written',
    },
    {
      item: 'DynamoDB on-demand reads',
      quantity: rru,
      unit: 'RRU',
      usd: rru * PRICES.dynamoReadRequestUnit.usd,
      note: 'estimate: response size in 4 KB units, half for eventually consistent reads',
    },
    {
      item: 'KMS requests (upper bound)',
      quantity: kms,
      unit: 'requests',
      usd: kms * PRICES.kmsRequest.usd,
      note: 'one per S3 object PUT/GET as if without S3 Bucket Keys (the buckets have them: far fewer in practice)',
    },
    {
      item: 'SES e-mail',
      quantity: mails,
      unit: 'messages',
      usd: mails * PRICES.sesMessage.usd,
      note: 'approval requests and the outcome mail',
    },
  ];
  return { lines, lambdaRows, coldUpperBound: coldGbSeconds * PRICES.lambdaArmGbSecond.usd };
}

// ── report ──────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const host = machine();
  say(
    `${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB, Node ${host.node}, ${host.os}; load ${host.load.map((l) => l.toFixed(2)).join(' ')}`,
  );

  say('1. de-identification (test/bench/deid-bench.ts)…');
  const deid = await deidBench();
  say(
    `   engine ${deid.engineMiBs.toFixed(1)} MiB/s, floor ${deid.floorMiBs.toFixed(1)} MiB/s: the engine runs at ${((deid.engineMiBs / deid.floorMiBs) * 100).toFixed(1)} % of the floor (floor/engine ${(deid.floorMiBs / deid.engineMiBs).toFixed(2)}×)`,
  );

  say('3. Lambda bundles: synthesizing the app…');
  const { functions, gsiKeyAttributes } = synthesizedApp();
  say(`   ${functions.length} functions; bundling each through CDK with the construct's BUNDLING options…`);
  const bundles = await bundleFunctions(functions.map((fn) => fn.name));
  for (const bundle of bundles)
    say(
      `   ${bundle.name.padEnd(18)} ${kb(bundle.bytes).toFixed(1).padStart(7)} KB  (largest: ${bundle.byPackage[0]?.name})`,
    );
  say(`   cold initialisation: ${COLD_RUNS} fresh processes per bundle, round-robin…`);
  const emptyMs = await emptyProcessMs(COLD_RUNS);
  const cold = await coldInits(bundles, COLD_RUNS, (round) => say(`   round ${round}/${COLD_RUNS}`));
  for (const bundle of bundles) {
    const figures = cold.get(bundle.name);
    say(
      `   ${bundle.name.padEnd(18)} import ${ms(figures?.importMs ?? Number.NaN)} (process start → imported ${ms(figures?.processMs ?? Number.NaN)})`,
    );
  }
  say(`   empty node process: ${ms(emptyMs)} to start`);
  const sdkPackages = [
    ...new Set(bundles.flatMap((b) => b.externalImports.filter((i) => i.startsWith('@aws-sdk/')))),
  ];
  const sdkMs = await sdkImportMs(sdkPackages, COLD_RUNS);
  say(`   importing only the external AWS SDK packages (${sdkPackages.length}): ${ms(sdkMs)}`);

  say(`2. local end to end: 1 warm-up, ${SEQUENTIAL} one at a time, then ${CONCURRENT} at once…`);
  const e2e = await endToEnd(functions, gsiKeyAttributes);
  const latencies = e2e.sequential.map((p) => p.latencyMs);
  const stats = summary(latencies);
  const loaded = e2e.concurrent.published.map((p) => p.latencyMs);
  const loadedStats = summary(loaded);
  const bundlesPerSecond = e2e.concurrent.published.length / (e2e.concurrent.wallMs / 1000);
  say(
    `   submit → PUBLISHED: median ${ms(stats.median)}, p90 ${ms(stats.p90)}, min ${ms(stats.min)}, max ${ms(stats.max)}; ${bundlesPerSecond.toFixed(2)} bundles/s with ${e2e.concurrent.requested} at once`,
  );
  say(
    `4. state transitions per published bundle: ${median(e2e.transitions)} (min ${Math.min(...e2e.transitions)}, max ${Math.max(...e2e.transitions)})`,
  );
  const cost = costOf1000(e2e, functions, cold);
  const total = cost.lines.reduce((sum, line) => sum + line.usd, 0);
  say(
    `   cost of 1,000 published bundles on AWS: ${usd(total)} (${PRICES_REGION}, prices of ${PRICES_AS_OF})`,
  );

  // 5. chart
  const svg = cdfChartSvg({
    title: 'gongkai local end to end: submit → PUBLISHED (automatic approval)',
    xLabel: 'seconds from submit to PUBLISHED',
    logX: true,
    height: 460,
    series: [
      { label: 'one at a time', values: latencies.map((v) => v / 1000), color: '#1f6feb' },
      {
        label: `${e2e.concurrent.requested} submitted at once`,
        values: loaded.map((v) => v / 1000),
        color: '#d1242f',
      },
    ],
  });
  await writeFile(path.join(PROJECT_ROOT, 'docs', 'benchmarks-latency.svg'), svg);

  const endLoad = os.loadavg();
  const md = report({
    host,
    endLoad,
    deid,
    functions,
    gsiKeyAttributes,
    bundles,
    cold,
    emptyMs,
    sdkMs,
    e2e,
    stats,
    loadedStats,
    bundlesPerSecond,
    cost,
    total,
  });
  await writeFile(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), md);
  say(`wrote docs/benchmarks.md and docs/benchmarks-latency.svg in ${elapsed().trim()}`);
  await rm(SCRATCH, { recursive: true, force: true });
}

function report(input: {
  host: ReturnType<typeof machine>;
  endLoad: number[];
  deid: DeidFigures;
  functions: DeployedFunction[];
  gsiKeyAttributes: string[];
  bundles: BundleFigures[];
  cold: Map<string, { importMs: number; processMs: number }>;
  emptyMs: number;
  sdkMs: number;
  e2e: EndToEndFigures;
  stats: ReturnType<typeof summary>;
  loadedStats: ReturnType<typeof summary>;
  bundlesPerSecond: number;
  cost: ReturnType<typeof costOf1000>;
  total: number;
}): string {
  const { host, deid, e2e, stats, loadedStats, cost } = input;
  const byName = new Map(input.functions.map((fn) => [fn.name, fn]));
  const largest = [...input.bundles].sort((a, b) => b.bytes - a.bytes)[0];
  const slowest = [...input.bundles].sort(
    (a, b) => (input.cold.get(b.name)?.importMs ?? 0) - (input.cold.get(a.name)?.importMs ?? 0),
  )[0];
  const over = input.bundles.filter(
    (b) => kb(b.bytes) > SIZE_BUDGET_KB || (input.cold.get(b.name)?.importMs ?? 0) > COLD_BUDGET_MS,
  );
  const sdkImports = [
    ...new Set(input.bundles.flatMap((b) => b.externalImports.filter((i) => i.startsWith('@aws-sdk/')))),
  ];
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);

  push(
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (test/bench/run-all.ts). Do not edit by hand: run it again. -->',
    '',
    `Measured ${host.date.slice(0, 16).replace('T', ' ')} UTC on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB memory, Node.js ${host.node}, ${host.os}.`,
    `Load average at the start ${host.load.map((l) => l.toFixed(2)).join(' / ')}, at the end ${input.endLoad.map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min): other work on the machine slows every figure below.`,
    '',
    '## Headline',
    '',
    '| what | figure |',
    '|---|---|',
    `| de-identification | ${deid.engineMiBs.toFixed(1)} MiB/s, ${((deid.engineMiBs / deid.floorMiBs) * 100).toFixed(1)} % of the single-pass floor (${deid.floorMiBs.toFixed(1)} MiB/s; floor/engine ${(deid.floorMiBs / deid.engineMiBs).toFixed(2)}×) |`,
    `| submit → published, one submission, automatic approval | median ${ms(stats.median)} (p90 ${ms(stats.p90)}, min ${ms(stats.min)}, max ${ms(stats.max)}; n = ${e2e.sequential.length}) |`,
    `| published bundles per second, ${e2e.concurrent.requested} submitted at once | ${input.bundlesPerSecond.toFixed(2)} (${e2e.concurrent.published.length} published in ${(e2e.concurrent.wallMs / 1000).toFixed(1)} s) |`,
    `| largest Lambda bundle | ${largest?.name}: ${kb(largest?.bytes ?? 0).toFixed(0)} KB (budget ${SIZE_BUDGET_KB} KB) |`,
    `| slowest cold initialisation | ${slowest?.name}: ${ms(input.cold.get(slowest?.name ?? '')?.importMs ?? Number.NaN)} (budget ${COLD_BUDGET_MS} ms) |`,
    `| state transitions per published bundle | ${median(e2e.transitions)} |`,
    `| cost of 1,000 published bundles on AWS | ${usd(input.total)} (${PRICES_REGION}, list prices of ${PRICES_AS_OF}) |`,
    '',
    '## 1. De-identification throughput',
    '',
    `From \`npx tsx test/bench/deid-bench.ts\` (run unchanged): ${deid.corpus}. The engine (\`deidentifyText\`, document by document) against the floor, one pass of a single combined regular expression over the same documents; best of 5 runs each.`,
    '',
    '| | MiB/s |',
    '|---|---|',
    `| engine | ${deid.engineMiBs.toFixed(1)} |`,
    `| single-pass floor | ${deid.floorMiBs.toFixed(1)} |`,
    `| engine / floor | ${((deid.engineMiBs / deid.floorMiBs) * 100).toFixed(1)} % |`,
    '',
    '<details><summary>full output of the de-identification benchmark</summary>',
    '',
    '```text',
    deid.output,
    '```',
    '',
    '</details>',
    '',
    '## 2. Local end to end',
    '',
    'The whole system in one process (`infra/local/system.ts`: real handlers, s3rver, dynalite, the synthesized state machine on aws-local-stepfunctions), driven over HTTP only: create a submission with the demo fixtures (policy + interpretation, two review steps), upload both files to the presigned URLs, then time from the submit request to the first status read that says PUBLISHED (status polled every 25 ms, only when the execution has moved).',
    'Automatic approval: an approver reads each new mail in the local outbox and, for every approval link, opens the page and approves through its form — the approval-page handler and SendTaskSuccess, as a person would; nothing is bypassed.',
    '',
    `| | median | p90 | min | max |`,
    '|---|---|---|---|---|',
    `| one at a time (n = ${e2e.sequential.length}) | ${ms(stats.median)} | ${ms(stats.p90)} | ${ms(stats.min)} | ${ms(stats.max)} |`,
    `| each of ${e2e.concurrent.requested} submitted at once | ${ms(loadedStats.median)} | ${ms(loadedStats.p90)} | ${ms(loadedStats.min)} | ${ms(loadedStats.max)} |`,
    '',
    `- Start of the local system: ${ms(e2e.startMs)}; the first submission after it (handlers loading in-process) took ${ms(e2e.firstLatencyMs)} and is not in the figures.`,
    `- ${e2e.concurrent.requested} submissions at once: prepared first (create + upload, ${(e2e.concurrent.prepareMs / 1000).toFixed(1)} s, not timed), then all submitted together; ${e2e.concurrent.published.length} published in ${(e2e.concurrent.wallMs / 1000).toFixed(1)} s from the first submit to the last PUBLISHED = **${input.bundlesPerSecond.toFixed(2)} bundles/s** on ${host.cores} cores, everything (emulators, handlers, approver) in one Node.js process.${e2e.concurrent.failures.length > 0 ? ` ${e2e.concurrent.failures.length} did not publish: ${e2e.concurrent.failures.slice(0, 3).join('; ')}.` : ''}`,
    `- Approvals given by the automatic approver: ${e2e.approvals}; ${e2e.approverRetries} page opens answered 404 and were retried (request-approval mails a link before it stores it, by design, so a click within milliseconds can come too early)${e2e.approverErrors.length > 0 ? `; errors: ${e2e.approverErrors.slice(0, 3).join('; ')}` : ', none failed'}.`,
    '',
    '![CDF of submit → PUBLISHED latency](benchmarks-latency.svg)',
    '',
    '## 3. Lambda bundles',
    '',
    "Each function bundled by CDK's own `NodejsFunction` bundling with the construct's `BUNDLING` options (`infra/constructs/gongkai-function.ts`: ESM, node22, minified, keep-names, source maps, `@aws-sdk/*` external) plus an esbuild metafile, which changes nothing in the output. Size is `index.mjs` without its source map.",
    `Cold initialisation: a fresh \`node --enable-source-maps\` process (as the construct sets \`NODE_OPTIONS\`) with the function's environment (placeholder values that pass the handler's cold-start validation) imports the bundle; the figure is the import alone, median of ${COLD_RUNS}, processes one at a time, round-robin over the bundles. The import includes evaluating the bundle, validating the environment, building the SDK clients, and loading the external AWS SDK v3 packages it imports (${sdkImports.map((i) => `\`${i}\``).join(', ')}) from node_modules — on Lambda they come from the Node.js 22 runtime instead, at a similar cost. It does not include Lambda's own runtime start (an empty Node.js process here takes ${ms(input.emptyMs)} to start) nor any network call.`,
    '',
    `| function | memory (MB) | size (KB) | cold init (ms) | largest packages in the bundle (KB) |`,
    '|---|---|---|---|---|',
  );
  for (const bundle of input.bundles) {
    const fn = byName.get(bundle.name);
    const coldMs = input.cold.get(bundle.name)?.importMs ?? Number.NaN;
    const flag = (value: boolean) => (value ? ' ⚠' : '');
    push(
      `| ${bundle.name} | ${fn?.memoryMb ?? '?'} | ${kb(bundle.bytes).toFixed(0)}${flag(kb(bundle.bytes) > SIZE_BUDGET_KB)} | ${coldMs.toFixed(0)}${flag(coldMs > COLD_BUDGET_MS)} | ${bundle.byPackage
        .slice(0, 4)
        .map((p) => `${p.name} ${kb(p.bytes).toFixed(0)}`)
        .join(', ')} |`,
    );
  }
  push('', `⚠ = above the aim (${SIZE_BUDGET_KB} KB, ${COLD_BUDGET_MS} ms).`, '');
  if (over.length > 0) {
    push(
      '### What dominates where a bundle is above the aim',
      '',
      `${over.length} of ${input.bundles.length} bundles are above the aim. By package (bytes in the bundle, from the esbuild metafile), with the shortest import chain that pulls it in:`,
      '',
      '| package | KB | in bundles | pulled in through (one example) |',
      '|---|---|---|---|',
    );
    const packages = new Map<string, { bytes: number; bundles: string[]; chain: string[] }>();
    for (const bundle of over) {
      for (const pkg of bundle.byPackage.slice(0, 5)) {
        const entry = packages.get(pkg.name) ?? { bytes: pkg.bytes, bundles: [], chain: [] };
        entry.bundles.push(bundle.name);
        entry.bytes = Math.max(entry.bytes, pkg.bytes);
        const chain = bundle.chains.find((c) => c.name === pkg.name)?.chain ?? [];
        if (entry.chain.length === 0 || (chain.length > 0 && chain.length < entry.chain.length))
          entry.chain = chain;
        packages.set(pkg.name, entry);
      }
    }
    for (const [name, entry] of [...packages].sort((a, b) => b[1].bytes - a[1].bytes)) {
      // The project's hops, then the first file of the package.
      const hops = entry.chain.filter((hop) => !hop.startsWith('node_modules/'));
      const first = entry.chain.find((hop) => hop.startsWith('node_modules/'));
      push(
        `| ${name} | ${kb(entry.bytes).toFixed(0)} | ${entry.bundles.length === over.length ? 'all' : entry.bundles.join(', ')} | ${[...hops, ...(first === undefined ? [] : [first])].map((hop) => `\`${hop}\``).join(' → ')} |`,
      );
    }
    const largestBundle = over.sort((a, b) => b.bytes - a.bytes)[0];
    push(
      '',
      `Largest inputs of the largest bundle (${largestBundle?.name}): ${largestBundle?.topInputs
        .slice(0, 6)
        .map((i) => `\`${i.input}\` ${kb(i.bytes).toFixed(0)} KB`)
        .join(', ')}.`,
      '',
      `Cold initialisation: importing only the AWS SDK packages the bundles leave external takes ${ms(input.sdkMs)} (median of ${COLD_RUNS}, same conditions); the rest of each figure is the bundle itself (evaluating zod schemas, iconv-lite tables, mammoth, and the project's modules) — the empty process start is not included.`,
      '',
    );
  }
  push(
    '## 4. State transitions and the cost of 1,000 published bundles',
    '',
    `State transitions per published bundle, counted from the local interpreter's event log (\`StateEntered\` events, Map iterations included): median ${median(e2e.transitions)} over ${e2e.transitions.length} one-at-a-time executions (min ${Math.min(...e2e.transitions)}, max ${Math.max(...e2e.transitions)}); ${median(e2e.concurrent.transitions)} in the ${e2e.concurrent.transitions.length} concurrent ones.`,
    '',
    `Prices: ${PRICES_REGION}, public list prices as of ${PRICES_AS_OF} (\`test/bench/prices.ts\`, with their sources), on-demand, no free tier. Quantities are measured per bundle in the ${e2e.sequential.length} one-at-a-time runs (two review steps, one approver each, the demo's two documents) and scaled to 1,000.`,
    '',
    '| item | quantity per 1,000 bundles | unit price | cost | how it is counted |',
    '|---|---|---|---|---|',
  );
  const unitPrice: Record<string, string> = {
    'Step Functions Standard': '$0.025 / 1,000',
    'Lambda duration (Arm)': '$0.0000133334 / GB-s',
    'Lambda requests': '$0.20 / 1M',
    'API Gateway HTTP API': '$1.00 / 1M',
    'S3 PUT/LIST tier': '$0.005 / 1,000',
    'S3 GET tier': '$0.0004 / 1,000',
    'DynamoDB on-demand writes': '$0.625 / 1M WRU',
    'DynamoDB on-demand reads': '$0.125 / 1M RRU',
    'KMS requests (upper bound)': '$0.03 / 10,000',
    'SES e-mail': '$0.10 / 1,000',
  };
  for (const line of cost.lines) {
    push(
      `| ${line.item} | ${line.quantity.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${line.unit} | ${unitPrice[line.item] ?? ''} | ${usd(line.usd)} | ${line.note} |`,
    );
  }
  push(
    `| **total** | | | **${usd(input.total)}** | |`,
    '',
    'Assumptions:',
    '',
    '- Lambda duration is the local in-process handler time (x86 machine, warm handlers, emulators on loopback) as an estimate of the time on Lambda; on Lambda, network round trips to S3/DynamoDB are slower and a 512 MB function gets about a third of a vCPU, so real durations are likely longer. Memory sizes are those of the synthesized stack:',
    '',
    '| function | memory (MB) | calls per bundle | mean ms | median ms | GB-s per 1,000 bundles |',
    '|---|---|---|---|---|---|',
    ...cost.lambdaRows,
    '',
    `- Cold starts: Lambda bills the init phase too. If every call above were a cold start (no reuse at all — the worst case for a trickle of submissions), the init time measured in section 3 would add about ${usd(input.cost.coldUpperBound)} per 1,000 bundles.`,
    '- Not included: reads by people (status pages, the portal, `get-submission`, `portal-api`, `web` — the benchmark polls status itself, so those calls are not representative), the KMS key ($1 a month), storage (S3, DynamoDB), CloudWatch Logs ingestion and X-Ray traces, data transfer, and the free tiers.',
    `- DynamoDB request units are estimates from request and response sizes (the emulator does not report consumed capacity); S3 LIST requests are billed at the PUT tier. Table GSIs (partition keys ${input.gsiKeyAttributes.map((k) => `\`${k}\``).join(', ')}): an item write that carries one costs one more WRU per index.`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

main().then(
  () => {
    // Handlers and emulators may leave timers behind; the report is written.
    setTimeout(() => process.exit(0), 500).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
