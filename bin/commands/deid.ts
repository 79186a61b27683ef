import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  deidentifyHtml,
  deidentifyText,
  parseExemption,
  type RedactionReport,
} from '../../shared/deid/index.js';
import { readDocument } from '../../shared/documents/index.js';
import { CliUsageError, describeFailure } from './errors.js';

interface FileReport extends RedactionReport {
  file: string;
}

/**
 * `gongkai deid`: de-identify files. One file prints to stdout; `--out DIR` writes one redacted
 * file per input (same base name, `.txt` or `.html` by `--format`). A file that cannot be read
 * is reported on stderr with its name and the others are still processed.
 */
export async function deidCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
      report: { type: 'string' },
      exemption: { type: 'string' },
    },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'html') {
    throw new CliUsageError(`--format must be text or html, not "${format}"`);
  }
  if (positionals.length === 0) throw new CliUsageError('deid needs at least one FILE');
  if (values.out === undefined && positionals.length > 1) {
    throw new CliUsageError('several files need --out DIR (one redacted file is written per input)');
  }
  const exemption = values.exemption === undefined ? undefined : parseExemption(values.exemption);
  const policy = exemption === undefined ? {} : { exemption };

  if (values.out !== undefined) await mkdir(values.out, { recursive: true });
  const reports: FileReport[] = [];
  const written = new Set<string>();
  let failures = 0;

  for (const file of positionals) {
    try {
      const document = await readDocument(await readFile(file), file);
      const result =
        format === 'html' ? deidentifyHtml(document.html, policy) : deidentifyText(document.text, policy);
      const output = 'html' in result ? result.html : result.text;
      const report = result.report;
      reports.push({ file, ...report });
      if (values.out === undefined) {
        process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
        continue;
      }
      const target = join(
        values.out,
        `${basename(file, extname(file))}.${format === 'html' ? 'html' : 'txt'}`,
      );
      if (written.has(target)) {
        throw new Error(`另一个输入文件已写入 ${target}，请改名后重试`);
      }
      written.add(target);
      await writeFile(target, output);
    } catch (error) {
      failures += 1;
      process.stderr.write(`gongkai: ${describeFailure(file, error)}\n`);
    }
  }

  if (values.report !== undefined) {
    await writeFile(values.report, `${JSON.stringify({ version: 1, files: reports }, null, 2)}\n`);
  }
  return failures === 0 ? 0 : 1;
}
