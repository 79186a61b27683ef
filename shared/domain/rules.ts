import * as z from 'zod/mini';
import { GongkaiError } from '../errors.js';
import { shanghaiDate } from './deadline.js';
import { DISCLOSURE_ATTRIBUTE_LABELS } from './disclosure.js';
import type { DocumentRef } from './document-ref.js';
import {
  type Disclosure,
  DisclosureSchema,
  DocumentNumberSchema,
  type Metadata,
  MetadataSchema,
  normalizeDocumentNumber,
  type Person,
  PersonSchema,
  PRIVACY_EXEMPTION_LABELS,
  PrivacyExemptionSchema,
  ReviewStepSchema,
} from './metadata.js';
import { type SubmissionDraft, SubmissionDraftSchema } from './submission.js';
import { type SubmissionRuleViolation, zodIssuesToViolations } from './violations.js';

/** Options of {@link validateSubmission}. */
export interface ValidateSubmissionOptions {
  /**
   * The moment the drafter submits. Pass the submission time, not the wall clock of a later step:
   * a planned release time that passes while the submission is in review is fine (it is released at once).
   */
  now: Date;
  /**
   * Plain text of interpretation documents, keyed by document id. When given, each interpretation
   * listed here must refer to its policy; documents without an entry are not checked.
   */
  interpretationTexts?: Readonly<Record<string, string>>;
}

/** Removes what should not decide whether a title is mentioned: 书名号 and whitespace. */
function normalizeTitle(value: string): string {
  return value.normalize('NFKC').replace(/[《》〈〉\s]/gu, '');
}

/**
 * True when an interpretation's text refers to its policy: it contains the policy's title
 * (书名号 《》 and whitespace ignored) or its 文号 (bracket styles 〔〕 [] () 【】 treated alike).
 * An empty title never matches, so a blank title cannot make every text "refer" to it.
 */
export function interpretationRefersToPolicy(
  policyTitle: string,
  documentNumber: string | undefined,
  interpretationText: string,
): boolean {
  const title = normalizeTitle(policyTitle);
  if (title !== '' && normalizeTitle(interpretationText).includes(title)) return true;
  if (documentNumber === undefined) return false;
  const number = normalizeDocumentNumber(documentNumber);
  return number !== '' && normalizeDocumentNumber(interpretationText).includes(number);
}

