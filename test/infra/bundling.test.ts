import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLING, FUNCTION_NAME_TAG } from '../../infra/constructs/gongkai-function.js';
import { buildStacks } from '../../infra/stacks/gongkai.js';
import { FUNCTION_NAMES } from '../../shared/config/environment.js';

const TWO_MEGABYTES = 2 * 1024 * 1024;

/**
 * The one test file that synthesizes like `cdk synth`: real esbuild bundling of every function,
 * CDK's built-in CloudFormation validation and the cdk-nag plugin registered on the app.
 */
describe('Synthesis with bundling (as `cdk synth` runs it)', () => {
  let outdir: string;
  let assembly: CloudAssembly;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'gongkai-synth-'));
    const app = new App({ outdir });
    buildStacks(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    assembly = app.synth();
  }, 300_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles every function into an ESM asset under 2 MB', () => {
    const template = assembly.getStackByName('GongkaiPipeline').template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const sizes: Record<string, number> = {};
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const tags = resource.Properties.Tags as Array<{ Key: string; Value: string }>;
      const name = tags.find((tag) => tag.Key === FUNCTION_NAME_TAG)?.Value ?? '?';
      const key = (resource.Properties.Code as { S3Key: string }).S3Key;
      const bundle = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
      sizes[name] = statSync(bundle).size;
      const code = readFileSync(bundle, 'utf8');
      expect(code.includes('const require = __gongkaiCreateRequire(import.meta.url)'), name).toBe(true);
      expect(statSync(`${bundle}.map`).size, name).toBeGreaterThan(0);
    }
    console.info('bundle sizes (bytes):', JSON.stringify(sizes));
    const oversized = Object.entries(sizes).filter(([, size]) => size === 0 || size >= TWO_MEGABYTES);
    expect(oversized, 'functions whose index.mjs is empty or 2 MB or more').toEqual([]);
    expect(Object.keys(sizes).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it('passes the built-in CloudFormation validation and cdk-nag without findings', () => {
    // A finding of either would have made app.synth() throw in beforeAll; the report must be clean too.
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      'GongkaiData',
      'GongkaiPipeline',
    ]);
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ summary?: { status?: string }; violations?: unknown[] }>;
    };
    for (const plugin of report.pluginReports) expect(plugin.violations ?? []).toEqual([]);
  });

  it('keeps class names through minification, so error names the state machine matches survive', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gongkai-keepnames-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      writeFileSync(
        entry,
        'class GongkaiError extends Error { constructor() { super("x"); this.name = new.target.name; } }\n' +
          'class SubmissionInvalidError extends GongkaiError {}\n' +
          'export const name = new SubmissionInvalidError().name;\n',
      );
      const outfile = path.join(dir, 'out.mjs');
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        keepNames: BUNDLING.keepNames,
        banner: { js: BUNDLING.banner ?? '' },
        logLevel: 'silent',
      });
      const bundled = (await import(pathToFileURL(outfile).href)) as { name: string };
      expect(bundled.name).toBe('SubmissionInvalidError');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
