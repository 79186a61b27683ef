import * as z from 'zod/mini';
import { GongkaiError } from '../errors.js';
import { useEnglishZodMessages } from '../zod-locale.js';
import { DISCLOSURE_ATTRIBUTE_LABELS, type DisclosureAttribute, isPublishedAttribute } from './disclosure.js';

useEnglishZodMessages();

/** Every status a submission revision can be in. */
export const SUBMISSION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'VALIDATING',
  'DEIDENTIFYING',
  'IN_REVIEW',
  'SCHEDULED',
  'PUBLISHED',
  'RETURNED',
  'REGISTERED',
  'FAILED',
  'WITHDRAWN',
  'SUPERSEDED',
] as const;

/** Status of a submission revision. */
export const SubmissionStatusSchema = z.enum(SUBMISSION_STATUSES, { error: '状态值无效' });

/** Status of a submission revision. */
export type SubmissionStatus = z.infer<typeof SubmissionStatusSchema>;

/** Chinese label of each status, in the drafter's terms. */
export const STATUS_LABELS: Readonly<Record<SubmissionStatus, string>> = Object.freeze({
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  VALIDATING: '校验中',
  DEIDENTIFYING: '去标识化处理中',
  IN_REVIEW: '审查审签中',
  SCHEDULED: '待发布',
  PUBLISHED: '已发布',
  RETURNED: '已退回',
  REGISTERED: '已登记（不发布）',
  FAILED: '处理失败',
  WITHDRAWN: '已撤回',
  SUPERSEDED: '已被替代',
});

/** What the drafter can do while a submission is in each status (used in error messages and the UI). */
export const STATUS_HINTS: Readonly<Record<SubmissionStatus, string>> = Object.freeze({
  DRAFT: '可以继续编辑后提交，或撤回。',
  SUBMITTED: '系统正在处理，请等待校验结果；如需修改，可先撤回。',
  VALIDATING: '系统正在校验，请等待结果。',
  DEIDENTIFYING: '系统正在做去标识化处理，请等待结果。',
  IN_REVIEW: '正在审查审签，请等待审核人处理；如需修改，可先撤回。',
  SCHEDULED: '已通过审签，等待发布时间；如需停止发布，可撤回。',
  PUBLISHED: '已发布；如需下线，可撤回，或由新文件替代。',
  RETURNED: '已被退回，请按退回意见修改后重新提交（将生成新的修订版本），或撤回。',
  REGISTERED: '已登记，不对外发布，此记录不能再变更。',
  FAILED: '处理失败，可重新提交（将生成新的修订版本），或撤回。',
  WITHDRAWN: '已撤回，此记录不能再变更；如需发布，请新建提交。',
  SUPERSEDED: '已被新文件替代，此记录不能再变更。',
});

/**
 * The lifecycle, as the only source of truth for which status may follow which.
 *
 * - The automated steps (SUBMITTED … SCHEDULED) may each end in FAILED, so no failure is silent.
 * - VALIDATING → RETURNED: a rule the drafter must fix is the drafter's to fix, not a system failure.
 * - VALIDATING and DEIDENTIFYING cannot be withdrawn: they are short machine steps, and cancelling
 *   mid-step would race the running execution; the drafter withdraws once it reaches IN_REVIEW.
 * - IN_REVIEW → SCHEDULED always passes through SCHEDULED, even for "release on approval",
 *   so the Wait state and the audit chain are the same for every published submission.
 * - RETURNED / FAILED → SUBMITTED is a new revision (new execution name), never a rerun of the old one.
 * - No status may follow itself: several review steps all happen inside IN_REVIEW and are tracked
 *   as review steps, not as status changes.
 */
export const TRANSITIONS: Readonly<Record<SubmissionStatus, readonly SubmissionStatus[]>> = Object.freeze({
  DRAFT: Object.freeze(['SUBMITTED', 'WITHDRAWN'] as const),
  SUBMITTED: Object.freeze(['VALIDATING', 'FAILED', 'WITHDRAWN'] as const),
  VALIDATING: Object.freeze(['DEIDENTIFYING', 'IN_REVIEW', 'RETURNED', 'FAILED'] as const),
  DEIDENTIFYING: Object.freeze(['IN_REVIEW', 'FAILED'] as const),
  IN_REVIEW: Object.freeze(['SCHEDULED', 'REGISTERED', 'RETURNED', 'FAILED', 'WITHDRAWN'] as const),
  SCHEDULED: Object.freeze(['PUBLISHED', 'FAILED', 'WITHDRAWN'] as const),
  PUBLISHED: Object.freeze(['WITHDRAWN', 'SUPERSEDED'] as const),
  RETURNED: Object.freeze(['SUBMITTED', 'WITHDRAWN'] as const),
  REGISTERED: Object.freeze([] as const),
  FAILED: Object.freeze(['SUBMITTED', 'WITHDRAWN'] as const),
  WITHDRAWN: Object.freeze([] as const),
  SUPERSEDED: Object.freeze([] as const),
});

