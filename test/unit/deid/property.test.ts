import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deidentifyText, detect, normalize } from '../../../shared/deid/index.js';
import { residentIdCheckChar } from '../../../shared/deid/validators.js';
import { digitsOnly, luhn } from './helpers.js';

const REGIONS = [
  '640104',
  '640105',
  '110105',
  '310115',
  '440305',
  '510107',
  '330106',
  '654001',
  '142701',
  '810000',
];
const FILLER =
  '根据政务公开工作要点的通知要求结合我中心职能和实际特制定本方案现将有关事项公示如下请予监督反映问题';

const filler = fc
  .array(fc.constantFrom(...FILLER, '，', '。', '：', '、'), { minLength: 0, maxLength: 30 })
  .map((cs) => cs.join(''));

const residentIdArb = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    date: fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, date, seq }) => {
    const d = date.toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `${region}${d}${String(seq).padStart(3, '0')}`;
    return first17 + residentIdCheckChar(first17);
  });

const MOBILE_PREFIXES = [
  '130',
  '135',
  '139',
  '145',
  '150',
  '153',
  '158',
  '166',
  '173',
  '177',
  '180',
  '186',
  '189',
  '191',
  '199',
];
const mobileArb = fc
  .tuple(fc.constantFrom(...MOBILE_PREFIXES), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([p, n]) => p + String(n).padStart(8, '0'));

const cardArb = fc
  .tuple(
    fc.constantFrom('622848', '622202', '621700', '436742', '622588'),
    fc.constantFrom(16, 19),
    fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }),
  )
  .map(([prefix, length, n]) => {
    const body = (prefix + n.toString().padStart(13, '0')).slice(0, length - 1);
    for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
    return body;
  });

/** Random evasions: full-width digits, zero-width characters, spaces and hyphens between characters. */
const evasion = fc.record({
  fullWidth: fc.boolean(),
  zeroWidth: fc.array(fc.boolean(), { minLength: 19, maxLength: 19 }),
  separators: fc.array(fc.constantFrom('', '', '', ' ', '-', '\u200b', '\u3000'), {
    minLength: 19,
    maxLength: 19,
  }),
});

function evade(value: string, e: { fullWidth: boolean; zeroWidth: boolean[]; separators: string[] }): string {
  let out = '';
  for (let k = 0; k < value.length; k++) {
    const ch = value[k] ?? '';
    out += e.fullWidth ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch;
    if (k < value.length - 1) out += (e.zeroWidth[k] ? '\u200c' : '') + (e.separators[k] ?? '');
  }
  return out;
}

/** What the default transforms leave of a planted value. */
function masked(value: string): string {
  if (value.length === 18) return `${value.slice(0, 6)}${'*'.repeat(12)}`;
  if (value.length === 11) return `${value.slice(0, 3)}****${value.slice(7)}`;
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

describe('Property: planted identifiers never survive', () => {
  it('removes every valid resident ID, mobile number and Luhn card, with any evasion', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(residentIdArb, mobileArb, cardArb), evasion, filler), {
          minLength: 1,
          maxLength: 5,
        }),
        filler,
        (planted, head) => {
          const text = head + planted.map(([v, e, f]) => `${evade(v, e)}${f}`).join('。');
          const { text: out } = deidentifyText(text);
          const normalizedOut = normalize(out).text;
          for (const [value] of planted) {
            expect(digitsOnly(normalizedOut)).not.toContain(value);
            expect(normalizedOut).toContain(masked(value));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('maps every detection back to an original span that normalizes to the planted value', () => {
    fc.assert(
      fc.property(
        fc.oneof(residentIdArb, mobileArb, cardArb),
        evasion,
        filler,
        filler,
        (value, e, before, after) => {
          const written = evade(value, e);
          const text = `${before}号码${written}${after}`;
          // Random filler can form a name-like word bound to the number; only the number matters here.
          const detections = detect(text).filter((d) => d.type !== 'person-name');
          expect(detections).toHaveLength(1);
          const [d] = detections;
          expect(d).toBeDefined();
          if (d === undefined) return;
          expect(digitsOnly(normalize(text.slice(d.start, d.end)).text)).toBe(value);
          // The span is exactly the written value: nothing before or after it.
          expect(text.slice(d.start, d.end)).toBe(
            written.replace(/^[\s\u200b\u200c\u3000-]+|[\s\u200b\u200c\u3000-]+$/g, ''),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never changes text without digits, letters or cue words', () => {
    fc.assert(
      fc.property(filler, (text) => {
        expect(deidentifyText(text).text).toBe(text);
      }),
    );
  });
});
