/**
 * The policy layer: given detections, decide what happens to each (transform per type,
 * exemptions, 删减后公开 ranges) and build the report. It never keeps a raw value: every preview
 * is computed from the masked replacement.
 */
import { detect } from './detect.js';
import { InvalidExemptionError, InvalidRemovalRangeError } from './errors.js';
import { COMPOUND_SURNAMES } from './lexicon.js';
import { normalizeValue } from './normalize.js';
import type {
  Detection,
  Exemption,
  PiiType,
  RedactionItem,
  RedactionPolicy,
  RedactionReport,
  Removal,
} from './types.js';
import { areaCodeLength } from './validators.js';

const EXEMPTION_NAMES: Record<string, Exemption> = {
  惩戒公示: 'punishment-publicity',
  'punishment-publicity': 'punishment-publicity',
  强制性信息披露: 'mandatory-disclosure',
  'mandatory-disclosure': 'mandatory-disclosure',
};

/**
 * Read an exemption as the drafter or the CLI writes it: 惩戒公示 / punishment-publicity or
 * 强制性信息披露 / mandatory-disclosure. Throws InvalidExemptionError (listing the accepted values)
 * for anything else.
 */
export function parseExemption(input: string): Exemption {
  const exemption = EXEMPTION_NAMES[input.trim()];
  if (exemption === undefined) throw new InvalidExemptionError();
  return exemption;
}

/**
 * An exemption keeps the names of the persons the publicity is about (当事人, 被执行人 …), nothing
 * else: informants, witnesses, relatives and every identifier are still removed (DEID.md).
 */
function keptByExemption(d: Detection): boolean {
  return d.type === 'person-name' && d.concerned === true;
}

/** One planned change to the text. */
export interface Edit {
  start: number;
  end: number;
  replacement: string;
  item: RedactionItem;
}

interface Transformed {
  replacement: string;
  preview: string;
  transform: string;
}

const stars = (n: number): string => '*'.repeat(Math.max(0, n));

function digitsOf(s: string): string {
  let out = '';
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) out += s[k];
  }
  return out;
}

/** District-level prefix of an address (宁夏回族自治区银川市兴庆区…  → 宁夏回族自治区银川市兴庆区). */
export function districtPrefix(address: string): string {
  const limit = Math.min(address.length, 24);
  for (let k = 1; k < limit; k++) {
    const ch = address[k] ?? '';
    if (!'区县旗'.includes(ch)) continue;
    // 小区, 社区, 园区, 自治区, 地区 … are not county-level districts.
    if ('小社园校景街厂矿住营治地片辖城'.includes(address[k - 1] ?? '')) continue;
    return address.slice(0, k + 1);
  }
  let last = -1;
  for (let k = 1; k < Math.min(address.length, 14); k++) if ('市州盟'.includes(address[k] ?? '')) last = k;
  return last >= 0 ? address.slice(0, last + 1) : '';
}

/** The masked replacement for a detected value. */
export function transformValue(type: PiiType, value: string): Transformed | null {
  const v = normalizeValue(value);
  switch (type) {
    case 'resident-id': {
      const id = v.toUpperCase();
      const masked = id.slice(0, 6) + stars(id.length - 6);
      return { replacement: masked, preview: masked, transform: 'keep-region' };
    }
    case 'resident-id-legacy':
      return { replacement: stars(v.length), preview: stars(v.length), transform: 'mask' };
    case 'mobile': {
      const d = digitsOf(v);
      const m = d.slice(-11);
      const masked = `${d.length > 11 ? '+86 ' : ''}${m.slice(0, 3)}****${m.slice(7)}`;
      return { replacement: masked, preview: masked, transform: 'keep-first-3-last-4' };
    }
    case 'landline': {
      const d = digitsOf(v);
      const codes = Array.from(d, (c) => c.charCodeAt(0));
      const area = areaCodeLength(codes, 0);
      const masked =
        area > 0 && d.length >= 10 ? `${d.slice(0, area)}-${stars(d.length - area)}` : stars(d.length);
      return { replacement: masked, preview: masked, transform: 'keep-area-code' };
    }
    case 'email': {
      const at = v.indexOf('@');
      const masked = `${v.slice(0, 1)}***${v.slice(at)}`;
      return { replacement: masked, preview: masked, transform: 'mask-local-part' };
    }
    case 'bank-card': {
      const d = digitsOf(v);
      const masked = d.slice(0, 4) + stars(d.length - 8) + d.slice(-4);
      return { replacement: masked, preview: masked, transform: 'keep-first-4-last-4' };
    }
    case 'passport':
    case 'travel-permit':
    case 'im-account': {
      const compact = v.replace(/[\s\-·]/g, '');
      const masked = compact.slice(0, 1) + stars(compact.length - 1);
      return { replacement: masked, preview: masked, transform: 'mask' };
    }
    case 'licence-plate': {
      const compact = v.replace(/[\s\-·•・]/g, '');
      const masked = compact.slice(0, 2) + stars(compact.length - 2);
      return { replacement: masked, preview: masked, transform: 'keep-province-letter' };
    }
    case 'home-address': {
      const prefix = districtPrefix(v);
      if (prefix.length >= v.length) return null;
      const masked = `${prefix}***`;
      return { replacement: masked, preview: masked, transform: 'generalize-district' };
    }
    case 'person-name': {
      const surname = COMPOUND_SURNAMES.has(v.slice(0, 2)) && v.length > 2 ? v.slice(0, 2) : v.slice(0, 1);
      return {
        replacement: `${surname}某`,
        preview: surname + stars(v.length - surname.length),
        transform: 'surname-mou',
      };
    }
    case 'record-number':
    case 'vehicle-id': {
      const compact = v.replace(/\s/g, '');
      const masked = stars(compact.length);
      return { replacement: masked, preview: masked, transform: 'mask' };
    }
    case 'birth-date': {
      let seen = 0;
      let masked = '';
      for (const ch of v) {
        if (ch >= '0' && ch <= '9') {
          seen++;
          masked += seen <= 4 ? ch : '*';
        } else masked += ch;
      }
      return { replacement: masked, preview: masked, transform: 'keep-year' };
    }
  }
}

