/**
 * Builders of valid domain data for tests. Each returns data that passes its schema and
 * `validateSubmission`; override only what a test is about.
 *
 * Overrides merge deeply into plain objects; arrays are replaced whole; an explicit `undefined`
 * removes the key (to test a missing field).
 */
import type {
  AuditEvent,
  DocumentRef,
  Metadata,
  Person,
  ReviewStep,
  Submission,
  SubmissionDraft,
} from '../../shared/domain/index.js';

/** Deep partial for overrides: objects recurse, arrays and scalars are replaced. */
export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: Overrides<T[K]> | undefined }
    : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function merge<T>(base: T, overrides: Overrides<T> | undefined): T {
  if (overrides === undefined) return structuredClone(base);
  const result: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (value === undefined) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = merge(result[key], value);
    } else {
      result[key] = structuredClone(value);
    }
  }
  return result as T;
}

/** Fixed ULIDs, so failures are reproducible. */
export const IDS = {
  submission: '01HZY8K3Q4M5N6P7R8S9T0V1W2',
  policy: '01HZY8K3Q4M5N6P7R8S9T0V1P1',
  interpretation: '01HZY8K3Q4M5N6P7R8S9T0V1J1',
  secondInterpretation: '01HZY8K3Q4M5N6P7R8S9T0V1J2',
  attachment: '01HZY8K3Q4M5N6P7R8S9T0V1A1',
  bundle: '01HZY8K3Q4M5N6P7R8S9T0V1B1',
} as const;

/** The drafter (起草人). */
export function aDrafter(overrides?: Overrides<Person>): Person {
  return merge<Person>({ id: 'drafter-001', name: '李文', email: 'liwen@example.gov.cn' }, overrides);
}

/** An approver who is not the drafter. */
export function anApprover(overrides?: Overrides<Person>): Person {
  return merge<Person>({ id: 'approver-001', name: '赵审', email: 'zhaoshen@example.gov.cn' }, overrides);
}

/** A review step with one approver. */
export function aReviewStep(overrides?: Overrides<ReviewStep>): ReviewStep {
  return merge<ReviewStep>(
    { id: 'sign-off', name: '审签', approvers: [anApprover()], timeoutHours: 72 },
    overrides,
  );
}

/** Metadata of a 主动公开 policy modelled on the seed document. */
export function aMetadata(overrides?: Overrides<Metadata>): Metadata {
  return merge<Metadata>(
    {
      title: '银川市大数据产业发展服务中心2019年政务公开实施方案',
      issuingBody: '银川市大数据产业发展服务中心',
      responsibleDepartment: '综合科',
      documentNumber: '银大数发〔2019〕12号',
      writtenDate: '2019-07-19',
      subjectCategory: '综合政务/政务公开',
      firstInterpreter: { name: '王川', position: '中心主任' },
      disclosure: { attribute: 'PROACTIVE' },
      bodyCode: '640100-141',
      reviewSteps: [
        aReviewStep({
          id: 'disclosure-review',
          name: '公开审查',
          approvers: [anApprover({ id: 'approver-002', email: 'qian@example.gov.cn' })],
        }),
        aReviewStep(),
      ],
    },
    overrides,
  );
}

/** A document reference; the role decides the defaults. */
export function aDocument(overrides?: Overrides<DocumentRef>): DocumentRef {
  const role = overrides?.role ?? 'policy';
  const defaults: Record<DocumentRef['role'], Pick<DocumentRef, 'id' | 'fileName'>> = {
    policy: { id: IDS.policy, fileName: '实施方案.docx' },
    interpretation: { id: IDS.interpretation, fileName: '实施方案解读.docx' },
    attachment: { id: IDS.attachment, fileName: '附件1.pdf' },
  };
  const { id, fileName } = defaults[role];
  return merge<DocumentRef>(
    {
      id,
      role,
      fileName,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size: 48_213,
      key: `uploads/${IDS.submission}/${id}`,
      sha256: 'a'.repeat(64),
    },
    overrides,
  );
}

/** The policy document (原文). */
export function aPolicyDocument(overrides?: Overrides<DocumentRef>): DocumentRef {
  return aDocument({ ...overrides, role: 'policy' });
}

/** An interpretation document (解读). */
export function anInterpretationDocument(overrides?: Overrides<DocumentRef>): DocumentRef {
  return aDocument({ ...overrides, role: 'interpretation' });
}

/** An attachment. */
export function anAttachment(overrides?: Overrides<DocumentRef>): DocumentRef {
  return aDocument({ contentType: 'application/pdf', ...overrides, role: 'attachment' });
}

/** What a drafter submits: drafter, metadata, one policy and one interpretation. */
export function aSubmissionDraft(overrides?: Overrides<SubmissionDraft>): SubmissionDraft {
  return merge<SubmissionDraft>(
    {
      drafter: aDrafter(),
      metadata: aMetadata(),
      documents: [aPolicyDocument(), anInterpretationDocument()],
    },
    overrides,
  );
}

/** A full submission revision in DRAFT. */
export function aSubmission(overrides?: Overrides<Submission>): Submission {
  return merge<Submission>(
    {
      id: IDS.submission,
      revision: 1,
      ...aSubmissionDraft(),
      status: 'DRAFT',
      createdAt: '2019-07-19T01:00:00.000Z',
      updatedAt: '2019-07-19T01:00:00.000Z',
    },
    overrides,
  );
}

/** A published submission: 索引号, bundle and 发布日期 set. */
export function aPublishedSubmission(overrides?: Overrides<Submission>): Submission {
  return aSubmission({
    status: 'PUBLISHED',
    indexNumber: '640100-141/2019-00064',
    bundleId: IDS.bundle,
    publishedAt: '2019-07-19T08:00:00.000Z',
    updatedAt: '2019-07-19T08:00:00.000Z',
    ...overrides,
  });
}

/** An audit event: the drafter submitting revision 1. */
export function anAuditEvent(overrides?: Overrides<AuditEvent>): AuditEvent {
  return merge<AuditEvent>(
    {
      submissionId: IDS.submission,
      revision: 1,
      at: '2019-07-19T01:05:00.000Z',
      actor: { id: 'drafter-001', role: 'drafter' },
      action: 'SUBMITTED',
      fromStatus: 'DRAFT',
      toStatus: 'SUBMITTED',
    },
    overrides,
  );
}

/** The moment the default draft is submitted: the day it was written, 09:30 in Yinchuan. */
export const SUBMITTED_AT = new Date('2019-07-19T09:30:00+08:00');