/** A SubmissionRuleViolation list, thrown by {@link assertValidSubmission}. */
export class SubmissionInvalidError extends GongkaiError {
  constructor(readonly violations: readonly SubmissionRuleViolation[]) {
    super(
      `提交内容有 ${violations.length} 处需要修改：` +
        violations.map((violation, index) => `${index + 1}. ${violation.message}`).join(' '),
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parsed<T extends z.ZodMiniType>(schema: T, value: unknown): z.infer<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function disclosureRules(disclosure: Disclosure): SubmissionRuleViolation[] {
  const violations: SubmissionRuleViolation[] = [];
  const label = DISCLOSURE_ATTRIBUTE_LABELS[disclosure.attribute];
  if (
    (disclosure.attribute === 'ON_REQUEST' || disclosure.attribute === 'NOT_DISCLOSED') &&
    blank(disclosure.reason)
  ) {
    violations.push({
      field: 'metadata.disclosure.reason',
      code: 'DISCLOSURE_REASON_REQUIRED',
      message: `公开属性选了「${label}」，必须说明不主动公开的理由。请在「理由」中写明原因。`,
    });
  }
  if (disclosure.attribute === 'NOT_DISCLOSED' && blank(disclosure.legalBasis)) {
    violations.push({
      field: 'metadata.disclosure.legalBasis',
      code: 'DISCLOSURE_LEGAL_BASIS_REQUIRED',
      message:
        '公开属性选了「不予公开」，必须写明法律依据（例如《中华人民共和国政府信息公开条例》的具体条款）。请填写「法律依据」。',
    });
  }
  const removals = disclosure.removals ?? [];
  if (disclosure.attribute === 'AFTER_REDACTION') {
    if (removals.length === 0) {
      violations.push({
        field: 'metadata.disclosure.removals',
        code: 'REMOVALS_REQUIRED',
        message: '公开属性选了「删减后公开」，请至少列出一处删减：删去了什么内容、为什么删。',
      });
    }
    removals.forEach((removal, index) => {
      if (blank(removal.description)) {
        violations.push({
          field: `metadata.disclosure.removals.${index}.description`,
          code: 'REMOVAL_DESCRIPTION_REQUIRED',
          message: `第 ${index + 1} 项删减没有说明删去了什么内容，请补充（概括即可，不要照抄被删内容）。`,
        });
      }
      if (blank(removal.reason)) {
        violations.push({
          field: `metadata.disclosure.removals.${index}.reason`,
          code: 'REMOVAL_REASON_REQUIRED',
          message: `第 ${index + 1} 项删减没有说明理由，请写明为什么删减。`,
        });
      }
    });
  } else if (removals.length > 0) {
    violations.push({
      field: 'metadata.disclosure.removals',
      code: 'REMOVALS_NOT_EXPECTED',
      message: `列出了删减内容，但公开属性是「${label}」。如确需删减后发布，请把公开属性改为「删减后公开」；否则请清空删减清单。`,
    });
  }
  return violations;
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function approverRules(drafter: Person, reviewSteps: Metadata['reviewSteps']): SubmissionRuleViolation[] {
  const violations: SubmissionRuleViolation[] = [];
  const seen = new Set<string>();
  reviewSteps.forEach((step, stepIndex) => {
    if (seen.has(step.id)) {
      violations.push({
        field: `metadata.reviewSteps.${stepIndex}.id`,
        code: 'REVIEW_STEP_ID_DUPLICATE',
        message: `第 ${stepIndex + 1} 个审查环节的编号与前面的环节重复，每个环节的编号必须不同。`,
      });
    }
    seen.add(step.id);
    step.approvers.forEach((approver, approverIndex) => {
      // Email is compared too: the same person may hold two ids across directories.
      if (sameText(approver.id, drafter.id) || sameText(approver.email, drafter.email)) {
        violations.push({
          field: `metadata.reviewSteps.${stepIndex}.approvers.${approverIndex}`,
          code: 'APPROVER_IS_DRAFTER',
          message: `起草人不能审核自己起草的文件：第 ${stepIndex + 1} 个审查环节「${step.name}」的第 ${approverIndex + 1} 位审核人是起草人本人，请换一位审核人。`,
        });
      }
    });
  });
  return violations;
}

function documentRules(
  documents: readonly DocumentRef[],
  policy: { title: string | undefined; documentNumber: string | undefined },
  texts: Readonly<Record<string, string>> | undefined,
): SubmissionRuleViolation[] {
  const violations: SubmissionRuleViolation[] = [];
  const policies = documents.filter((document) => document.role === 'policy');
  if (policies.length === 0) {
    violations.push({
      field: 'documents',
      code: 'POLICY_DOCUMENT_MISSING',
      message: '缺少政策原文，请上传一份原文。',
    });
  } else if (policies.length > 1) {
    violations.push({
      field: 'documents',
      code: 'POLICY_DOCUMENT_MULTIPLE',
      message: `上传了 ${policies.length} 份原文，一次提交只能有一份原文；其余文件请标为附件，或另行提交。`,
    });
  }
  if (!documents.some((document) => document.role === 'interpretation')) {
    violations.push({
      field: 'documents',
      code: 'INTERPRETATION_MISSING',
      message:
        '缺少解读材料。按照“谁起草、谁解读”，原文须与至少一份解读材料（文字解读、问答或图解）同步报批，请上传解读材料。',
    });
  }
  const ids = new Set<string>();
  documents.forEach((document, index) => {
    if (ids.has(document.id)) {
      violations.push({
        field: `documents.${index}.id`,
        code: 'DOCUMENT_ID_DUPLICATE',
        message: `第 ${index + 1} 个文件与前面的文件编号重复，请重新上传该文件。`,
      });
    }
    ids.add(document.id);
    const text = texts?.[document.id];
    if (document.role !== 'interpretation' || text === undefined || policy.title === undefined) return;
    if (!interpretationRefersToPolicy(policy.title, policy.documentNumber, text)) {
      violations.push({
        field: `documents.${index}`,
        code: 'INTERPRETATION_NOT_LINKED',
        message: `第 ${index + 1} 个文件（解读）中找不到原文的标题或文号。解读应写明它解读的是哪份原文：请在解读正文中写出原文标题或文号，然后重新上传。`,
      });
    }
  });
  return violations;
}

/**
 * Checks a submission (a {@link SubmissionDraft} or a full Submission) against the schema and the
 * openness plan's rules, and returns everything the drafter must fix; empty when it is valid.
 * Schema problems and rule violations come in the same format, so a form can show them together.
 * Rules run on every part that is well-formed, even when another part is not.
 */
export function validateSubmission(
  input: unknown,
  options: ValidateSubmissionOptions,
): SubmissionRuleViolation[] {
  const draft = SubmissionDraftSchema.safeParse(input);
  const violations = draft.success ? [] : zodIssuesToViolations(draft.error.issues, { input });
  if (!isRecord(input)) return violations;

  const drafter = parsed(PersonSchema, input.drafter);
  const rawMetadata = isRecord(input.metadata) ? input.metadata : {};
  const disclosure = parsed(DisclosureSchema, rawMetadata.disclosure);
  const reviewSteps = parsed(z.array(ReviewStepSchema), rawMetadata.reviewSteps);
  const documents = parsed(SubmissionDraftSchema.shape.documents, input.documents);

  if (disclosure !== undefined) violations.push(...disclosureRules(disclosure));
  if (drafter !== undefined && reviewSteps !== undefined)
    violations.push(...approverRules(drafter, reviewSteps));

  const exemption = parsed(PrivacyExemptionSchema, rawMetadata.privacyExemption);
  if (exemption !== undefined && blank(exemption.basis)) {
    violations.push({
      field: 'metadata.privacyExemption.basis',
      code: 'PRIVACY_EXEMPTION_BASIS_REQUIRED',
      message: `声明了「${PRIVACY_EXEMPTION_LABELS[exemption.kind]}」隐私豁免，必须写明豁免依据（哪项法律法规或决定要求公开当事人信息），请填写「豁免依据」。`,
    });
  }

  const planned = parsed(MetadataSchema.shape.plannedReleaseAt, rawMetadata.plannedReleaseAt);
  if (planned !== undefined && Date.parse(planned) < options.now.getTime()) {
    violations.push({
      field: 'metadata.plannedReleaseAt',
      code: 'PLANNED_RELEASE_IN_PAST',
      message: '计划发布时间已经过去，请改为将来的时间；如需审签通过后立即发布，请不填计划发布时间。',
    });
  }

  const writtenDate = parsed(MetadataSchema.shape.writtenDate, rawMetadata.writtenDate);
  if (writtenDate !== undefined && writtenDate > shanghaiDate(options.now)) {
    violations.push({
      field: 'metadata.writtenDate',
      code: 'WRITTEN_DATE_IN_FUTURE',
      message: `成文日期 ${writtenDate} 晚于今天，请填写文件实际成文（签发）的日期。`,
    });
  }

  if (documents !== undefined) {
    const title = parsed(MetadataSchema.shape.title, rawMetadata.title);
    const documentNumber = parsed(DocumentNumberSchema, rawMetadata.documentNumber);
    violations.push(...documentRules(documents, { title, documentNumber }, options.interpretationTexts));
  }
  return violations;
}

/**
 * Returns the parsed submission draft when {@link validateSubmission} finds nothing wrong.
 * @throws SubmissionInvalidError carrying every violation
 */
export function assertValidSubmission(input: unknown, options: ValidateSubmissionOptions): SubmissionDraft {
  const violations = validateSubmission(input, options);
  if (violations.length > 0) throw new SubmissionInvalidError(violations);
  return SubmissionDraftSchema.parse(input);
}
