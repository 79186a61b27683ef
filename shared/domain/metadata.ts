import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';
import { DisclosureAttributeSchema } from './disclosure.js';
import { BODY_CODE_PATTERN } from './index-number.js';

useEnglishZodMessages();

/** A required single-line text field: trimmed, not empty, bounded. */
function text(label: string, max: number) {
  return z
    .string({ error: `「${label}」应为文字` })
    .check(
      z.trim(),
      z.minLength(1, { error: `「${label}」不能为空，请填写` }),
      z.maxLength(max, { error: `「${label}」不能超过 ${max} 个字` }),
    );
}

/** An optional free-text field; emptiness is judged by the rules, so that the message can say why it is needed. */
function optionalText(label: string, max: number) {
  return z.optional(
    z
      .string({ error: `「${label}」应为文字` })
      .check(z.trim(), z.maxLength(max, { error: `「${label}」不能超过 ${max} 个字` })),
  );
}

/**
 * Rewrites the year brackets of a 文号 to the standard 六角括号 〔〕 (GB/T 9704), so that
 * `银政办发[2019]76号`, `银政办发（2019）76号` and `银政办发〔2019〕76号` are stored and compared alike.
 * Full-width letters and digits are folded too (NFKC).
 */
export function normalizeDocumentNumber(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[[【(﹝〔]\s*(\d{4})\s*[\]】)﹞〕]/g, '〔$1〕');
}

/** 文号 (发文字号): 机关代字 + 〔年份〕 + 序号 + 号, e.g. `银政办发〔2019〕76号`. */
export const DOCUMENT_NUMBER_PATTERN = /^[\p{Script=Han}A-Za-z0-9]+〔\d{4}〕\d+号$/u;

/** 文号, normalised to 〔〕 brackets. */
export const DocumentNumberSchema = z.pipe(
  z.pipe(z.string({ error: '「文号」应为文字' }), z.transform(normalizeDocumentNumber)),
  z.string().check(z.regex(DOCUMENT_NUMBER_PATTERN, { error: '「文号」格式应形如 银政办发〔2019〕76号' })),
);

/**
 * A person known to the system: drafter or approver. No custom messages here: the same schema
 * serves both roles, and the violation mapper names the field by its path (起草人邮箱 / 审核人邮箱).
 */
export const PersonSchema = z.object({
  id: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  email: z.email(),
});

/** A person known to the system: drafter or approver. */
export type Person = z.infer<typeof PersonSchema>;

/** Longest a single review step may wait; longer would defeat the 20-working-day 及时公开 limit. */
export const MAX_REVIEW_STEP_TIMEOUT_HOURS = 720;

/** One step of review, e.g. 公开审查, 保密审查 or 审签: any one of its approvers decides it. */
export const ReviewStepSchema = z.object({
  id: text('审查环节编号', 64),
  name: text('审查环节名称', 32),
  approvers: z.array(PersonSchema).check(z.minLength(1, { error: '每个审查环节至少需要一名审核人' })),
  timeoutHours: z.number({ error: '「审查时限」应为小时数' }).check(
    z.int({ error: '「审查时限」应为整数小时' }),
    z.gte(1, { error: '「审查时限」至少 1 小时' }),
    z.lte(MAX_REVIEW_STEP_TIMEOUT_HOURS, {
      error: `「审查时限」不能超过 ${MAX_REVIEW_STEP_TIMEOUT_HOURS} 小时`,
    }),
  ),
});

/** One step of review. */
export type ReviewStep = z.infer<typeof ReviewStepSchema>;

/** Conventional names of the review steps (a hint for forms; the schema accepts any name). */
export const REVIEW_STEP_NAMES = ['公开审查', '保密审查', '审签'] as const;

/** A part removed before a 删减后公开 release: what, and why. */
export const RemovalSchema = z.object({
  description: z.string({ error: '「删减内容」应为文字' }).check(z.trim(), z.maxLength(500)),
  reason: z.string({ error: '「删减理由」应为文字' }).check(z.trim(), z.maxLength(500)),
});

/** A part removed before release. */
export type Removal = z.infer<typeof RemovalSchema>;

/** The 公开属性 and what it requires (reason, legal basis, removals are checked by the rules). */
export const DisclosureSchema = z.object({
  attribute: DisclosureAttributeSchema,
  reason: optionalText('理由', 1000),
  legalBasis: optionalText('法律依据', 1000),
  removals: z.optional(z.array(RemovalSchema).check(z.maxLength(100))),
});

/** The 公开属性 and what it requires. */
export type Disclosure = z.infer<typeof DisclosureSchema>;

/** 惩戒公示 / 强制性信息披露: names of the persons concerned stay; identifiers still go. */
export const PrivacyExemptionSchema = z.object({
  kind: z.enum(['punishment-publicity', 'mandatory-disclosure'], {
    error: '隐私豁免类型应为 惩戒公示 或 强制性信息披露',
  }),
  basis: z.string({ error: '「豁免依据」应为文字' }).check(z.trim(), z.maxLength(1000)),
});

/** Privacy exemption. */
export type PrivacyExemption = z.infer<typeof PrivacyExemptionSchema>;

/** Chinese labels of the privacy exemption kinds. */
export const PRIVACY_EXEMPTION_LABELS: Readonly<Record<PrivacyExemption['kind'], string>> = Object.freeze({
  'punishment-publicity': '惩戒公示',
  'mandatory-disclosure': '强制性信息披露',
});

/** The metadata a drafter gives with a submission; it ends up in the published bundle's manifest. */
export const MetadataSchema = z.object({
  title: text('标题', 200),
  issuingBody: text('发布机构', 100),
  responsibleDepartment: text('责任部门', 100),
  documentNumber: z.optional(DocumentNumberSchema),
  writtenDate: z.iso.date({ error: '「成文日期」应为真实日期，格式 YYYY-MM-DD，例如 2019-07-19' }),
  subjectCategory: text('主题分类', 100),
  firstInterpreter: z.object({
    name: text('第一解读人姓名', 64),
    position: text('第一解读人职务', 64),
  }),
  plannedReleaseAt: z.optional(
    z.iso.datetime({ offset: true, error: '「计划发布时间」格式应形如 2019-07-19T09:00:00+08:00' }),
  ),
  disclosure: DisclosureSchema,
  privacyExemption: z.optional(PrivacyExemptionSchema),
  bodyCode: z
    .string({ error: '「机构代码」应为文字' })
    .check(
      z.trim(),
      z.regex(BODY_CODE_PATTERN, { error: '「机构代码」应形如 640100-141（字母、数字、连字符）' }),
      z.maxLength(40, { error: '「机构代码」不能超过 40 个字符' }),
    ),
  reviewSteps: z
    .array(ReviewStepSchema)
    .check(z.minLength(1, { error: '至少需要一个审查环节（例如 审签）' }), z.maxLength(10)),
});

/** Submission metadata. */
export type Metadata = z.infer<typeof MetadataSchema>;
