import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';
import { IdSchema } from './ids.js';
import { IndexNumberSchema } from './index-number.js';
import { canTransition, SubmissionStatusSchema } from './lifecycle.js';

useEnglishZodMessages();

/** Who acted: the drafter (谁起草), an approver (谁审查/谁签发), the system, or an operator (谁公开/下线). */
export const ActorRoleSchema = z.enum(['drafter', 'approver', 'system', 'operator']);

/** Role of an actor. */
export type ActorRole = z.infer<typeof ActorRoleSchema>;

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'CREATED',
  'UPDATED',
  'SUBMITTED',
  'VALIDATED',
  'DEIDENTIFIED',
  'APPROVAL_REQUESTED',
  'APPROVED',
  'REJECTED',
  'APPROVAL_TIMED_OUT',
  'RETURNED',
  'SCHEDULED',
  'PUBLISHED',
  'VERIFIED',
  'NOTIFIED',
  'REGISTERED',
  'WITHDRAWN',
  'SUPERSEDED',
  'FAILED',
] as const;

/** An audited action. */
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);

/** An audited action. */
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** Chinese labels of audited actions, for the accountability view. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = Object.freeze({
  CREATED: '创建',
  UPDATED: '修改',
  SUBMITTED: '提交',
  VALIDATED: '校验通过',
  DEIDENTIFIED: '去标识化完成',
  APPROVAL_REQUESTED: '发送审核请求',
  APPROVED: '审核通过',
  REJECTED: '审核退回',
  APPROVAL_TIMED_OUT: '审核超时',
  RETURNED: '退回起草人',
  SCHEDULED: '排期发布',
  PUBLISHED: '发布',
  VERIFIED: '发布核验',
  NOTIFIED: '发送通知',
  REGISTERED: '登记（不发布）',
  WITHDRAWN: '撤回',
  SUPERSEDED: '被替代',
  FAILED: '处理失败',
});

/** Actions only a person in that role may take: the accountability chain must name the right person. */
const ACTION_ROLES: Partial<Record<AuditAction, readonly ActorRole[]>> = {
  CREATED: ['drafter'],
  UPDATED: ['drafter'],
  SUBMITTED: ['drafter'],
  APPROVED: ['approver'],
  REJECTED: ['approver'],
  WITHDRAWN: ['drafter', 'operator'],
};

const shortCode = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/));

/**
 * Structured detail of an audit event. Deliberately a closed set of short, code-like fields:
 * the audit log is read by operators and kept long, so it must never carry document text,
 * personal data, comments, link secrets or task tokens. Unknown keys are rejected.
 */
export const AuditDetailSchema = z.strictObject({
  reviewStepId: z.optional(shortCode),
  reviewStepIndex: z.optional(z.number().check(z.int(), z.gte(0))),
  errorName: z.optional(shortCode),
  errorCode: z.optional(shortCode),
  executionName: z.optional(shortCode),
  indexNumber: z.optional(IndexNumberSchema),
  bundleId: z.optional(IdSchema),
  supersededBy: z.optional(IdSchema),
  redactionCount: z.optional(z.number().check(z.int(), z.gte(0))),
  releaseAt: z.optional(z.iso.datetime({ offset: true })),
});

/** Structured detail of an audit event. */
export type AuditDetail = z.infer<typeof AuditDetailSchema>;

/** One entry of the append-only audit log: 谁起草、谁审查、谁签发、谁公开. */
export const AuditEventSchema = z
  .object({
    submissionId: IdSchema,
    revision: z.number().check(z.int(), z.gte(1)),
    at: z.iso.datetime({ offset: true }),
    actor: z.object({
      /** An opaque id; the person behind it is resolved elsewhere, so no name or email lands here. */
      id: z.string().check(z.minLength(1), z.maxLength(128)),
      role: ActorRoleSchema,
    }),
    action: AuditActionSchema,
    fromStatus: z.optional(SubmissionStatusSchema),
    toStatus: z.optional(SubmissionStatusSchema),
    detail: z.optional(AuditDetailSchema),
  })
  .check(
    z.superRefine((event, context) => {
      const roles = ACTION_ROLES[event.action];
      if (roles !== undefined && !roles.includes(event.actor.role)) {
        context.addIssue({
          code: 'custom',
          path: ['actor', 'role'],
          message: `「${AUDIT_ACTION_LABELS[event.action]}」只能由 ${roles.join(' / ')} 执行`,
        });
      }
      // The log must never record a status change the lifecycle forbids.
      if (event.fromStatus !== undefined && event.toStatus !== undefined) {
        if (!canTransition(event.fromStatus, event.toStatus)) {
          context.addIssue({
            code: 'custom',
            path: ['toStatus'],
            message: `状态不能从 ${event.fromStatus} 变为 ${event.toStatus}`,
          });
        }
      }
    }),
  );

/** One entry of the audit log. */
export type AuditEvent = z.infer<typeof AuditEventSchema>;
