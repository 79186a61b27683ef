import iconv from 'iconv-lite';
import { BinaryContentError, UndecodableTextError } from './errors.js';
import { sniffMagic } from './format.js';

/** The encoding a text upload was read with. */
export type TextEncoding = 'utf-8' | 'gb18030';

/** Decoded text and the encoding it was found in (null for UTF-16 with a BOM). */
export interface DecodedText {
  text: string;
  encoding: TextEncoding | null;
}

/** Share of C0 control bytes (other than tab, LF, CR, FF, VT, ESC) above which a file is binary. */
const MAX_CONTROL_SHARE = 0.01;
/** A few stray control bytes are tolerated in real text exported from old systems. */
const CONTROL_ALLOWANCE = 4;

/**
 * Decodes an uploaded text file: UTF-16 when it carries a BOM, strict UTF-8 (with or without BOM),
 * else GB18030 (a superset of GBK/GB2312). Never returns U+FFFD: undecodable input is refused.
 *
 * @throws BinaryContentError for known binary signatures, NUL bytes or many control bytes
 * @throws UndecodableTextError when the bytes are none of the accepted encodings
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (sniffMagic(bytes) !== null) throw new BinaryContentError();

  const utf16 = utf16Encoding(bytes);
  if (utf16) {
    const text = decodeStrict(utf16, bytes.subarray(2));
    if (text === null || text.includes('\uFFFD')) throw new UndecodableTextError();
    assertTextLike(text);
    return { text, encoding: null };
  }

  if (bytes.includes(0)) throw new BinaryContentError();
  assertFewControlBytes(bytes);

  const hasUtf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const utf8 = decodeStrict('utf-8', hasUtf8Bom ? bytes.subarray(3) : bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  // A UTF-8 BOM followed by invalid UTF-8 is damaged UTF-8, not GB18030 that happens to start so.
  if (hasUtf8Bom) throw new UndecodableTextError();

  const gb = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  // iconv-lite substitutes U+FFFD for invalid sequences; a substitution means "not GB18030".
  if (gb.includes('\uFFFD')) throw new UndecodableTextError();
  assertTextLike(gb);
  return { text: gb, encoding: 'gb18030' };
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function decodeStrict(encoding: string, bytes: Uint8Array): string | null {
  try {
    // ignoreBOM keeps a second BOM visible instead of silently eating it.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function isSuspiciousControl(code: number): boolean {
  // Tab, LF, VT, FF, CR and ESC occur in real-world text exports; the rest of C0 does not.
  return (
    code < 0x20 &&
    code !== 0x09 &&
    code !== 0x0a &&
    code !== 0x0b &&
    code !== 0x0c &&
    code !== 0x0d &&
    code !== 0x1b
  );
}

function assertFewControlBytes(bytes: Uint8Array): void {
  let controls = 0;
  const budget = Math.max(CONTROL_ALLOWANCE, bytes.length * MAX_CONTROL_SHARE);
  for (let index = 0; index < bytes.length; index++) {
    if (isSuspiciousControl(bytes[index] ?? 0) && ++controls > budget) throw new BinaryContentError();
  }
}

/**
 * Checks decoded text looks like text: few controls (C0 or C1) and not mostly private-use
 * characters, which is what random bytes become when read as GB18030 or UTF-16.
 */
function assertTextLike(text: string): void {
  let suspicious = 0;
  let total = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    total++;
    if (
      code === 0 ||
      isSuspiciousControl(code) ||
      (code >= 0x80 && code <= 0x9f) ||
      (code >= 0xe000 && code <= 0xf8ff) ||
      code >= 0xf0000
    ) {
      suspicious++;
    }
  }
  if (suspicious > Math.max(CONTROL_ALLOWANCE, total * MAX_CONTROL_SHARE)) {
    if (text.includes('\u0000')) throw new BinaryContentError();
    throw new UndecodableTextError();
  }
}
