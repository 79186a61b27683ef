import { detect } from '../deid/detect.js';
import type { Detection, PiiType } from '../deid/types.js';
import type { PrivacyExemption } from '../domain/index.js';

/**
 * The publish policy Verify re-scans published text against: what may never be in a published file.
 *
 * - Every kind the detector knows counts, from `MIN_CONFIDENCE` up (the detector's own thresholds
 *   already keep officials in role, pseudonyms and look-alikes out).
 * - 惩戒公示 / 强制性信息披露: the names of the persons concerned are allowed; identifiers, phones,
 *   bank cards, addresses and birth dates are not (DEID.md, exemptions).
 * - A home address that names no more than a district is De-identify's own output (it generalizes
 *   addresses to the district), not a leak; one with a house, building or room detail is a leak.
 */
export const PUBLISH_SCAN_POLICY = Object.freeze({
  minConfidence: 0.5,
  exemptTypes: Object.freeze({
    'punishment-publicity': ['person-name'],
    'mandatory-disclosure': ['person-name'],
  } satisfies Record<PrivacyExemption['kind'], readonly PiiType[]>),
});

const ADDRESS_DETAIL = /[0-9０-９号室栋幢楼户弄座层]|单元/u;

function isLeftover(
  text: string,
  detection: Detection,
  exemption: PrivacyExemption['kind'] | undefined,
): boolean {
  if (detection.confidence < PUBLISH_SCAN_POLICY.minConfidence) return false;
  if (
    exemption !== undefined &&
    (PUBLISH_SCAN_POLICY.exemptTypes[exemption] as readonly PiiType[]).includes(detection.type)
  ) {
    return false;
  }
  if (detection.type === 'home-address')
    return ADDRESS_DETAIL.test(text.slice(detection.start, detection.end));
  return true;
}

/**
 * Personal data left in `text` under the publish policy, counted by kind. Only kinds and counts come
 * back — never values or positions — so the result may be logged and put in an error.
 */
export function personalDataLeft(
  text: string,
  exemption?: PrivacyExemption['kind'],
): Partial<Record<PiiType, number>> {
  const counts: Partial<Record<PiiType, number>> = {};
  for (const detection of detect(text)) {
    if (!isLeftover(text, detection, exemption)) continue;
    counts[detection.type] = (counts[detection.type] ?? 0) + 1;
  }
  return counts;
}
