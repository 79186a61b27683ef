import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLING, FUNCTION_NAME_TAG, PROJECT_ROOT } from '../../infra/constructs/gongkai-function.js';
import { extractStateMachineDefinition } from '../../infra/local/definition.js';
import { buildStacks } from '../../infra/stacks/gongkai.js';
import { median } from './stats.js';

/**
 * The Lambda part of the benchmark: what deploys (functions, memory sizes, which ones the state
 * machine invokes) read from the synthesized CDK app, and every function bundled by CDK itself with
 * the construct's own `BUNDLING` options (plus an esbuild metafile, which changes nothing in the
 * output), then imported by fresh Node.js processes to time their cold initialisation.
 */

/** Scratch space inside the repository, so a bundle's external `@aws-sdk/*` imports resolve from node_modules. */
export const SCRATCH = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'gongkai-bench');

/** One deployed function as the synthesized pipeline stack declares it. */
export interface DeployedFunction {
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Invoked by the review state machine (the others sit behind the HTTP API). */
  stateMachineTask: boolean;
}

type Resource = { Type?: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };

/** Synthesizes the app (bundling skipped): its functions, and the table's GSI partition keys. */
export function synthesizedApp(): { functions: DeployedFunction[]; gsiKeyAttributes: string[] } {
  const app = new App({
    outdir: path.join(SCRATCH, 'synth'),
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const { data, pipeline } = buildStacks(app);
  const assembly = app.synth();
  const template = assembly.getStackByName(pipeline.stackName).template as {
    Resources: Record<string, Resource>;
  };
  const dataTemplate = assembly.getStackByName(data.stackName).template as {
    Resources: Record<string, Resource>;
  };
  const tasks = new Set(Object.values(extractStateMachineDefinition(template).functionNameByArn));
  const functions: DeployedFunction[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const tags = (resource.Properties?.Tags ?? []) as { Key: string; Value: string }[];
    const name = tags.find((tag) => tag.Key === FUNCTION_NAME_TAG)?.Value;
    if (name === undefined) continue;
    functions.push({
      name,
      memoryMb: Number(resource.Properties?.MemorySize ?? 128),
      timeoutSeconds: Number(resource.Properties?.Timeout ?? 3),
      stateMachineTask: tasks.has(name),
    });
  }
  const gsiKeyAttributes: string[] = [];
  for (const resource of Object.values(dataTemplate.Resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const indexes = (resource.Properties?.GlobalSecondaryIndexes ?? []) as {
      KeySchema: { AttributeName: string; KeyType: string }[];
    }[];
    for (const index of indexes) {
      const hash = index.KeySchema.find((key) => key.KeyType === 'HASH');
      if (hash !== undefined) gsiKeyAttributes.push(hash.AttributeName);
    }
  }
  return { functions, gsiKeyAttributes };
}

/** One function's bundle. */
export interface BundleFigures {
  name: string;
  /** Path of `index.mjs`. */
  file: string;
  bytes: number;
  /** Largest inputs by bytes in the output (from the metafile). */
  topInputs: { input: string; bytes: number }[];
  /** Bytes by package (`node_modules/<pkg>`) or `(project)` for the repository's own sources. */
  byPackage: { name: string; bytes: number }[];
  /** External imports the bundle leaves to the runtime (`@aws-sdk/*`, `node:*`). */
  externalImports: string[];
  /** For the largest packages: the shortest import chain from the entry that pulls each in. */
  chains: { name: string; chain: string[] }[];
}

interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
  outputs: Record<
    string,
    {
      bytes: number;
      entryPoint?: string;
      inputs: Record<string, { bytesInOutput: number }>;
      imports: { path: string; external?: boolean }[];
    }
  >;
}

const shortName = (input: string): string => input.replace(/^.*?node_modules\//, 'node_modules/');

/** Shortest import chain (breadth-first) from `entry` to any input of package `pkg`. */
function importChain(meta: Metafile, entry: string, pkg: string): string[] {
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (packageOf(current) === pkg) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = previous.get(at))
        chain.unshift(shortName(at));
      return chain;
    }
    for (const next of meta.inputs[current]?.imports ?? []) {
      if (next.external || previous.has(next.path)) continue;
      previous.set(next.path, current);
      queue.push(next.path);
    }
  }
  return [];
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? '(project)';
}

/**
 * Bundles every function through CDK's NodejsFunction with `{ ...BUNDLING, metafile: true }` and the
 * construct's other bundling-relevant props (entry, runtime, architecture, project root, lock file).
 */
export async function bundleFunctions(names: readonly string[]): Promise<BundleFigures[]> {
  const outdir = path.join(SCRATCH, 'bundles');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'GongkaiBenchBundles');
  const nameByLogicalId = new Map<string, string>();
  for (const name of names) {
    const fn = new NodejsFunction(stack, name, {
      entry: path.join(PROJECT_ROOT, 'functions', `${name}.ts`),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: { ...BUNDLING, metafile: true },
    });
    nameByLogicalId.set(stack.getLogicalId(fn.node.defaultChild as CfnElement), name);
  }
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, Resource>;
  };
  const figures: BundleFigures[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = nameByLogicalId.get(logicalId);
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (name === undefined || typeof assetPath !== 'string') continue;
    const folder = path.join(outdir, assetPath);
    const file = path.join(folder, 'index.mjs');
    const meta = JSON.parse(await readFile(path.join(folder, 'index.meta.json'), 'utf8')) as Metafile;
    const output = Object.entries(meta.outputs).find(([key]) => key.endsWith('index.mjs'))?.[1];
    if (output === undefined) throw new Error(`No index.mjs in the metafile of ${name}.`);
    const inputs = Object.entries(output.inputs).map(([input, { bytesInOutput }]) => ({
      input: shortName(input),
      bytes: bytesInOutput,
    }));
    const byPackage = new Map<string, number>();
    for (const { input, bytes } of inputs)
      byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytes);
    const packages = [...byPackage]
      .map(([pkg, bytes]) => ({ name: pkg, bytes }))
      .sort((a, b) => b.bytes - a.bytes);
    const entry = output.entryPoint ?? '';
    figures.push({
      name,
      file,
      bytes: (await stat(file)).size,
      topInputs: inputs.sort((a, b) => b.bytes - a.bytes).slice(0, 8),
      byPackage: packages,
      chains: packages
        .filter((pkg) => pkg.name !== '(project)')
        .slice(0, 6)
        .map((pkg) => ({ name: pkg.name, chain: importChain(meta, entry, pkg.name) })),
      externalImports: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort(),
    });
  }
  const missing = names.filter((name) => !figures.some((figure) => figure.name === name));
  if (missing.length > 0) throw new Error(`No bundle found for ${missing.join(', ')}.`);
  return names.map((name) => figures.find((figure) => figure.name === name) as BundleFigures);
}

