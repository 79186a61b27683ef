/**
 * De-identification benchmark. Run with `npx tsx test/bench/deid-bench.ts`.
 *
 * Builds (deterministically, from a fixed seed) a corpus of ≥ 10 MiB of government-like Chinese
 * documents with planted personal data and look-alikes, then prints, in plain text:
 * - engine throughput (deidentifyText, document by document) and the floor (one pass of a single
 *   combined regular expression over the same documents), and their ratio;
 * - recall and look-alikes kept, on the labelled corpus and on the synthetic corpus;
 * - the time taken by hostile 1 MiB inputs.
 * No timing is asserted: the figures are for people to read.
 */
import { readFileSync } from 'node:fs';
import { deidentifyText } from '../../shared/deid/index.js';
import { luhnCard, residentId, uscc } from '../unit/deid/helpers.js';
import { score } from '../unit/deid/labelled.js';

const MIB = 1024 * 1024;
const TARGET_BYTES = 10.5 * MIB;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20190719);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const SEED_TEXT = readFileSync(new URL('../fixtures/seed/000_cf883fa431da65ec.txt', import.meta.url), 'utf8');
const SEED_PARAGRAPHS = SEED_TEXT.split('\n').filter((line) => line.trim().length > 20);

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志海燕春梅晓东文斌宁浩然佳琪雪梅德福';
const REGIONS = [
  '640104',
  '640105',
  '640106',
  '640121',
  '640122',
  '640181',
  '640202',
  '640302',
  '642221',
  '110105',
];
const DISTRICTS = ['兴庆区', '金凤区', '西夏区', '永宁县', '贺兰县'];
const STREETS = [
  '解放东街',
  '北京中路',
  '宁安大街',
  '文昌南路',
  '丽景北街',
  '正源街',
  '亲水大街',
  '怀远东路',
];
const CUES = ['申请人', '投诉人', '举报人', '救助对象', '当事人', '信访人', '患者', '被征收人'];

const name = (): string => pick([...SURNAMES]) + pick([...GIVEN]) + (random() < 0.6 ? pick([...GIVEN]) : '');
const id = (): string =>
  residentId(
    pick(REGIONS),
    `${int(1940, 2010)}${pad(int(1, 12), 2)}${pad(int(1, 28), 2)}`,
    pad(int(0, 999), 3),
  );
const mobile = (): string =>
  `${pick(['139', '138', '186', '158', '177', '199', '151'])}${pad(int(0, 99_999_999), 8)}`;
const card = (): string =>
  luhnCard(pick(['622848', '622202', '621700', '622588']), pick([16, 19]), pad(int(0, 1e12), 13));
const address = (): string =>
  `银川市${pick(DISTRICTS)}${pick(STREETS)}${int(1, 500)}号${int(1, 30)}号楼${int(1, 6)}单元${int(1, 30)}0${int(1, 4)}室`;

interface Planted {
  text: string;
  planted: string[];
  lookAlikes: string[];
}

/** One document: seed-like paragraphs with personal records and look-alikes mixed in. */
function makeDocument(index: number): Planted {
  const planted: string[] = [];
  const lookAlikes: string[] = [];
  const parts: string[] = [];
  const docNumber = `银政办发〔${int(2015, 2024)}〕${int(1, 200)}号`;
  const indexNumber = `640100-${pad(int(1, 999), 3)}/${int(2015, 2024)}-${pad(int(1, 99999), 5)}`;
  lookAlikes.push(docNumber, indexNumber);
  parts.push(`索引号：${indexNumber}\n文号：${docNumber}\n关于做好第${index}批政务公开事项的通知\n`);
  // About a third of the documents concern private persons (decisions, 公示 lists, replies); the rest are
  // policy texts with look-alikes only. Those that do carry one to four personal records.
  const recordsLeft = random() < 0.35 ? int(1, 4) : 0;
  let records = 0;
  for (let p = 0; p < 14; p++) {
    parts.push(pick(SEED_PARAGRAPHS));
    const roll = random();
    if (records < recordsLeft && roll < 0.45) {
      records++;
      if (random() < 0.7) {
        const person = name();
        const [i, m, a] = [id(), mobile(), address()];
        planted.push(person, i, m, a);
        parts.push(`${pick(CUES)}${person}，身份证号${i}，住址：${a}，联系电话：${m}。`);
      } else {
        const c = card();
        const person = name();
        planted.push(person, c);
        parts.push(`补偿对象：${person}，补偿款已转入其银行卡${c}。`);
      }
    } else if (roll > 0.75) {
      const amount = `${int(1, 999)},${pad(int(0, 999), 3)}元`;
      const code = uscc(`9164010${pad(int(0, 9_999_999_999), 10)}`);
      lookAlikes.push(amount, code);
      parts.push(
        `项目资金${amount}，承建单位统一社会信用代码：${code}，咨询电话：0951-${int(5000000, 6999999)}，政务服务便民热线12345。`,
      );
    }
  }
  parts.push(`\n银川市人民政府办公室\n${int(2015, 2024)}年${int(1, 12)}月${int(1, 28)}日\n`);
  return { text: parts.join('\n'), planted, lookAlikes };
}

