import { inflateRawSync } from 'node:zlib';
import { type Zippable, zipSync } from 'fflate';
import { CorruptDocumentError, UnsafeXmlError, ZipBombError } from './errors.js';
import type { IntakeLimits } from './limits.js';

/**
 * Below this many inflated bytes an entry's ratio is not judged: tiny XML parts compress far better
 * than 100× without being hostile (the same grace Apache POI's ZipSecureFile uses).
 */
const RATIO_GRACE_BYTES = 100 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/**
 * Checks a DOCX container before any DOCX parser sees it, and returns a rebuilt zip holding only
 * the XML parts that were inflated and checked.
 *
 * Why rebuild: the parser downstream (mammoth → JSZip) reads zips its own way; handing it only
 * what we verified removes any disagreement between our view of the archive and its view (duplicate
 * names, local headers that contradict the central directory, trailing data). Non-XML parts
 * (images, embedded objects, macros) are never inflated and never passed on: intake drops images
 * and ignores the rest anyway.
 *
 * @throws ZipBombError when the entry count, declared or actual inflated size, or ratio exceed the limits
 * @throws UnsafeXmlError when an XML part contains `<!DOCTYPE` or `<!ENTITY`
 * @throws CorruptDocumentError when the archive cannot be read
 */
export function inspectAndRebuildDocx(bytes: Uint8Array, limits: IntakeLimits): Uint8Array {
  const entries = readCentralDirectory(bytes, limits);
  const checked: Zippable = {};
  let inflatedSoFar = 0;
  for (const entry of entries) {
    if (!isXmlPart(entry.name)) continue;
    const data = inflateEntry(bytes, entry, limits, inflatedSoFar);
    inflatedSoFar += data.length;
    assertNoDoctype(data);
    // Stored, not re-compressed: the rebuilt archive lives only in memory for the next step.
    checked[entry.name] = [data, { level: 0 }];
  }
  return zipSync(checked);
}

function isXmlPart(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.xml') || lower.endsWith('.rels');
}

function readCentralDirectory(bytes: Uint8Array, limits: IntakeLimits): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(bytes, view);
  const declaredEntries = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  // Count first: it needs no parsing, so an archive of a million entries is refused in O(1).
  if (declaredEntries > limits.maxZipEntries) {
    throw new ZipBombError(`包含的内部文件过多，超过 ${limits.maxZipEntries} 个`);
  }
  if (declaredEntries === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
    throw new CorruptDocumentError('文件使用了 DOCX 不需要的 ZIP64 扩展结构');
  }
  if (directoryOffset + directorySize > eocd) {
    throw new CorruptDocumentError('文件的压缩目录已损坏');
  }

  const entries: CentralEntry[] = [];
  const names = new Set<string>();
  let declaredTotal = 0;
  let cursor = directoryOffset;
  const end = directoryOffset + directorySize;
  while (cursor < end) {
    if (entries.length >= limits.maxZipEntries) {
      throw new ZipBombError(`包含的内部文件过多，超过 ${limits.maxZipEntries} 个`);
    }
    if (cursor + 46 > end || view.getUint32(cursor, true) !== CENTRAL_SIGNATURE) {
      throw new CorruptDocumentError('文件的压缩目录已损坏');
    }
    const nameLength = view.getUint16(cursor + 28, true);
    const extraLength = view.getUint16(cursor + 30, true);
    const commentLength = view.getUint16(cursor + 32, true);
    const next = cursor + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw new CorruptDocumentError('文件的压缩目录已损坏');
    const entry: CentralEntry = {
      flags: view.getUint16(cursor + 8, true),
      method: view.getUint16(cursor + 10, true),
      compressedSize: view.getUint32(cursor + 20, true),
      uncompressedSize: view.getUint32(cursor + 24, true),
      localHeaderOffset: view.getUint32(cursor + 42, true),
      name: new TextDecoder('utf-8').decode(bytes.subarray(cursor + 46, cursor + 46 + nameLength)),
    };
    cursor = next;

    // 0xFFFFFFFF means "see ZIP64 extra field": at least 4 GiB, so it fails the size cap below.
    declaredTotal += entry.uncompressedSize;
    if (declaredTotal > limits.maxInflatedBytes) {
      throw new ZipBombError('声明的解压后总大小超过上限');
    }
    if (exceedsRatio(entry.uncompressedSize, entry.compressedSize, limits)) {
      throw new ZipBombError('内部文件的压缩比异常');
    }
    if (names.has(entry.name)) throw new CorruptDocumentError('文件内有重名的内部文件');
    names.add(entry.name);
    if ((entry.flags & 0x1) !== 0) throw new CorruptDocumentError('文件含有加密内容');
    if (entry.method !== 0 && entry.method !== 8) {
      throw new CorruptDocumentError('文件使用了不支持的压缩方式');
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw new CorruptDocumentError('文件的压缩目录已损坏');
    }
    entries.push(entry);
  }
  if (entries.length !== declaredEntries) throw new CorruptDocumentError('文件的压缩目录已损坏');
  return entries;
}

