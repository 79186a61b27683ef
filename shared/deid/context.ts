/**
 * Context rules on top of the scanner's findings: home addresses, dates of birth, person names
 * (role rules, private cues, binding to identifiers, propagation), and the private-or-organisation
 * decision for landlines and e-mail addresses. Works in normalized-text offsets.
 */
import { type FieldKind, numberKind } from './fields.js';
import { type Field, findFields, findTables, isCjk, lines, type Span, type Table } from './layout.js';
import {
  CLAUSE_TERMINATORS,
  FREE_MAIL_DOMAINS,
  ORG_CONTACT_CUES,
  ORG_MAIL_SUFFIXES,
  PRIVATE_CONTACT_CUES,
} from './lexicon.js';
import { PSEUDONYM_MARKS, UNIT_WORDS } from './name-shape.js';
import { findPeople, hasPublicCapacity, type PrivatePerson } from './people.js';
import type { CueHit, Finding, ScanResult } from './scanner.js';
import { isRealDate, isValidUscc } from './validators.js';

const MAX_CLAUSE = 300;

const TERMINATOR = new Uint8Array(65536);
for (const ch of CLAUSE_TERMINATORS) TERMINATOR[ch.charCodeAt(0)] = 1;

/**
 * Clause bounds: a clause runs between two of 。；！？ or line breaks, and at most 300 characters
 * each way. Found by scanning from the position (bounded), with the last clause cached, so that
 * documents without findings never pay for it and walking forward through a text stays linear.
 */
export class ClauseIndex {
  private cachedStart = -1;
  private cachedEnd = -1;

  constructor(private readonly t: string) {}

  /** Bounds `[start, end)` of the clause around `pos`. */
  at(pos: number): { start: number; end: number } {
    // Callers mostly walk forward through the text: reuse the last clause when pos is inside it.
    if (pos >= this.cachedStart && pos < this.cachedEnd && pos - this.cachedStart <= MAX_CLAUSE) {
      return { start: this.cachedStart, end: Math.min(this.cachedEnd, pos + MAX_CLAUSE) };
    }
    const t = this.t;
    let s = pos;
    while (s > 0 && pos - s < MAX_CLAUSE && TERMINATOR[t.charCodeAt(s - 1)] !== 1) s--;
    let e = pos;
    while (e < t.length && e - pos < MAX_CLAUSE && TERMINATOR[t.charCodeAt(e)] !== 1) e++;
    this.cachedStart = s;
    this.cachedEnd = e;
    return { start: s, end: e };
  }
}

// ---------------------------------------------------------------------------------------------
// Addresses and dates of birth

function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(65536);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}

const ADDRESS_STOPS = charTable('，,。；;！!？?\n\r\t、|（(）)“”"');
const DETAIL_END = charTable('号室栋幢楼户组弄座层');
const LOCALITY = charTable('省市区县旗镇乡村街路巷道屯组庄寨苑园里号弄');
const TRAILING_AFTER_DETAIL = charTable('院楼房铺');
const ADDRESS_CUT = charTable('的因并向与和及');
const ADDRESS_LEAD = charTable(' \u3000：:');

/**
 * Parse the address that follows a cue at `p`: up to the last house/room detail (号, 室, 栋, 单元 …)
 * before the end of the phrase. `scanned` tells how far the text was read, so that cues inside that
 * stretch need not be parsed again.
 */
export function parseAddress(t: string, p: number): { start: number; end: number; scanned: number } | null {
  let s = p;
  while (s < t.length && ADDRESS_LEAD[t.charCodeAt(s)] === 1) s++;
  if (t[s] === '为' || t[s] === '在' || t[s] === '于') s++;
  while (s < t.length && ADDRESS_LEAD[t.charCodeAt(s)] === 1) s++;
  let w = s;
  while (w < t.length && w - s < 80 && ADDRESS_STOPS[t.charCodeAt(w)] !== 1) w++;
  let end = -1;
  for (let k = w - 1; k > s; k--) {
    if (DETAIL_END[t.charCodeAt(k)] === 1 || (t[k] === '元' && t[k - 1] === '单')) {
      end = k + 1;
      if (end < w && TRAILING_AFTER_DETAIL[t.charCodeAt(end)] === 1) end++;
      break;
    }
  }
  if (end < 0) {
    end = w;
    for (let k = s; k < w; k++) {
      if (ADDRESS_CUT[t.charCodeAt(k)] === 1) {
        end = k;
        break;
      }
    }
  }
  if (end - s < 4) return null;
  // A place word (路, 村, 区 …) or a house-level detail (18幢1005室) makes it an address.
  let locality = isHouseLevel(t, s, end);
  for (let k = s; k < end && !locality; k++) if (LOCALITY[t.charCodeAt(k)] === 1) locality = true;
  return locality ? { start: s, end, scanned: w } : { start: s, end: s, scanned: w };
}

