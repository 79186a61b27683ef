/**
 * The record structure of a text: lines, table rows split into cells and aligned to their header,
 * and key-value pairs (`当 事 人：张三`, `送达地址：…`). Government lists arrive as tab-, pipe- or
 * space-aligned tables (or as HTML tables, which intake turns into tab-separated rows); a value is
 * judged by the column or label it sits under, not by the words around it.
 */
import { classifyLabel, type FieldKind } from './fields.js';

export interface Span {
  start: number;
  end: number;
}

/** One cell of a table row, with the kind of its column. */
export interface Cell extends Span {
  kind: FieldKind;
  header: string;
}

/** A table: its header's kinds and its rows (each row's cells aligned to the header). */
export interface Table {
  /** Offset of the header line. */
  headerStart: number;
  kinds: FieldKind[];
  headers: string[];
  /** Whether the table lists private persons (it has a column of personal data, or no public column). */
  isPrivate: boolean;
  rows: { span: Span; cells: Cell[] }[];
}

/** A `label：value` pair on one line. */
export interface Field {
  label: string;
  kind: FieldKind;
  labelStart: number;
  value: Span;
}

const CELL_SEPARATOR = new Uint8Array(65536);
for (const ch of '\t|\u3000 ') CELL_SEPARATOR[ch.charCodeAt(0)] = 1;

/** Lines of `t` as spans (without the line break). */
export function lines(t: string): Span[] {
  const out: Span[] = [];
  let s = 0;
  while (s <= t.length) {
    let e = t.indexOf('\n', s);
    if (e < 0) e = t.length;
    out.push({ start: s, end: e > s && t.charCodeAt(e - 1) === 13 ? e - 1 : e });
    s = e + 1;
  }
  return out;
}

/**
 * How a table separates its cells: tabs or pipes (HTML and Markdown tables arrive tab-separated),
 * runs of two or more spaces (space-aligned text), or single spaces. A row is split the way its
 * header is, so that a cell may hold a space (`6222 0220 7834`) when the columns are wider apart.
 */
export type CellSeparator = 'tab' | 'wide' | 'space';

export function separatorOf(t: string, line: Span): CellSeparator {
  let spaces = 0;
  for (let k = line.start; k < line.end; k++) {
    const c = t.charCodeAt(k);
    if (c === 9 || c === 124) return 'tab';
    if (c === 32) spaces++;
    else spaces = 0;
    if (spaces >= 2 || c === 0x3000) return 'wide';
  }
  return 'space';
}

function isSeparatorAt(t: string, k: number, end: number, mode: CellSeparator): boolean {
  const c = t.charCodeAt(k);
  if (c === 9 || c === 124) return true;
  if (mode === 'tab') return false;
  if (mode === 'space') return CELL_SEPARATOR[c] === 1;
  // Wide: an ideographic space, or a space next to another space.
  if (c === 0x3000) return true;
  return c === 32 && ((k + 1 < end && t.charCodeAt(k + 1) === 32) || (k > 0 && t.charCodeAt(k - 1) === 32));
}

/** Cells of a line, split as `mode` says. */
export function splitCells(t: string, line: Span, mode: CellSeparator = 'space'): Span[] {
  const out: Span[] = [];
  let k = line.start;
  while (k < line.end) {
    while (k < line.end && (isSeparatorAt(t, k, line.end, mode) || t.charCodeAt(k) === 32)) k++;
    if (k >= line.end) break;
    const c = k;
    while (k < line.end && !isSeparatorAt(t, k, line.end, mode)) k++;
    let e = k;
    while (e > c && t.charCodeAt(e - 1) === 32) e--;
    out.push({ start: c, end: e });
  }
  return out;
}

function hasSeparator(t: string, line: Span): boolean {
  for (let k = line.start; k < line.end; k++) if (CELL_SEPARATOR[t.charCodeAt(k)] === 1) return true;
  return false;
}

const SENTENCE_PUNCTUATION = /[。，；！？、]/;

