import { describe, expect, it } from 'vitest';
import {
  AuditEventSchema,
  DISCLOSURE_ATTRIBUTE_LABELS,
  DISCLOSURE_ATTRIBUTES,
  DisclosureAttributeSchema,
  DocumentNumberSchema,
  DocumentRefSchema,
  describeField,
  IdSchema,
  MetadataSchema,
  newId,
  SubmissionSchema,
  VALIDITY_STATUS_LABELS,
  ValidityStatusSchema,
  zodIssuesToViolations,
} from '../../../shared/domain/index.js';
import {
  aDocument,
  aMetadata,
  anAuditEvent,
  aPublishedSubmission,
  aReviewStep,
  aSubmission,
} from '../../support/builders.js';

describe('DisclosureAttribute and ValidityStatus', () => {
  it('labels the four 公开属性 in Chinese', () => {
    expect(DISCLOSURE_ATTRIBUTES.map((attribute) => DISCLOSURE_ATTRIBUTE_LABELS[attribute])).toEqual([
      '主动公开',
      '删减后公开',
      '依申请公开',
      '不予公开',
    ]);
  });

  it('rejects an attribute that is not one of the four', () => {
    expect(DisclosureAttributeSchema.safeParse('PUBLIC').success).toBe(false);
    expect(DisclosureAttributeSchema.safeParse('主动公开').success).toBe(false);
  });

  it('labels 效力状态 有效 / 失效 / 废止 and rejects anything else', () => {
    expect(VALIDITY_STATUS_LABELS).toEqual({ VALID: '有效', EXPIRED: '失效', REPEALED: '废止' });
    expect(ValidityStatusSchema.safeParse('INVALID').success).toBe(false);
  });
});

describe('MetadataSchema', () => {
  it('accepts the builder’s metadata', () => {
    expect(MetadataSchema.parse(aMetadata())).toEqual(aMetadata());
  });

  it('trims text fields', () => {
    expect(MetadataSchema.parse(aMetadata({ title: '  实施方案 ' })).title).toBe('实施方案');
  });

  it.each([
    ['an empty title', { title: '   ' }],
    ['a title longer than 200 characters', { title: '字'.repeat(201) }],
    ['a 成文日期 that does not exist', { writtenDate: '2019-02-30' }],
    ['a 成文日期 with a time', { writtenDate: '2019-07-19T00:00:00Z' }],
    ['a 成文日期 in another format', { writtenDate: '2019/07/19' }],
    ['a 文号 without year brackets', { documentNumber: '银政办发2019-76号' }],
    ['a 文号 without 号', { documentNumber: '银政办发〔2019〕76' }],
    ['a body code with a slash', { bodyCode: '640100/141' }],
    ['a planned release time without a time zone', { plannedReleaseAt: '2019-08-01T09:00:00' }],
    ['no review step', { reviewSteps: [] }],
    ['a review step without approvers', { reviewSteps: [aReviewStep({ approvers: [] })] }],
    ['a review step with a zero timeout', { reviewSteps: [aReviewStep({ timeoutHours: 0 })] }],
    ['a review step with a fractional timeout', { reviewSteps: [aReviewStep({ timeoutHours: 1.5 })] }],
    ['a review step waiting longer than 720 hours', { reviewSteps: [aReviewStep({ timeoutHours: 721 })] }],
    [
      'an approver with a malformed email',
      { reviewSteps: [aReviewStep({ approvers: [{ id: 'a', name: 'b', email: 'b' }] })] },
    ],
    ['a first interpreter without a position', { firstInterpreter: { name: '王川', position: '' } }],
    ['an unknown privacy exemption', { privacyExemption: { kind: 'celebrity', basis: '无' } }],
    ['an unknown 公开属性', { disclosure: { attribute: 'SECRET' } }],
  ] as const)('rejects %s', (_case, overrides) => {
    expect(MetadataSchema.safeParse({ ...aMetadata(), ...overrides }).success).toBe(false);
  });

  it.each(['银政办发〔2019〕76号', '银党厅字〔2018〕1号', '国办发〔2019〕54号'])(
    'accepts the 文号 %s',
    (number) => {
      expect(DocumentNumberSchema.parse(number)).toBe(number);
    },
  );

  it.each([
    ['银政办发[2019]76号', '银政办发〔2019〕76号'],
    ['银政办发（2019）76号', '银政办发〔2019〕76号'],
    ['银政办发 (2019) 76号', '银政办发〔2019〕76号'],
    ['银政办发【2019】76号', '银政办发〔2019〕76号'],
    ['银政办发﹝2019﹞76号', '银政办发〔2019〕76号'],
  ])('stores the 文号 %s as %s', (input, stored) => {
    expect(DocumentNumberSchema.parse(input)).toBe(stored);
  });
});

describe('DocumentRefSchema', () => {
  it('accepts the builder’s documents', () => {
    for (const role of ['policy', 'interpretation', 'attachment'] as const) {
      expect(DocumentRefSchema.safeParse(aDocument({ role })).success).toBe(true);
    }
  });

  it.each([
    ['an id that is not a ULID', { id: 'doc-1' }],
    ['an unknown role', { role: 'appendix' }],
    ['an empty file name', { fileName: ' ' }],
    ['a content type that is not a MIME type', { contentType: 'docx' }],
    ['an empty file', { size: 0 }],
    ['a negative size', { size: -1 }],
    ['a key with ..', { key: 'uploads/../published/x' }],
    ['a key starting with /', { key: '/uploads/x' }],
    ['a key made from a Chinese file name', { key: 'uploads/实施方案.docx' }],
    ['an upper-case SHA-256', { sha256: 'A'.repeat(64) }],
    ['a short SHA-256', { sha256: 'a'.repeat(63) }],
  ] as const)('rejects %s', (_case, overrides) => {
    expect(DocumentRefSchema.safeParse({ ...aDocument(), ...overrides }).success).toBe(false);
  });
});