function readNumber(t: string, p: number, min: number, max: number): { value: number; end: number } | null {
  let e = p;
  while (e < t.length && e - p < max && t.charCodeAt(e) >= 48 && t.charCodeAt(e) <= 57) e++;
  if (e - p < min) return null;
  return { value: Number(t.slice(p, e)), end: e };
}

/** Parse a date (year and month at least) at `p`: 1990年1月2日, 1990-01-02, 1990.1.2, 1990/01. */
export function parseDate(t: string, p: number): { start: number; end: number } | null {
  const y = readNumber(t, p, 4, 4);
  if (y === null) return null;
  const sep = t[y.end];
  if (sep !== '年' && sep !== '-' && sep !== '.' && sep !== '/') return null;
  const m = readNumber(t, y.end + 1, 1, 2);
  if (m === null) return null;
  let end = m.end;
  let day = 1;
  const sep2 = t[m.end];
  if (sep2 === '月' || (sep2 === sep && sep !== '年')) {
    end = m.end + 1;
    const d = readNumber(t, m.end + 1, 1, 2);
    if (d !== null) {
      day = d.value;
      end = d.end;
      if (t[end] === '日' || t[end] === '号') end++;
    } else if (sep2 !== '月') {
      end = m.end;
    }
  }
  if (!isRealDate(y.value, m.value, day)) return null;
  return { start: p, end };
}

const CONTINUING_AFTER_SHENG = '效产活态成命物长源病育存意涯还';