/** A header: three or more short label cells without digits, at least one of a known kind. */
function readHeader(
  t: string,
  line: Span,
  minCells = 3,
): { cells: Span[]; kinds: FieldKind[]; mode: CellSeparator } | null {
  if (line.end - line.start > 240 || (minCells > 1 && !hasSeparator(t, line))) return null;
  const mode = separatorOf(t, line);
  const cells = splitCells(t, line, mode);
  if (cells.length < minCells) return null;
  const kinds: FieldKind[] = [];
  let known = 0;
  // Every cell must be a short label before any is classified: most lines fail here.
  for (const c of cells) {
    if (c.end - c.start > 16) return null;
    const text = t.slice(c.start, c.end);
    if (/[0-9]/.test(text) || SENTENCE_PUNCTUATION.test(text)) return null;
  }
  for (const c of cells) {
    const text = t.slice(c.start, c.end);
    const kind = classifyLabel(text);
    if (kind !== 'other') known++;
    kinds.push(kind);
  }
  if (minCells === 1) return { cells, kinds, mode };
  return known >= 1 && (kinds.includes('person') || kinds.includes('subject') || known >= 2)
    ? { cells, kinds, mode }
    : null;
}

/**
 * Align a row's cells to the header. Extra cells come from names padded with a space (`张　倩`):
 * adjacent one-character cells are joined. Missing cells (an empty column) align the first two
 * cells to the left and the rest to the right.
 */
function alignRow(t: string, cells: Span[], width: number): (Span | undefined)[] {
  const row = [...cells];
  while (row.length > width) {
    let merged = false;
    for (let k = 0; k + 1 < row.length; k++) {
      const a = row[k] as Span;
      const b = row[k + 1] as Span;
      if (
        a.end - a.start === 1 &&
        b.end - b.start <= 2 &&
        isCjk(t.charCodeAt(a.start)) &&
        isCjk(t.charCodeAt(b.start))
      ) {
        row.splice(k, 2, { start: a.start, end: b.end });
        merged = true;
        break;
      }
    }
    if (!merged) break;
  }
  if (row.length === width) return row;
  const out: (Span | undefined)[] = new Array(width).fill(undefined);
  if (row.length > width) {
    for (let k = 0; k < width; k++) out[k] = row[k];
    return out;
  }
  const left = Math.min(2, row.length);
  for (let k = 0; k < left; k++) out[k] = row[k];
  for (let k = row.length - 1, w = width - 1; k >= left && w >= left; k--, w--) out[w] = row[k];
  return out;
}

