/**
 * Runs the de-identification engine over the evaluation set and prints the scores.
 *
 *   npx tsx test/deid-eval/run.ts [--seed N] [--exemption] [--dir EXISTING_SET] [--worst N] [--out DIR] [--baseline]
 *
 * Without --dir the set is generated (seed 1 by default) into a temporary folder. With --dir, the
 * folder must hold labels.json and the documents, either beside it or in docs/ (deid-dev layout).
 * Each document goes through the engine exactly as `gongkai deid` does it: readDocument, then
 * deidentifyText on the normalised text (policy {exemption: 'punishment-publicity'} with --exemption).
 * --out DIR also writes each output as DIR/<base name>.txt (what `gongkai deid --out` writes), so
 * score.ts or deid-dev's score.mjs can score it again. --baseline skips the engine and scores the
 * text intake produces: what is lost there (markdown table pipes, for one) is not the engine's doing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deidentifyText } from '../../shared/deid/index.js';
import { readDocument } from '../../shared/documents/index.js';
import { generateSet } from './generate.js';
import { formatReport, type LabelsFile, outName, ratio, scoreOutputs, sourceDirFor, total } from './score.js';

const NON_IDENTIFIER = new Set(['name', 'address', 'birth_date']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      exemption: { type: 'boolean', default: false },
      dir: { type: 'string' },
      worst: { type: 'string', default: '30' },
      out: { type: 'string' },
      baseline: { type: 'boolean', default: false },
    },
  });
  let setDir = values.dir;
  let temp: string | undefined;
  if (setDir === undefined) {
    temp = mkdtempSync(join(tmpdir(), 'deid-eval-'));
    generateSet(temp, Number(values.seed));
    setDir = temp;
  }
  try {
    const labelsPath = join(setDir, 'labels.json');
    const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as LabelsFile;
    const sourceDir = sourceDirFor(labelsPath);
    const policy = values.exemption ? { exemption: 'punishment-publicity' as const } : {};
    const outputs = new Map<string, string>();
    if (values.out !== undefined) mkdirSync(values.out, { recursive: true });
    const failures: string[] = [];
    const started = performance.now();
    for (const file of Object.keys(labels.docs)) {
      try {
        const document = await readDocument(readFileSync(join(sourceDir, file)), file);
        const output = values.baseline ? document.text : deidentifyText(document.text, policy).text;
        outputs.set(file, output);
        if (values.out !== undefined) writeFileSync(join(values.out, outName(file)), output);
      } catch (error) {
        failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const result = scoreOutputs(labels, sourceDir, outputs, { exemption: values.exemption });
    const names = result.recall.name ?? { n: 0, ok: 0 };
    const identifiers = total(result.recall, (type) => !NON_IDENTIFIER.has(type));
    const header = [
      `set: ${values.dir ?? `generated, seed ${values.seed}`}   mode: ${values.exemption ? 'exemption (惩戒公示)' : 'default'}${
        values.baseline ? '   BASELINE: engine skipped' : ''
      }`,
      `engine: ${outputs.size} documents in ${seconds.toFixed(2)} s${failures.length ? `, ${failures.length} failed` : ''}`,
      ...failures.slice(0, 10).map((f) => `  FAILED ${f}`),
    ].join('\n');
    const report = formatReport(result, { prefix: 'deid-eval', worst: Number(values.worst), header });
    const lines = report.split('\n');
    const last = lines.pop();
    console.log(lines.join('\n'));
    console.log(`names recall: ${names.ok}/${names.n} ${ratio(names)}`);
    console.log(
      `identifier recall (all types but name, address, birth_date): ${identifiers.ok}/${identifiers.n} ${ratio(identifiers)}`,
    );
    console.log(last);
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
}

await main();