/**
 * Environment of a cold start: every variable any function's schema asks for, with placeholder
 * values that pass validation (handlers parse their environment at module scope, as on Lambda).
 * No AWS endpoint is contacted while importing.
 */
export function coldStartEnvironment(functionName: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_OPTIONS: '--enable-source-maps',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'BENCHPLACEHOLDER',
    AWS_SECRET_ACCESS_KEY: 'bench-placeholder',
    AWS_LAMBDA_FUNCTION_NAME: `gongkai-${functionName}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'gongkai',
    LOG_LEVEL: 'INFO',
    TABLE_NAME: 'gongkai-table',
    UPLOADS_BUCKET: 'gongkai-uploads',
    WORK_BUCKET: 'gongkai-work',
    PUBLISHED_BUCKET: 'gongkai-published',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:gongkai-review',
    MAIL_FROM: 'gongkai-noreply@example.gov.cn',
    APPROVAL_BASE_URL: 'https://gongkai.example.gov.cn/approvals',
    JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json',
    JWT_ISSUER: 'https://idp.example.gov.cn',
    JWT_AUDIENCE: 'gongkai',
    SIGN_IN_URL: 'https://idp.example.gov.cn/sign-in',
  };
}

/** What one fresh process measured (ms since the process started, from `performance.now()`). */
interface ColdSample {
  importMs: number;
  processMs: number;
}

/** A module that imports `packages` (resolved from the project root), written into the scratch space. */
async function sdkOnlyModule(packages: readonly string[]): Promise<string> {
  const file = path.join(SCRATCH, 'sdk-only.mjs');
  await mkdir(SCRATCH, { recursive: true });
  await writeFile(
    file,
    `${packages.map((pkg, index) => `import * as sdk${index} from '${pkg}';`).join('\n')}\nexport const handler = () => [${packages.map((_, index) => `sdk${index}`).join(', ')}];\n`,
  );
  return file;
}

/** Importing only `packages` in a fresh process (what every bundle's import includes at least), median of `runs`. */
export async function sdkImportMs(packages: readonly string[], runs: number): Promise<number> {
  const file = await sdkOnlyModule(packages);
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1)
    samples.push((await runProbe(file, coldStartEnvironment('sdk-only'))).importMs);
  return median(samples);
}

const PROBE = `
const started = performance.now();
const module = await import(process.env.GONGKAI_BENCH_ENTRY);
const importMs = performance.now() - started;
if (typeof module.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ importMs, processMs: performance.now() }));
`;

function runProbe(entry: string | undefined, env: Record<string, string>): Promise<ColdSample> {
  return new Promise((resolve, reject) => {
    const script =
      entry === undefined
        ? 'process.stdout.write(JSON.stringify({ importMs: 0, processMs: performance.now() }))'
        : PROBE;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...env, ...(entry === undefined ? {} : { GONGKAI_BENCH_ENTRY: pathToFileURL(entry).href }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(
          new Error(`cold start of ${entry ?? 'empty node'} exited ${code}: ${err.slice(0, 800)}`),
        );
      try {
        resolve(JSON.parse(out) as ColdSample);
      } catch {
        reject(new Error(`cold start of ${entry ?? 'empty node'} printed ${out.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Cold initialisation of every bundle: `runs` fresh processes each, one process at a time, taken
 * round-robin (so a burst of load elsewhere on the machine touches every bundle alike). Median.
 */
export async function coldInits(
  bundles: readonly Pick<BundleFigures, 'name' | 'file'>[],
  runs: number,
  onRound?: (round: number) => void,
): Promise<Map<string, { importMs: number; processMs: number }>> {
  for (const bundle of bundles)
    if (!existsSync(bundle.file)) throw new Error(`${bundle.file} does not exist.`);
  const samples = new Map<string, ColdSample[]>(bundles.map((bundle) => [bundle.name, []]));
  for (let round = 0; round < runs; round += 1) {
    for (const bundle of bundles)
      samples.get(bundle.name)?.push(await runProbe(bundle.file, coldStartEnvironment(bundle.name)));
    onRound?.(round + 1);
  }
  return new Map(
    [...samples].map(([name, list]) => [
      name,
      { importMs: median(list.map((s) => s.importMs)), processMs: median(list.map((s) => s.processMs)) },
    ]),
  );
}

/** Start-up of an empty Node.js process (same flags), median of `runs`: the floor under every cold start. */
export async function emptyProcessMs(runs: number): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1)
    samples.push((await runProbe(undefined, coldStartEnvironment('empty'))).processMs);
  return median(samples);
}