export function isCjk(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/** Columns that make a list private whatever else it shows (a nominee's birth month is published). */
const PRIVATE_COLUMNS: ReadonlySet<FieldKind> = new Set([
  'address',
  'id',
  'number',
  'vin',
  'account',
  'phone',
]);

/** Find the tables of a text. */
export function findTables(t: string, all: Span[]): Table[] {
  const tables: Table[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as Span;
    const header = readHeader(t, line);
    if (header === null) continue;
    const width = header.cells.length;
    const table: Table = {
      headerStart: line.start,
      kinds: header.kinds,
      headers: header.cells.map((c) => t.slice(c.start, c.end)),
      isPrivate: false,
      rows: [],
    };
    let j = i + 1;
    // A header cut by the wrap of PDF-extracted text continues on the next lines (处\n罚依据).
    // Such a tail has fewer cells than the header, so that a first row of words is not taken for it.
    while (j < all.length && j - i <= 3) {
      const tail = readHeader(t, all[j] as Span, 1);
      if (tail === null || tail.cells.length >= width) break;
      j++;
    }
    let short = 0;
    for (; j < all.length; j++) {
      const row = all[j] as Span;
      if (row.end === row.start) {
        // Blank lines inside a Markdown or HTML table are rare; one ends the table.
        break;
      }
      if (/^[|:\- ]+$/.test(t.slice(row.start, row.end))) continue;
      // A row split like its header; a single-spaced row under a wider header is split at every space.
      let cells = splitCells(t, row, header.mode);
      if (cells.length < width && header.mode !== 'space') cells = splitCells(t, row, 'space');
      if (readHeader(t, row) !== null || cells.length > width + 3) break;
      if (cells.length < Math.max(2, Math.ceil(width / 2))) {
        // The wrapped rest of the row before (…《\n中华人民共和国…》): skipped, up to two lines.
        if (++short > 2 || table.rows.length === 0) break;
        continue;
      }
      short = 0;
      const aligned = alignRow(t, cells, width);
      table.rows.push({
        span: row,
        cells: aligned.flatMap((c, k) =>
          c === undefined ? [] : [{ ...c, kind: header.kinds[k] ?? 'other', header: table.headers[k] ?? '' }],
        ),
      });
    }
    const privateColumn = header.kinds.some((k) => PRIVATE_COLUMNS.has(k));
    const publicColumn = header.kinds.includes('public');
    table.isPrivate = privateColumn || !publicColumn;
    if (table.rows.length > 0) tables.push(table);
    i = j - 1;
  }
  return tables;
}

const FIELD_BREAK = new Uint8Array(65536);
for (const ch of '，,；;。！？!?\t|（(）)【】[]') FIELD_BREAK[ch.charCodeAt(0)] = 1;
const VALUE_END = new Uint8Array(65536);
for (const ch of '，,；;。！？!?\t|）)】]') VALUE_END[ch.charCodeAt(0)] = 1;

/**
 * Key-value pairs on a line: a label of up to 12 characters (spaces inside allowed) before a colon,
 * the value up to the next clause break.
 */
export function findFields(t: string, line: Span): Field[] {
  const out: Field[] = [];
  for (let k = line.start; k < line.end; k++) {
    const c = t.charCodeAt(k);
    if (c !== 0xff1a && c !== 58) continue;
    let s = k;
    let chars = 0;
    while (
      s > line.start &&
      chars < 12 &&
      FIELD_BREAK[t.charCodeAt(s - 1)] !== 1 &&
      t.charCodeAt(s - 1) !== 0xff1a
    ) {
      s--;
      if (t.charCodeAt(s) !== 32 && t.charCodeAt(s) !== 0x3000) chars++;
    }
    while (s < k && (t.charCodeAt(s) === 32 || t.charCodeAt(s) === 0x3000)) s++;
    if (s === k) continue;
    const label = t.slice(s, k);
    let v = k + 1;
    while (v < line.end && (t.charCodeAt(v) === 32 || t.charCodeAt(v) === 0x3000)) v++;
    let e = v;
    while (e < line.end && VALUE_END[t.charCodeAt(e)] !== 1) {
      // A second label on the same line (姓名：张三 性别：男) ends this value.
      if (e > v && (t.charCodeAt(e) === 32 || t.charCodeAt(e) === 0x3000) && nextIsLabel(t, e, line.end))
        break;
      e++;
    }
    const kind = classifyLabel(label);
    out.push({ label, kind, labelStart: s, value: { start: v, end: e } });
  }
  return out;
}

function nextIsLabel(t: string, at: number, end: number): boolean {
  let k = at;
  while (k < end && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 0x3000)) k++;
  for (let n = 0; n < 8 && k + n < end; n++) {
    const c = t.charCodeAt(k + n);
    if (c === 0xff1a || c === 58) return n > 0;
    if (!isCjk(c)) return false;
  }
  return false;
}

/** The number that opens an item of a list: 1. / 2、 / 3） / （三） / 四、 / 第五条. */
const ITEM_MARKER = String.raw`(\d{1,3}[.．、)）]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百\d]+[条章节])`;
const MARKER_AT = new RegExp(`^\\s*${ITEM_MARKER}\\s*`);
const MARKER_BEFORE = new RegExp(`(^|\\n)\\s*${ITEM_MARKER}\\s*$`);

/** The length of the item marker (with the spaces around it) that starts at `p`, or 0. */
export function itemMarkerAt(t: string, p: number): number {
  return MARKER_AT.exec(t.slice(p, p + 10))?.[0].length ?? 0;
}

/** Does an item marker end right before `p` (1. 张三，… / （一）况滢：…)? */
export function opensItem(t: string, p: number): boolean {
  return MARKER_BEFORE.test(t.slice(Math.max(0, p - 10), p));
}
