import { deidentifyText, type PiiType } from '../deid/index.js';
import type { PrivacyExemption } from '../domain/index.js';

/**
 * The publish policy Verify re-scans published text against: the text must be a fixed point of
 * de-identification under the revision's own policy — running the engine again over it would
 * change nothing. So:
 *
 * - everything the detector reports and the policy transforms counts (officials in role,
 *   pseudonyms like 张某 and look-alikes are not reported by the detector in the first place);
 * - 惩戒公示 / 强制性信息披露: names of the persons concerned are allowed, identifiers, phones,
 *   bank cards and addresses are not (the engine's exemption rule, DEID.md);
 * - values the engine already masked (`110101************`, `宁夏银川市兴庆区***`) are its own
 *   output: transforming them again yields the same text, so they are not leftovers.
 */
export function personalDataLeft(
  text: string,
  exemption?: PrivacyExemption['kind'],
): Partial<Record<PiiType, number>> {
  const again = deidentifyText(text, exemption === undefined ? {} : { exemption });
  if (again.text === text) return {};
  const counts: Partial<Record<PiiType, number>> = {};
  for (const item of again.report.items) {
    if (item.type === 'removal') continue;
    // A masked value maps onto itself; a name's preview (张*) differs from its replacement (张某), but a
    // pseudonym is never reported, so a reported name is always a real one.
    if (item.type !== 'person-name' && text.slice(item.start, item.end) === item.preview) continue;
    counts[item.type] = (counts[item.type] ?? 0) + 1;
  }
  return counts;
}