function findEndOfCentralDirectory(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - EOCD_MIN_LENGTH - MAX_COMMENT_LENGTH);
  for (let position = bytes.length - EOCD_MIN_LENGTH; position >= lowest; position--) {
    if (view.getUint32(position, true) === EOCD_SIGNATURE) return position;
  }
  throw new CorruptDocumentError('文件不是完整的 DOCX（压缩包结构缺失或被截断）');
}

function exceedsRatio(inflated: number, compressed: number, limits: IntakeLimits): boolean {
  return inflated > RATIO_GRACE_BYTES && inflated / Math.max(compressed, 1) > limits.maxInflateRatio;
}

function inflateEntry(
  bytes: Uint8Array,
  entry: CentralEntry,
  limits: IntakeLimits,
  inflatedSoFar: number,
): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
    throw new CorruptDocumentError('文件的内部结构已损坏');
  }
  const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > bytes.length) throw new CorruptDocumentError('文件不完整（可能上传时被截断）');
  const compressed = bytes.subarray(dataStart, dataEnd);
  if (entry.method === 0) return compressed.slice();

  // Native zlib with a hard output cap equal to the declared size: a header that understates the
  // size makes zlib stop at the cap (ERR_BUFFER_TOO_LARGE) instead of growing the buffer, so memory
  // stays within the declared total already checked against maxInflatedBytes.
  let inflated: Uint8Array;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ZipBombError('内部文件的实际大小超过其声明的大小', { cause: error });
    }
    throw new CorruptDocumentError('文件的内部数据已损坏', { cause: error });
  }
  if (inflated.length !== entry.uncompressedSize) throw new CorruptDocumentError('文件的内部数据已损坏');
  if (inflatedSoFar + inflated.length > limits.maxInflatedBytes)
    throw new ZipBombError('解压后总大小超过上限');
  return inflated;
}

const DOCTYPE_OR_ENTITY = /<!\s*(?:doctype|entity)/i;

/**
 * Office never writes a DOCTYPE, so any DOCTYPE or entity declaration is refused outright rather
 * than trusting the XML parser's entity settings. UTF-16 parts are scanned in both byte orders,
 * because a byte scan alone would miss `<\0!\0D\0…`.
 */
function assertNoDoctype(data: Uint8Array): void {
  const asBytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (DOCTYPE_OR_ENTITY.test(asBytes.toString('latin1'))) throw new UnsafeXmlError();
  if (asBytes.includes(0)) {
    const even = data.byteLength - (data.byteLength % 2);
    const slice = data.subarray(0, even);
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      if (DOCTYPE_OR_ENTITY.test(new TextDecoder(encoding).decode(slice))) throw new UnsafeXmlError();
    }
  }
}