function parseBirth(t: string, cue: CueHit): Finding | null {
  if (cue.kind === 'birth-suffix') {
    // 1985年6月12日生 / 1985年6月生: the date ends with the cue's first character.
    const after = t.charCodeAt(cue.end);
    if (isCjk(after) && CONTINUING_AFTER_SHENG.includes(t[cue.end] ?? '')) return null;
    const dateEnd = cue.start + 1;
    for (let s = dateEnd - 5; s >= Math.max(0, dateEnd - 11); s--) {
      const d = parseDate(t, s);
      if (d !== null && d.end === dateEnd && (s === 0 || !isDigit(t.charCodeAt(s - 1))))
        return birthFinding(d);
    }
    return null;
  }
  let p = cue.end;
  while (p < t.length && ' \u3000：:于在为'.includes(t[p] ?? '')) p++;
  const d = parseDate(t, p);
  if (d !== null) return birthFinding(d);
  if (cue.end - cue.start === 2 && t.startsWith('出生', cue.start)) {
    // 1990年1月1日出生
    for (let s = cue.start - 5; s >= Math.max(0, cue.start - 11); s--) {
      const b = parseDate(t, s);
      if (b !== null && b.end === cue.start && (s === 0 || !isDigit(t.charCodeAt(s - 1))))
        return birthFinding(b);
    }
  }
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function birthFinding(d: { start: number; end: number }): Finding {
  return {
    type: 'birth-date',
    start: d.start,
    end: d.end,
    confidence: 0.9,
    reason: '出生日期（附近有出生关键词）',
  };
}

// ---------------------------------------------------------------------------------------------
// Putting it together

/** Types that tie a name in the same clause to a private person. */
const BINDING_TYPES = new Set([
  'resident-id',
  'resident-id-legacy',
  'mobile',
  'bank-card',
  'passport',
  'travel-permit',
  'home-address',
  'birth-date',
  'im-account',
  'licence-plate',
  'record-number',
  'vehicle-id',
]);

/** Address labels that always announce where a private person lives. */
const HOME_ADDRESS_MARKS = ['住', '户籍', '居住', '家庭', '家', '邮寄', '户口'];

/**
 * Apply the context rules to a scan of the normalized text `t`. Returns the findings to redact
 * (sorted, non-overlapping), in normalized offsets.
 */
export function applyContext(t: string, scan: ScanResult): Finding[] {
  const clauses = new ClauseIndex(t);
  const allLines = lines(t);
  const tables = findTables(t, allLines);
  const fields: Field[] = [];
  for (const line of allLines) if (hasColon(t, line)) fields.push(...findFields(t, line));

  const findings: Finding[] = [];
  const contacts: Finding[] = [];
  for (const f of scan.findings) (f.type === 'landline' || f.type === 'email' ? contacts : findings).push(f);
  findings.push(...recordNumbers(t), ...vehicleIds(t), ...propertyCertificates(t));
  // Whether a line speaks of appointment or honour (拟任, 授予 …): asked only for lines with a birth date.
  const isPublicLine = (pos: number): boolean => {
    const line = allLines[lineIndexAt(allLines, pos)];
    return line !== undefined && hasPublicCapacity(t, line.start, line.end);
  };

  // Values under personal-data columns of private lists, and after personal-data labels.
  const weakAddresses: Finding[] = [];
  for (const table of tables) {
    if (!table.isPrivate) continue;
    for (const row of table.rows)
      for (const cell of row.cells) findings.push(...slotFindings(t, cell, cell.kind, cell.header));
  }
  for (const f of fields) {
    if (f.kind === 'address') {
      const compact = f.label.replace(/\s/g, '');
      const a = addressIn(t, f.value.start, f.value.end, '住址（地址栏）');
      if (a === null) continue;
      (HOME_ADDRESS_MARKS.some((m) => compact.includes(m)) ? findings : weakAddresses).push(a);
    } else if (f.kind === 'birth') {
      if (!isPublicLine(f.value.start)) findings.push(...slotFindings(t, f.value, f.kind, f.label));
    } else if (f.kind === 'number' || f.kind === 'vin' || f.kind === 'id') {
      findings.push(...slotFindings(t, f.value, f.kind, f.label));
    }
  }

  const neutral = scan.cues.filter((c) => c.kind === 'neutral');
  const privateCues = scan.cues.filter(
    (c) => c.kind === 'private' && !neutral.some((n) => n.start <= c.start && c.end <= n.end),
  );
  let addressEnd = 0;
  for (const cue of scan.cues) {
    if (cue.kind === 'address-strong' || cue.kind === 'address-weak') {
      // A cue inside the address just parsed (…居住区…) is part of it, not a new address.
      if (cue.start < addressEnd) continue;
      const a = parseAddress(t, cue.end);
      if (a === null) continue;
      addressEnd = Math.max(a.end, a.scanned);
      if (a.end === a.start || !isHouseLevel(t, a.start, a.end)) continue;
      const f: Finding = {
        type: 'home-address',
        start: a.start,
        end: a.end,
        confidence: cue.kind === 'address-strong' ? 0.9 : 0.7,
        reason: cue.kind === 'address-strong' ? '住址（附近有住址关键词）' : '地址（所在语句涉及个人）',
      };
      (cue.kind === 'address-strong' ? findings : weakAddresses).push(f);
    } else if (cue.kind === 'birth' || cue.kind === 'birth-suffix') {
      const b = parseBirth(t, cue);
      if (b !== null && !isPublicLine(b.start)) findings.push(b);
    }
  }

  // Accounts found only through a keyword (账号：…) stay when the account holder is an organisation.
  for (let k = findings.length - 1; k >= 0; k--) {
    const f = findings[k];
    if (f?.type === 'bank-card' && f.keywordOnly === true && isOrganisationAccount(t, f.start)) {
      findings.splice(k, 1);
    }
  }

  const anchors = findings.filter((f) => BINDING_TYPES.has(f.type)).sort((a, b) => a.start - b.start);
  const people = findPeople(t, { lines: allLines, tables, fields, anchors });
  const nameFindings = people.private.size > 0 ? mentions(t, people.private) : [];
  findings.push(...nameFindings);

  // Addresses after weak cues, landlines and e-mail addresses: decided by their clause.
  const evidence =
    weakAddresses.length + contacts.length === 0
      ? []
      : privateEvidencePoints([...findings, ...privateTableRows(tables), ...authorMasks(t)], privateCues);
  const isPrivateAt = (pos: number): boolean => contactIsPrivate(t, pos, evidence, clauses.at(pos));
  const result: Finding[] = [...findings];
  for (const a of weakAddresses) {
    if (isPrivateAt(a.start)) result.push(a);
  }
  for (const c of contacts) {
    const isPrivate = isPrivateAt(c.start);
    if (c.type === 'landline') {
      if (isPrivate) result.push({ ...c, reason: '个人固定电话（所在语句涉及个人）' });
      continue;
    }
    const domain = t.slice(t.indexOf('@', c.start) + 1, c.end).toLowerCase();
    if (ORG_MAIL_SUFFIXES.some((s) => domain.endsWith(s))) continue;
    if (isPrivate) result.push({ ...c, reason: '个人电子邮箱（所在语句涉及个人）' });
    else if (FREE_MAIL_DOMAINS.has(domain) && lastCueBefore(t, c.start, ORG_CUES_BY_CHAR) < 0) {
      result.push({ ...c, reason: '个人电子邮箱（免费邮箱，非机构）' });
    }
  }
  return resolveOverlaps(result);
}

function hasColon(t: string, line: Span): boolean {
  for (let k = line.start; k < line.end; k++) {
    const c = t.charCodeAt(k);
    if (c === 0xff1a || c === 58) return true;
  }
  return false;
}

function lineIndexAt(all: Span[], pos: number): number {
  let lo = 0;
  let hi = all.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((all[mid]?.start ?? 0) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Values the author already masked (身份证号6401***, 住所：竞秀区***) show that the record is about a
 * private person: the contact details next to them are that person's too.
 */
function authorMasks(t: string): Finding[] {
  const out: Finding[] = [];
  for (let k = t.indexOf('***'); k >= 0; k = t.indexOf('***', k + 3)) {
    out.push({ type: 'person-name', start: k, end: k + 3, confidence: 0, reason: '' });
    while (t[k + 3] === '*') k++;
  }
  return out;
}

/** Each row of a private list is evidence that the contact details in it are a private person's. */
function privateTableRows(tables: Table[]): Finding[] {
  const out: Finding[] = [];
  for (const table of tables) {
    if (!table.isPrivate || !table.kinds.some((k) => k === 'person' || k === 'subject')) continue;
    for (const row of table.rows) {
      out.push({
        type: 'person-name',
        start: row.span.start,
        end: row.span.start,
        confidence: 0,
        reason: '',
      });
    }
  }
  return out;
}

const NUMERAL = '0123456789一二三四五六七八九十百零〇';

/** Only a house-level address is personal data (村, 镇 or a street alone are places). */
function isHouseLevel(t: string, s: number, e: number): boolean {
  for (let k = s + 1; k < e; k++) {
    if (DETAIL_END[t.charCodeAt(k)] === 1 && NUMERAL.includes(t[k - 1] ?? '')) return true;
  }
  return false;
}

/** The address in `[s, e)`: from its start to its last house-level detail, or the whole value. */
function addressIn(t: string, s: number, e: number, reason: string): Finding | null {
  let start = s;
  while (start < e && ' \u3000：:'.includes(t[start] ?? '')) start++;
  if (e - start < 4) return null;
  if (!isHouseLevel(t, start, e)) return null;
  return { type: 'home-address', start, end: e, confidence: 0.85, reason };
}

const SLOT_KIND_NAMES: Record<string, string> = {
  vin: '车辆识别代号',
  account: '银行账号',
  id: '15位身份证号码',
};

/** Personal data in a table cell or field value, by the kind of its column or label. */
function slotFindings(t: string, slot: Span, kind: FieldKind, label: string): Finding[] {
  const compact = label.replace(/\s/g, '');
  let s = slot.start;
  let e = slot.end;
  while (s < e && ' \u3000：:'.includes(t[s] ?? '')) s++;
  while (e > s && ' \u3000'.includes(t[e - 1] ?? '')) e--;
  if (e <= s || isMasked(t, s, e)) return [];
  switch (kind) {
    case 'address': {
      const a = addressIn(t, s, e, '住址（名单的地址列）');
      return a === null ? [] : [a];
    }
    case 'birth': {
      const d = parseDate(t, s);
      return d === null || d.end > e ? [] : [{ ...birthFinding(d), reason: '出生日期（出生日期栏）' }];
    }
    case 'number':
    case 'vin':
    case 'id':
    case 'account': {
      const v = numberValue(t, s, e);
      if (v === null) return [];
      // A date in a number column is the wrapped rest of another column (入院日期), no identifier.
      const date = parseDate(t, v.start);
      if (date !== null && date.end >= v.end) return [];
      if (kind === 'id' && (v.digits < 15 || isValidUscc(t.slice(v.start, v.end)))) return [];
      if (kind === 'account' && v.digits < 12) return [];
      const type =
        kind === 'vin'
          ? 'vehicle-id'
          : kind === 'account'
            ? 'bank-card'
            : kind === 'id'
              ? 'resident-id-legacy'
              : 'record-number';
      // The reason names the kind of number, never the label as written (it could hold a name).
      const what = kind === 'number' ? (numberKind(compact) ?? '证件或档案编号') : SLOT_KIND_NAMES[kind];
      return [{ type, start: v.start, end: v.end, confidence: 0.85, reason: `${what}（所在栏）` }];
    }
    case 'phone': {
      const v = numberValue(t, s, e);
      return v === null || v.digits < 7
        ? []
        : [{ type: 'landline', start: v.start, end: v.end, confidence: 0.8, reason: '个人电话（个人名单）' }];
    }
    default:
      return [];
  }
}

/** Already masked by the author (640104********1234, 张某): nothing left to find. */
function isMasked(t: string, s: number, e: number): boolean {
  let stars = 0;
  for (let k = s; k < e; k++) if (t[k] === '*' || t[k] === '＊' || t[k] === '×') stars++;
  return stars >= 4;
}

/**
 * A record number at the start of `[s, e)`: letters, digits and the separators and brackets of
 * certificate numbers (宁(2024)银川市不动产权第0012345号 too), with at least four digits.
 */
function numberValue(t: string, s: number, e: number): { start: number; end: number; digits: number } | null {
  let digits = 0;
  let last = -1;
  for (let k = s; k < e && k - s < 48; k++) {
    const c = t.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      digits++;
      last = k;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) last = k;
    else if ('号第'.includes(t[k] ?? '') && digits > 0) last = k;
    else if (c === 0xff0c || c === 0x3002 || c === 0xff1b || c === 0x3001 || c === 9) break;
  }
  if (digits < 4 || last < 0) return null;
  return { start: s, end: last + 1, digits };
}

/**
 * Record numbers announced in running text without a colon (住院号2023181255, 优待证号65402…),
 * joined across a line break.
 */
function recordNumbers(t: string): Finding[] {
  const out: Finding[] = [];
  for (let k = t.indexOf('号'); k >= 0; k = t.indexOf('号', k + 1)) {
    // The label is read by the same classifier as column headers and field labels.
    const before = t.slice(Math.max(0, k - 7), k + 1);
    const isVin = before.endsWith('车架号') || before.endsWith('车辆识别代号');
    const kind = isVin ? '车辆识别代号' : numberKind(before);
    if (kind === undefined) continue;
    let s = k + 1;
    if (t[s] === '码') s++;
    while (s < t.length && s - k < 4 && ' \u3000：:为是\n'.includes(t[s] ?? '')) s++;
    let e = s;
    while (e < t.length && e - s < 40) {
      const c = t.charCodeAt(e);
      const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      if (alnum || ((c === 45 || c === 32 || c === 10) && e > s && isAlnumAt(t, e + 1))) e++;
      else break;
    }
    const v = numberValue(t, s, e);
    if (v === null) continue;
    const type = isVin ? 'vehicle-id' : 'record-number';
    out.push({
      type,
      start: v.start,
      end: v.end,
      confidence: 0.85,
      reason: `${kind}（编号关键词后）`,
    });
  }
  // 社会保障卡（卡号R85003393）: card numbers that start with a letter are no bank cards.
  for (let k = t.indexOf('卡号'); k >= 0; k = t.indexOf('卡号', k + 1)) {
    let s = k + 2;
    while (s < t.length && s - k < 5 && ' \u3000：:为是'.includes(t[s] ?? '')) s++;
    const c = t.charCodeAt(s);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) continue;
    const v = numberValue(t, s, Math.min(t.length, s + 24));
    if (v !== null)
      out.push({
        type: 'record-number',
        start: v.start,
        end: v.end,
        confidence: 0.8,
        reason: '社保卡号（“卡号”后）',
      });
  }

  return out;
}

function isAlnumAt(t: string, k: number): boolean {
  const c = t.charCodeAt(k);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const VIN_VALUES: Record<string, number> = {};
'0123456789'.split('').forEach((d, i) => {
  VIN_VALUES[d] = i;
});
const VIN_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const VIN_LETTER_VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9];
VIN_LETTERS.split('').forEach((l, i) => {
  VIN_VALUES[l] = VIN_LETTER_VALUES[i] ?? 0;
});
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** ISO 3779 check digit (position 9) of a 17-character VIN. */
export function isValidVin(vin: string): boolean {
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const v = VIN_VALUES[vin[k] ?? ''];
    if (v === undefined) return false;
    sum += v * (VIN_WEIGHTS[k] ?? 0);
  }
  const check = sum % 11;
  return vin[8] === (check === 10 ? 'X' : String(check));
}

