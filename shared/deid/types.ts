/** Kinds of personal information the engine finds. */
export type PiiType =
  | 'resident-id'
  | 'resident-id-legacy'
  | 'mobile'
  | 'landline'
  | 'email'
  | 'bank-card'
  | 'passport'
  | 'travel-permit'
  | 'licence-plate'
  | 'home-address'
  | 'person-name'
  | 'birth-date'
  | 'im-account'
  | 'record-number'
  | 'vehicle-id';

/** Every PII type, in reporting order. */
export const PII_TYPES: readonly PiiType[] = [
  'resident-id',
  'resident-id-legacy',
  'mobile',
  'landline',
  'email',
  'bank-card',
  'passport',
  'travel-permit',
  'licence-plate',
  'home-address',
  'person-name',
  'birth-date',
  'im-account',
  'record-number',
  'vehicle-id',
];

/**
 * One piece of personal information found in a text. Offsets index the ORIGINAL text
 * (`text.slice(start, end)` is the whole value as written, evasions included); the value itself
 * is never stored.
 */
export interface Detection {
  type: PiiType;
  start: number;
  end: number;
  /** 0 … 1: how sure the detector is (validated checksums near 1, context-only rules lower). */
  confidence: number;
  /** Why it was found, in Chinese, without quoting the value. */
  reason: string;
  /** A name of the person a punishment publicity is about (当事人, 被执行人 …): kept under an exemption. */
  concerned?: boolean;
}

/** Exemptions from de-identification declared for a document (惩戒公示 | 强制性信息披露). */
export type Exemption = 'punishment-publicity' | 'mandatory-disclosure';

/** A range the drafter removes before publication (删减后公开), with the reason shown in its place. */
export interface Removal {
  start: number;
  end: number;
  reason: string;
}

/** What to do with a document besides the default de-identification. */
export interface RedactionPolicy {
  exemption?: Exemption;
  removals?: Removal[];
}

/** One change made to the text, as reported to the reviewer. Never holds the raw value. */
export interface RedactionItem {
  type: PiiType | 'removal';
  start: number;
  end: number;
  /** Masked form, e.g. `640104************` or `王*`. */
  preview: string;
  reason: string;
  /** Name of the transform applied (`keep-region`, `surname-mou`, `generalize-district`, …). */
  transform: string;
}

/** Summary of everything that was removed or masked. */
export interface RedactionReport {
  total: number;
  counts: Partial<Record<PiiType | 'removal', number>>;
  items: RedactionItem[];
}
