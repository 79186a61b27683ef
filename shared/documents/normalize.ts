import { escapeText } from './sanitize.js';

const TITLE_MAX_CHARACTERS = 200;

/**
 * Normalises extracted text: CRLF/CR → LF, no trailing spaces, at most two blank lines in a row,
 * no leading/trailing blank lines, no BOM, and no control characters other than tab and LF
 * (they have no meaning in a published page and can hide content from reviewers).
 */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff]/g, '')
    .replace(/[ \t\u3000\u00a0]+$/gm, '')
    .replace(/\n{4,}/g, '\n\n\n')
    .replace(/^\n+|\n+$/g, '');
}

/** First non-empty line (or the given heading), whitespace-collapsed and cut to 200 characters. */
export function pickTitle(heading: string | null, text: string): string | null {
  const candidate = heading ?? text.split('\n').find((line) => line.trim() !== '') ?? null;
  if (candidate === null) return null;
  const collapsed = candidate.replace(/\s+/g, ' ').trim();
  if (collapsed === '') return null;
  return Array.from(collapsed).slice(0, TITLE_MAX_CHARACTERS).join('');
}

/** Plain text as HTML: one escaped `<p>` per non-empty line. */
export function textToHtml(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `<p>${escapeText(line)}</p>`)
    .join('\n');
}