/**
 * Transitions whose legality depends on the 公开属性: published attributes must be de-identified and
 * scheduled; 依申请公开 / 不予公开 skip de-identification and are registered. Taking the wrong branch
 * would publish personal data or publish something that must stay closed, so it is checked here too.
 */
const ROUTE_RULES: ReadonlyArray<{ from: SubmissionStatus; to: SubmissionStatus; published: boolean }> = [
  { from: 'VALIDATING', to: 'DEIDENTIFYING', published: true },
  { from: 'VALIDATING', to: 'IN_REVIEW', published: false },
  { from: 'IN_REVIEW', to: 'SCHEDULED', published: true },
  { from: 'IN_REVIEW', to: 'REGISTERED', published: false },
];

function routeRule(from: SubmissionStatus, to: SubmissionStatus) {
  return ROUTE_RULES.find((rule) => rule.from === from && rule.to === to);
}

/**
 * True when `to` may follow `from`. When `attribute` is given, the routing by 公开属性 is checked
 * too (e.g. a 主动公开 submission may not go from VALIDATING straight to IN_REVIEW).
 */
export function canTransition(
  from: SubmissionStatus,
  to: SubmissionStatus,
  attribute?: DisclosureAttribute,
): boolean {
  if (!TRANSITIONS[from].includes(to)) return false;
  if (attribute === undefined) return true;
  const rule = routeRule(from, to);
  return rule === undefined || rule.published === isPublishedAttribute(attribute);
}

/** A status change that the lifecycle does not allow. */
export class IllegalTransitionError extends GongkaiError {
  override readonly httpStatus: number = 409;
  /** The statuses that may follow `from` (for the given attribute, if any). */
  readonly allowed: readonly SubmissionStatus[];

  constructor(
    readonly from: SubmissionStatus,
    readonly to: SubmissionStatus,
    readonly attribute?: DisclosureAttribute,
  ) {
    const allowed = TRANSITIONS[from].filter((next) => canTransition(from, next, attribute));
    super(IllegalTransitionError.describe(from, to, attribute, allowed));
    this.allowed = allowed;
  }

  private static describe(
    from: SubmissionStatus,
    to: SubmissionStatus,
    attribute: DisclosureAttribute | undefined,
    allowed: readonly SubmissionStatus[],
  ): string {
    const current = `当前状态为「${STATUS_LABELS[from]}」`;
    if (from === to) return `${current}，无需重复操作。${STATUS_HINTS[from]}`;
    const intro = `${current}，不能变为「${STATUS_LABELS[to]}」`;
    const rule = routeRule(from, to);
    if (attribute !== undefined && rule !== undefined && TRANSITIONS[from].includes(to)) {
      const why = isPublishedAttribute(attribute)
        ? '需要先做去标识化处理，审签通过后排期发布'
        : '不对外发布，审查通过后只做登记';
      return `${intro}：公开属性为「${DISCLOSURE_ATTRIBUTE_LABELS[attribute]}」的文件${why}。`;
    }
    if (allowed.length === 0) return `${intro}。${STATUS_HINTS[from]}`;
    const options = allowed.map((next) => `「${STATUS_LABELS[next]}」`).join('、');
    return `${intro}，只能变为${options}。${STATUS_HINTS[from]}`;
  }
}

/** Throws {@link IllegalTransitionError} unless {@link canTransition} allows the change. */
export function assertTransition(
  from: SubmissionStatus,
  to: SubmissionStatus,
  attribute?: DisclosureAttribute,
): void {
  if (!canTransition(from, to, attribute)) throw new IllegalTransitionError(from, to, attribute);
}

/** True when nothing may follow `status` (REGISTERED, WITHDRAWN, SUPERSEDED). */
export function isTerminal(status: SubmissionStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** The status that follows VALIDATING for a submission with this 公开属性 (the state machine's Choice). */
export function statusAfterValidation(attribute: DisclosureAttribute): 'DEIDENTIFYING' | 'IN_REVIEW' {
  return isPublishedAttribute(attribute) ? 'DEIDENTIFYING' : 'IN_REVIEW';
}

/** The status that follows the last approval for a submission with this 公开属性. */
export function statusAfterApproval(attribute: DisclosureAttribute): 'SCHEDULED' | 'REGISTERED' {
  return isPublishedAttribute(attribute) ? 'SCHEDULED' : 'REGISTERED';
}
