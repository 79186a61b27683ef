import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';

useEnglishZodMessages();

/** The four 公开属性 a drafter must choose when drafting (openness plan, 三(六)3). */
export const DISCLOSURE_ATTRIBUTES = ['PROACTIVE', 'AFTER_REDACTION', 'ON_REQUEST', 'NOT_DISCLOSED'] as const;

/** 公开属性: 主动公开 / 删减后公开 / 依申请公开 / 不予公开. */
export const DisclosureAttributeSchema = z.enum(DISCLOSURE_ATTRIBUTES, {
  error: '公开属性应为 主动公开、删减后公开、依申请公开、不予公开 之一',
});

/** 公开属性. */
export type DisclosureAttribute = z.infer<typeof DisclosureAttributeSchema>;

/** Chinese label of each 公开属性, as shown to drafters and in the published bundle. */
export const DISCLOSURE_ATTRIBUTE_LABELS: Readonly<Record<DisclosureAttribute, string>> = Object.freeze({
  PROACTIVE: '主动公开',
  AFTER_REDACTION: '删减后公开',
  ON_REQUEST: '依申请公开',
  NOT_DISCLOSED: '不予公开',
});

/**
 * True when submissions with this attribute are published (and therefore de-identified first);
 * 依申请公开 and 不予公开 are reviewed and registered, never published.
 */
export function isPublishedAttribute(attribute: DisclosureAttribute): boolean {
  return attribute === 'PROACTIVE' || attribute === 'AFTER_REDACTION';
}

/** 效力状态 of a published policy: 有效 / 失效 / 废止. */
export const ValidityStatusSchema = z.enum(['VALID', 'EXPIRED', 'REPEALED'], {
  error: '效力状态应为 有效、失效、废止 之一',
});

/** 效力状态. */
export type ValidityStatus = z.infer<typeof ValidityStatusSchema>;

/** Chinese label of each 效力状态. */
export const VALIDITY_STATUS_LABELS: Readonly<Record<ValidityStatus, string>> = Object.freeze({
  VALID: '有效',
  EXPIRED: '失效',
  REPEALED: '废止',
});
