import { UnsafeNameError } from './errors.js';

/** A bundle id is a ULID (Crockford base 32, 26 characters, first one 0–7), nothing else. */
const BUNDLE_ID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/**
 * A file name the mirror accepts: ASCII letters, digits, `-` and `_`, one extension. So no `/`, no
 * `\`, no `..`, no leading dot, no control, bidi, zero-width or look-alike characters. Stricter
 * than any file system needs, looser than today's generated names (`policy.html`,
 * `interpretation-2.txt`) so a minor format version can add kinds of files.
 */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.[a-z0-9]{1,10}$/;

/** Names the mirror writes itself inside a bundle folder, and names Windows reserves. */
const RESERVED = /^(?:manifest\.json|status\.json|(?:con|prn|aux|nul|com\d|lpt\d)\..*)$/i;

/** The bundle id, if it is safe to use as a folder name. @throws UnsafeNameError */
export function safeBundleId(value: unknown): string {
  if (typeof value !== 'string' || !BUNDLE_ID.test(value))
    throw new UnsafeNameError('bundle id', String(value));
  return value;
}

/** The file name, if it is safe to use inside a bundle folder. @throws UnsafeNameError */
export function safeFileName(value: unknown): string {
  if (typeof value !== 'string' || !FILE_NAME.test(value) || RESERVED.test(value)) {
    throw new UnsafeNameError('file name', String(value));
  }
  return value;
}

/**
 * Checks every name of a bundle's file list: each one safe, and no two the same when case is
 * ignored (they would overwrite each other on a case-insensitive file system).
 * @throws UnsafeNameError
 */
export function safeFileNames(names: readonly unknown[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    const safe = safeFileName(name);
    const folded = safe.toLowerCase();
    if (seen.has(folded)) throw new UnsafeNameError('file name', safe);
    seen.add(folded);
    return safe;
  });
}