/** Vehicle identification numbers anywhere: 17 characters with a valid check digit. */
function vehicleIds(t: string): Finding[] {
  const out: Finding[] = [];
  const re = /(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])/g;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    if (/[A-Z]/.test(m[0]) && isValidVin(m[0])) {
      out.push({
        type: 'vehicle-id',
        start: m.index,
        end: m.index + 17,
        confidence: 0.9,
        reason: '车辆识别代号（校验位有效）',
      });
    }
  }
  return out;
}

/**
 * Property certificate numbers name one owner's home: 宁（2024）银川市不动产权第0012345号 and the
 * older 蜀山房权证城字第2390418号, whatever label (or none) stands before them.
 */
function propertyCertificates(t: string): Finding[] {
  const out: Finding[] = [];
  // Anchored on the words every such number contains, so that ordinary text costs one indexOf.
  for (const anchor of ['不动产权第', '权证']) {
    for (let k = t.indexOf(anchor); k >= 0; k = t.indexOf(anchor, k + anchor.length)) {
      const from = Math.max(0, k - 24);
      const m = PROPERTY_CERTIFICATE.exec(t.slice(from, k + 24));
      if (m === null) continue;
      const start = from + m.index;
      if (out.some((f) => f.start === start)) continue;
      out.push({
        type: 'record-number',
        start,
        end: start + m[0].length,
        confidence: 0.9,
        reason: '不动产权证号（证书编号格式）',
      });
    }
  }
  return out;
}

