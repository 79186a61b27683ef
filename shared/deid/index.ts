/**
 * gongkai's de-identification (去标识化) engine. See /shared/design/DEID.md for the rules.
 *
 * - `detect` finds personal information (type, span, confidence, reason; never the value);
 * - `deidentifyText` / `deidentifyHtml` apply the policy (transform per type, exemptions,
 *   删减后公开 ranges) and report masked previews only.
 */
export { detect } from './detect.js';
export { InvalidExemptionError, InvalidRemovalRangeError } from './errors.js';
export { deidentifyHtml } from './html.js';
export { type Normalized, normalize } from './normalize.js';
export { deidentifyText, parseExemption } from './policy.js';
export {
  type Detection,
  type Exemption,
  PII_TYPES,
  type PiiType,
  type RedactionItem,
  type RedactionPolicy,
  type RedactionReport,
  type Removal,
} from './types.js';