function buildCorpus(): Planted[] {
  const docs: Planted[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const doc = makeDocument(docs.length + 1);
    docs.push(doc);
    bytes += Buffer.byteLength(doc.text, 'utf8');
  }
  return docs;
}

const FLOOR = /\d{6,}|1[3-9]\d{9}|[\w.]+@[\w.]+/g;

function floorPass(texts: string[]): number {
  let matches = 0;
  for (const text of texts) {
    FLOOR.lastIndex = 0;
    while (FLOOR.exec(text) !== null) matches++;
  }
  return matches;
}

function enginePass(texts: string[]): number {
  let redactions = 0;
  for (const text of texts) redactions += deidentifyText(text).report.total;
  return redactions;
}

/** Best of `runs` timings in milliseconds (after one warm-up run). */
function best(runs: number, fn: () => unknown): number {
  fn();
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function syntheticScore(docs: Planted[]): { recall: number; kept: number } {
  let found = 0;
  let planted = 0;
  let kept = 0;
  let lookAlikes = 0;
  for (const doc of docs) {
    const out = deidentifyText(doc.text).text;
    for (const p of doc.planted) {
      planted++;
      if (!out.includes(p)) found++;
    }
    for (const l of doc.lookAlikes) {
      lookAlikes++;
      if (out.includes(l)) kept++;
    }
  }
  return { recall: found / planted, kept: kept / lookAlikes };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

function main(): void {
  const docs = buildCorpus();
  const texts = docs.map((d) => d.text);
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0);
  const mib = bytes / MIB;
  console.log(`corpus: ${docs.length} documents, ${mib.toFixed(2)} MiB (UTF-8), seed 20190719`);

  const engineMs = best(5, () => enginePass(texts));
  const floorMs = best(5, () => floorPass(texts));
  const engineRate = mib / (engineMs / 1000);
  const floorRate = mib / (floorMs / 1000);
  console.log(`engine (deidentifyText): ${engineRate.toFixed(1)} MiB/s (${engineMs.toFixed(1)} ms)`);
  console.log(`floor (one combined regex pass): ${floorRate.toFixed(1)} MiB/s (${floorMs.toFixed(1)} ms)`);
  console.log(`ratio floor/engine: ${(floorRate / engineRate).toFixed(2)}x`);

  const labelled = score();
  console.log(
    `labelled corpus: recall ${pct(labelled.found / labelled.planted)} (${labelled.found}/${labelled.planted}), ` +
      `look-alikes kept ${pct(labelled.kept / labelled.lookAlikes)} (${labelled.kept}/${labelled.lookAlikes})`,
  );
  const synthetic = syntheticScore(docs);
  console.log(`synthetic corpus: recall ${pct(synthetic.recall)}, look-alikes kept ${pct(synthetic.kept)}`);

  const hostile: [string, string][] = [
    ['1 MiB digit run', '7'.repeat(MIB)],
    ['2 MB line of digits', '3'.repeat(2_000_000)],
    ['1 MiB spaced digits', '1 2 3 4 5 6 7 8 9 0 '.repeat(MIB / 20)],
    ['1 MiB e-mail-like run', `${'a'.repeat(MIB / 2)}@${'b.'.repeat(MIB / 4)}`],
    ['1 MiB of "a@"', 'a@'.repeat(MIB / 2)],
    ['1 MiB repeated private cues', '申请人'.repeat(MIB / 9)],
    ['1 MiB repeated address cues', '住址'.repeat(MIB / 6)],
    ['1 MiB repeated cues with names', '申请人张三、'.repeat(MIB / 18)],
  ];
  for (const [label, text] of hostile) {
    console.log(`hostile ${label}: ${best(3, () => deidentifyText(text)).toFixed(1)} ms`);
  }
}

main();