function validateRemovals(removals: Removal[], length: number): Removal[] {
  const out: Removal[] = [];
  for (const r of removals) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.end))
      throw new InvalidRemovalRangeError('起止位置必须是整数');
    if (r.start < 0 || r.end > length || r.start >= r.end) {
      throw new InvalidRemovalRangeError(`范围须在 0 到 ${length} 之间且起点小于终点`);
    }
    out.push({ start: r.start, end: r.end, reason: String(r.reason ?? '').trim() });
  }
  out.sort((a, b) => a.start - b.start);
  // Overlapping ranges become one; their reasons are kept side by side.
  const merged: Removal[] = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r.start < last.end) {
      last.end = Math.max(last.end, r.end);
      if (r.reason !== '' && !last.reason.split('；').includes(r.reason)) {
        last.reason = last.reason === '' ? r.reason : `${last.reason}；${r.reason}`;
      }
    } else merged.push({ ...r });
  }
  return merged;
}

/** The marker that replaces a 删减后公开 range. */
export function removalMarker(reason: string): string {
  return reason === '' ? '〔此处删减〕' : `〔此处删减：${reason}〕`;
}

/**
 * Decide the edits for `text` given its detections and the policy: exemptions keep names;
 * removals replace their range (and swallow any detection they overlap, growing to cover it so
 * that no part of a value is left next to the marker).
 */
export function planEdits(text: string, detections: Detection[], policy: RedactionPolicy = {}): Edit[] {
  const removals = validateRemovals(policy.removals ?? [], text.length);
  const kept = policy.exemption === undefined ? detections : detections.filter((d) => !keptByExemption(d));
  const edits: Edit[] = [];
  let ri = 0;
  const pendingRemovals = removals.map((r) => ({ ...r }));
  for (const d of kept) {
    const overlapping =
      pendingRemovals.length === 0
        ? undefined
        : pendingRemovals.find((r) => r.start < d.end && d.start < r.end);
    if (overlapping !== undefined) {
      overlapping.start = Math.min(overlapping.start, d.start);
      overlapping.end = Math.max(overlapping.end, d.end);
      continue;
    }
    const t = transformValue(d.type, text.slice(d.start, d.end));
    if (t === null) continue;
    edits.push({
      start: d.start,
      end: d.end,
      replacement: t.replacement,
      item: {
        type: d.type,
        start: d.start,
        end: d.end,
        preview: t.preview,
        reason: d.reason,
        transform: t.transform,
      },
    });
  }
  for (; ri < pendingRemovals.length; ri++) {
    const r = pendingRemovals[ri];
    if (r === undefined) continue;
    const marker = removalMarker(r.reason);
    edits.push({
      start: r.start,
      end: r.end,
      replacement: marker,
      item: {
        type: 'removal',
        start: r.start,
        end: r.end,
        preview: `〔已删减${r.end - r.start}字〕`,
        reason: r.reason === '' ? '删减后公开' : r.reason,
        transform: 'remove',
      },
    });
  }
  if (pendingRemovals.length > 0) edits.sort((a, b) => a.start - b.start);
  // A removal that grew may now overlap a later detection: the removal wins.
  const out: Edit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last !== undefined && e.start < last.end) {
      if (e.item.type === 'removal' && last.item.type !== 'removal') {
        e.start = Math.min(e.start, last.start);
        e.item.start = e.start;
        out[out.length - 1] = e;
      } else if (last.item.type === 'removal') {
        last.end = Math.max(last.end, e.end);
        last.item.end = last.end;
      }
      continue;
    }
    out.push(e);
  }
  return out;
}

/** Count and list the edits. */
export function buildReport(edits: Edit[]): RedactionReport {
  const counts: Partial<Record<PiiType | 'removal', number>> = {};
  for (const e of edits) counts[e.item.type] = (counts[e.item.type] ?? 0) + 1;
  return { total: edits.length, counts, items: edits.map((e) => e.item) };
}

/** Apply non-overlapping, sorted edits to a string. */
export function applyEdits(text: string, edits: Edit[]): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const e of edits) {
    parts.push(text.slice(cursor, e.start), e.replacement);
    // A value wrapped across lines keeps its line breaks, so that no other line moves or merges.
    for (let k = e.start; k < e.end; k++) if (text.charCodeAt(k) === 10) parts.push('\n');
    cursor = e.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/**
 * De-identify plain text: detect, apply the policy, and report what changed (masked previews
 * only). Offsets in the report refer to the input text.
 */
export function deidentifyText(
  text: string,
  policy: RedactionPolicy = {},
): { text: string; report: RedactionReport } {
  const edits = planEdits(text, detect(text), policy);
  if (edits.length === 0) return { text, report: { total: 0, counts: {}, items: [] } };
  return { text: applyEdits(text, edits), report: buildReport(edits) };
}
