/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Shown as they
 * are, `report` + U+202E + `xcod.txt` reads as `reporttxt.docx`: a text file passing for a DOCX
 * ("Trojan Source" spoofing of file names and comments).
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces every bidirectional control with U+FFFD, for text shown to people (pages, mails, their
 * subjects): the value then reads in its true order, and the reader sees that something was there.
 */
export function neutralizeBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, '\ufffd');
}

/**
 * Escapes a value for HTML text and double-quoted attributes, and neutralizes its bidirectional
 * controls. Every value put into a page or mail goes through it.
 */
export function escapeHtml(value: unknown): string {
  return neutralizeBidiControls(String(value ?? ''))
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * A tagged template that escapes every interpolated value unless it is {@link SafeHtml}
 * (the result of another `html` template or of {@link trustedHtml}). Arrays are joined.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks HTML that is already safe: sanitized document HTML from the intake, or a rendered fragment. */
export function trustedHtml(value: string): SafeHtml {
  return new SafeHtml(value);
}