describe('SubmissionSchema', () => {
  it('accepts the builder’s draft and published submissions', () => {
    expect(SubmissionSchema.safeParse(aSubmission()).success).toBe(true);
    expect(SubmissionSchema.safeParse(aPublishedSubmission()).success).toBe(true);
  });

  it.each([
    ['revision 0', { revision: 0 }],
    ['an unknown status', { status: 'APPROVED' }],
    ['a malformed 索引号', { indexNumber: '2019-64' }],
    ['a timestamp without a time zone', { createdAt: '2019-07-19T01:00:00' }],
    ['updatedAt before createdAt', { updatedAt: '2019-07-18T01:00:00Z' }],
    ['a missing drafter', { drafter: undefined }],
  ] as const)('rejects %s', (_case, overrides) => {
    expect(SubmissionSchema.safeParse({ ...aSubmission(), ...overrides }).success).toBe(false);
  });

  it.each(['indexNumber', 'publishedAt', 'bundleId'] as const)(
    'rejects a published submission without %s',
    (key) => {
      const result = SubmissionSchema.safeParse(aPublishedSubmission({ [key]: undefined }));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([key]);
    },
  );
});

describe('AuditEventSchema', () => {
  it('accepts the builder’s event and a system step with structured detail', () => {
    expect(AuditEventSchema.safeParse(anAuditEvent()).success).toBe(true);
    const published = anAuditEvent({
      actor: { id: 'publish-function', role: 'system' },
      action: 'PUBLISHED',
      fromStatus: 'SCHEDULED',
      toStatus: 'PUBLISHED',
      detail: { indexNumber: '640100-141/2019-00064', bundleId: '01HZY8K3Q4M5N6P7R8S9T0V1B1' },
    });
    expect(AuditEventSchema.safeParse(published).success).toBe(true);
  });

  it('records an approval step without a status change', () => {
    const approved = anAuditEvent({
      actor: { id: 'approver-002', role: 'approver' },
      action: 'APPROVED',
      fromStatus: undefined,
      toStatus: undefined,
      detail: { reviewStepId: 'disclosure-review', reviewStepIndex: 0 },
    });
    expect(AuditEventSchema.safeParse(approved).success).toBe(true);
  });

  it('refuses free text in the detail, so no document text or personal data can be logged', () => {
    const leaky = { ...anAuditEvent(), detail: { comment: '申请人张三，身份证号……' } };
    expect(AuditEventSchema.safeParse(leaky).success).toBe(false);
    const sentence = { ...anAuditEvent(), detail: { errorName: '解析失败 张三' } };
    expect(AuditEventSchema.safeParse(sentence).success).toBe(false);
  });

  it('refuses an approval recorded for anyone but an approver (谁审查、谁负责)', () => {
    const forged = anAuditEvent({ action: 'APPROVED', fromStatus: undefined, toStatus: undefined });
    expect(AuditEventSchema.safeParse(forged).success).toBe(false);
  });

  it('refuses a status change the lifecycle forbids', () => {
    const skipped = anAuditEvent({ fromStatus: 'DRAFT', toStatus: 'PUBLISHED' });
    expect(AuditEventSchema.safeParse(skipped).success).toBe(false);
  });

  it('rejects an unknown action or actor role', () => {
    expect(AuditEventSchema.safeParse({ ...anAuditEvent(), action: 'DELETED' }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...anAuditEvent(), actor: { id: 'x', role: 'admin' } }).success).toBe(
      false,
    );
  });
});

describe('zodIssuesToViolations', () => {
  it('tells a missing field from a wrong one when given the input', () => {
    const input = { ...aMetadata(), title: undefined, issuingBody: 7 };
    const result = MetadataSchema.safeParse(input);
    const violations = zodIssuesToViolations(result.error?.issues ?? [], { input, pathPrefix: ['metadata'] });
    expect(violations).toEqual([
      { field: 'metadata.title', code: 'REQUIRED', message: '缺少「标题」，请填写。' },
      { field: 'metadata.issuingBody', code: 'INVALID_TYPE', message: '「发布机构」填写有误，应为文字。' },
    ]);
  });

  it('lists each unrecognised key as its own violation', () => {
    const result = AuditEventSchema.safeParse({ ...anAuditEvent(), detail: { a: 1, b: 2 } });
    const violations = zodIssuesToViolations(result.error?.issues ?? []);
    expect(violations.map((violation) => [violation.field, violation.code])).toEqual([
      ['detail.a', 'UNRECOGNIZED_FIELD'],
      ['detail.b', 'UNRECOGNIZED_FIELD'],
    ]);
  });

  it('names nested fields by their position', () => {
    expect(describeField(['metadata', 'reviewSteps', 1, 'approvers', 0, 'email'])).toBe(
      '第 2 个审查环节第 1 位审核人的「审核人邮箱」',
    );
    expect(describeField(['documents', 2])).toBe('第 3 个文件');
    expect(describeField(['metadata', 'writtenDate'])).toBe('「成文日期」');
  });
});

describe('newId', () => {
  it('returns distinct ULIDs that sort by creation time', () => {
    const ids = Array.from({ length: 100 }, () => newId());
    for (const id of ids) expect(IdSchema.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(100);
    const earlier = newId();
    expect(earlier.slice(0, 10) <= newId().slice(0, 10)).toBe(true);
  });
});
