import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkConsistency, readDocument } from '../../shared/documents/index.js';
import { CliUsageError, describeFailure } from './errors.js';

/**
 * `gongkai check-pair POLICY INTERPRETATION`: every figure, date, deadline and 文号 the
 * interpretation quotes that its policy does not contain. Findings do not fail the command
 * (they are for reviewers); an unreadable file does.
 */
export async function checkPairCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [policyFile, interpretationFile] = positionals;
  if (policyFile === undefined || interpretationFile === undefined || positionals.length > 2) {
    throw new CliUsageError('check-pair needs exactly two files: POLICY INTERPRETATION');
  }
  const texts: string[] = [];
  for (const file of [policyFile, interpretationFile]) {
    try {
      texts.push((await readDocument(await readFile(file), file)).text);
    } catch (error) {
      process.stderr.write(`gongkai: ${describeFailure(file, error)}\n`);
      return 1;
    }
  }
  const findings = checkConsistency(texts[0]!, texts[1]!);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ version: 1, findings }, null, 2)}\n`);
    return 0;
  }
  if (findings.length === 0) {
    process.stdout.write('解读中引用的数字、日期、期限和文号均可在原文中找到。\n');
    return 0;
  }
  process.stdout.write(`发现 ${findings.length} 处解读与原文不一致：\n`);
  findings.forEach((finding, index) => {
    process.stdout.write(
      `\n${index + 1}. ${finding.message}\n   解读：${finding.interpretationExcerpt}\n   原文：${finding.policyExcerpt ?? '（原文中无相近表述）'}\n`,
    );
  });
  return 0;
}