const PROPERTY_CERTIFICATE =
  /[\u4e00-\u9fff][（(]\d{4}[）)][\u4e00-\u9fff]{1,10}不动产权第\d{4,10}号|[\u4e00-\u9fff]{1,6}(房权证|房产证|土地证|房地产权证)[\u4e00-\u9fff]{0,6}字?第\d{4,10}号/;

/** Every mention of the private names, in any spelling (spaced, wrapped across a line). */
function mentions(t: string, names: Map<string, PrivatePerson>): Finding[] {
  // Search a copy without whitespace, then map each hit back to the original positions.
  const positions = new Int32Array(t.length);
  const runs: string[] = [];
  let n = 0;
  let runStart = 0;
  for (let k = 0; k <= t.length; k++) {
    const c = k < t.length ? t.charCodeAt(k) : 32;
    if (c === 32 || c === 0x3000 || c === 10 || c === 13) {
      if (k > runStart) runs.push(t.slice(runStart, k));
      runStart = k + 1;
      continue;
    }
    positions[n++] = k;
  }
  const compact = runs.join('');
  const byFirst = new Map<string, string[]>();
  for (const name of names.keys()) {
    const list = byFirst.get(name[0] ?? '') ?? [];
    list.push(name);
    byFirst.set(name[0] ?? '', list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  const first = new Uint8Array(65536);
  for (const name of names.keys()) first[name.charCodeAt(0)] = 1;
  const out: Finding[] = [];
  for (let k = 0; k < compact.length; k++) {
    if (first[compact.charCodeAt(k)] !== 1) continue;
    const list = byFirst.get(compact[k] ?? '');
    if (list === undefined) continue;
    for (const name of list) {
      if (!compact.startsWith(name, k)) continue;
      const next = compact[k + name.length];
      if (next !== undefined && PSEUDONYM_MARKS.has(next)) break;
      const info = names.get(name) as PrivatePerson;
      const start = positions[k] ?? 0;
      const end = (positions[k + name.length - 1] ?? 0) + 1;
      const f: Finding = { type: 'person-name', start, end, confidence: 0.8, reason: info.reason };
      if (info.concerned) f.concerned = true;
      out.push(f);
      k += name.length - 1;
      break;
    }
  }
  return out;
}

/** Sorted positions after which the text is about a private person (ends of findings and cues). */
function privateEvidencePoints(findings: Finding[], privateCues: CueHit[]): number[] {
  const points: number[] = [];
  for (const f of findings) points.push(f.end);
  for (const c of privateCues) points.push(c.end);
  return points.sort((a, b) => a - b);
}

/** Index of the first point ≥ value. */
function lowerBound(points: number[], value: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface CueIndex {
  first: Uint8Array;
  byChar: Map<string, string[]>;
}

function indexByFirstChar(words: readonly string[]): CueIndex {
  const byChar = new Map<string, string[]>();
  const first = new Uint8Array(65536);
  for (const w of words) {
    const list = byChar.get(w[0] ?? '') ?? [];
    list.push(w);
    byChar.set(w[0] ?? '', list);
    first[w.charCodeAt(0)] = 1;
  }
  return { first, byChar };
}

const ORG_CUES_BY_CHAR = indexByFirstChar(ORG_CONTACT_CUES);
const PRIVATE_CONTACT_BY_CHAR = indexByFirstChar(PRIVATE_CONTACT_CUES);
const CONTACT_LOOKBACK = 40;

/** End position of the last cue word from `index` that ends before `pos` (within the clause and 40 characters), or -1. */
function lastCueBefore(t: string, pos: number, index: CueIndex): number {
  let from = pos;
  while (from > 0 && pos - from < CONTACT_LOOKBACK && TERMINATOR[t.charCodeAt(from - 1)] !== 1) from--;
  let best = -1;
  for (let k = from; k < pos; k++) {
    if (index.first[t.charCodeAt(k)] !== 1) continue;
    for (const w of index.byChar.get(t[k] ?? '') ?? []) {
      if (k + w.length <= pos && t.startsWith(w, k)) best = Math.max(best, k + w.length);
    }
  }
  return best;
}

/**
 * Does the contact detail at `pos` belong to a private person? Private evidence (a personal
 * identifier, a private name, a private cue or 家庭电话/本人 …) in the clause decides, unless an
 * organisational cue (办公电话, 咨询电话, 联系人 …) stands closer before the detail.
 */
function contactIsPrivate(
  t: string,
  pos: number,
  evidence: number[],
  clause: { start: number; end: number },
): boolean {
  let privateAt = -1;
  const i = lowerBound(evidence, pos + 1) - 1;
  const before = evidence[i];
  if (before !== undefined && before > clause.start) privateAt = before;
  else {
    const after = evidence[lowerBound(evidence, pos + 1)];
    if (after !== undefined && after <= clause.end) privateAt = clause.start;
  }
  privateAt = Math.max(privateAt, lastCueBefore(t, pos, PRIVATE_CONTACT_BY_CHAR));
  if (privateAt < 0) return false;
  return privateAt >= lastCueBefore(t, pos, ORG_CUES_BY_CHAR);
}

/** 户名：银川市财政局 … 账号：… — the clause names an organisation as the account holder. */
function isOrganisationAccount(t: string, pos: number): boolean {
  const from = Math.max(0, pos - 80);
  const before = t.slice(from, pos);
  const at = before.lastIndexOf('户名');
  if (at < 0) return /对公|非税|专户|财政|国库/.test(before);
  let k = at + 2;
  while (k < before.length && '：: '.includes(before[k] ?? '')) k++;
  let e = k;
  while (e < before.length && !'，,；;。\n（('.includes(before[e] ?? '')) e++;
  return UNIT_WORDS.endingAt(before, e) !== undefined || /财政|国库|非税|银行/.test(before.slice(k, e));
}

const PRIORITY: Record<string, number> = {
  'resident-id': 10,
  'bank-card': 9,
  'resident-id-legacy': 9,
  mobile: 9,
  passport: 8,
  'travel-permit': 8,
  email: 8,
  landline: 7,
  'im-account': 7,
  'licence-plate': 7,
  'home-address': 6,
  'birth-date': 5,
  'person-name': 4,
  'record-number': 8,
  'vehicle-id': 7,
};

/**
 * Sort and merge overlapping findings. Dropping one of two overlapping spans could leave part of a
 * value in the output, so overlapping spans become one span of the more important type.
 */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last === undefined || f.start >= last.end) {
      out.push(f);
      continue;
    }
    if (f.end <= last.end) continue;
    const lenF = f.end - f.start;
    const lenL = last.end - last.start;
    const keepF = lenF > lenL || (lenF === lenL && (PRIORITY[f.type] ?? 0) > (PRIORITY[last.type] ?? 0));
    const winner = keepF ? f : last;
    out[out.length - 1] = { ...winner, start: last.start, end: f.end };
  }
  return out;
}
