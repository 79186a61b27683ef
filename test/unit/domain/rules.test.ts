import { describe, expect, it } from 'vitest';
import {
  assertValidSubmission,
  interpretationRefersToPolicy,
  SubmissionInvalidError,
  type SubmissionRuleViolation,
  validateSubmission,
} from '../../../shared/domain/index.js';
import {
  aDrafter,
  aMetadata,
  anApprover,
  anAttachment,
  anInterpretationDocument,
  aPolicyDocument,
  aReviewStep,
  aSubmission,
  aSubmissionDraft,
  IDS,
  SUBMITTED_AT,
} from '../../support/builders.js';

const options = { now: SUBMITTED_AT };
const codes = (violations: SubmissionRuleViolation[]) => violations.map((violation) => violation.code);
const only = (violations: SubmissionRuleViolation[], code: string) =>
  violations.filter((violation) => violation.code === code);

describe('validateSubmission: a valid submission', () => {
  it('accepts the default draft and the default full submission', () => {
    expect(validateSubmission(aSubmissionDraft(), options)).toEqual([]);
    expect(validateSubmission(aSubmission(), options)).toEqual([]);
  });

  it('accepts a submission without a 文号 or a planned release time', () => {
    const draft = aSubmissionDraft({ metadata: { documentNumber: undefined, plannedReleaseAt: undefined } });
    expect(validateSubmission(draft, options)).toEqual([]);
  });
});

describe('validateSubmission: 公开属性', () => {
  it('rejects a 依申请公开 submission without a reason', () => {
    const violations = validateSubmission(
      aSubmissionDraft({ metadata: { disclosure: { attribute: 'ON_REQUEST' } } }),
      options,
    );
    expect(violations).toEqual([
      expect.objectContaining({ field: 'metadata.disclosure.reason', code: 'DISCLOSURE_REASON_REQUIRED' }),
    ]);
    expect(violations[0]?.message).toContain('依申请公开');
  });

  it('rejects a reason that is only whitespace', () => {
    const draft = aSubmissionDraft({
      metadata: { disclosure: { attribute: 'ON_REQUEST', reason: ' \u3000 ' } },
    });
    expect(codes(validateSubmission(draft, options))).toEqual(['DISCLOSURE_REASON_REQUIRED']);
  });

  it('accepts a 依申请公开 submission with a reason and no legal basis', () => {
    const draft = aSubmissionDraft({
      metadata: { disclosure: { attribute: 'ON_REQUEST', reason: '仅涉及特定申请人，依申请提供' } },
    });
    expect(validateSubmission(draft, options)).toEqual([]);
  });

  it('rejects a 不予公开 submission without a legal basis', () => {
    const draft = aSubmissionDraft({
      metadata: { disclosure: { attribute: 'NOT_DISCLOSED', reason: '涉及国家秘密' } },
    });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({
        field: 'metadata.disclosure.legalBasis',
        code: 'DISCLOSURE_LEGAL_BASIS_REQUIRED',
      }),
    ]);
  });

  it('rejects a 不予公开 submission without a reason', () => {
    const draft = aSubmissionDraft({
      metadata: { disclosure: { attribute: 'NOT_DISCLOSED', legalBasis: '《政府信息公开条例》第十四条' } },
    });
    expect(codes(validateSubmission(draft, options))).toEqual(['DISCLOSURE_REASON_REQUIRED']);
  });

  it('accepts a 不予公开 submission with a reason and a legal basis', () => {
    const draft = aSubmissionDraft({
      metadata: {
        disclosure: {
          attribute: 'NOT_DISCLOSED',
          reason: '涉及国家秘密',
          legalBasis: '《政府信息公开条例》第十四条',
        },
      },
    });
    expect(validateSubmission(draft, options)).toEqual([]);
  });

  it('rejects a 删减后公开 submission that lists no removal', () => {
    for (const removals of [undefined, []]) {
      const draft = aSubmissionDraft({
        metadata: { disclosure: { attribute: 'AFTER_REDACTION', removals } },
      });
      expect(validateSubmission(draft, options)).toEqual([
        expect.objectContaining({ field: 'metadata.disclosure.removals', code: 'REMOVALS_REQUIRED' }),
      ]);
    }
  });

  it('rejects a removal that does not say what was removed or why', () => {
    const draft = aSubmissionDraft({
      metadata: {
        disclosure: {
          attribute: 'AFTER_REDACTION',
          removals: [
            { description: '附件2 中的企业报价', reason: '商业秘密' },
            { description: '', reason: '  ' },
          ],
        },
      },
    });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({
        field: 'metadata.disclosure.removals.1.description',
        code: 'REMOVAL_DESCRIPTION_REQUIRED',
      }),
      expect.objectContaining({
        field: 'metadata.disclosure.removals.1.reason',
        code: 'REMOVAL_REASON_REQUIRED',
      }),
    ]);
  });

  it('accepts a 删减后公开 submission whose removals say what and why', () => {
    const draft = aSubmissionDraft({
      metadata: {
        disclosure: {
          attribute: 'AFTER_REDACTION',
          removals: [{ description: '附件2 中的企业报价', reason: '商业秘密' }],
        },
      },
    });
    expect(validateSubmission(draft, options)).toEqual([]);
  });

  it('rejects removals on a submission that is not 删减后公开', () => {
    const draft = aSubmissionDraft({
      metadata: {
        disclosure: { attribute: 'PROACTIVE', removals: [{ description: '报价', reason: '商业秘密' }] },
      },
    });
    const violations = validateSubmission(draft, options);
    expect(codes(violations)).toEqual(['REMOVALS_NOT_EXPECTED']);
    expect(violations[0]?.message).toContain('删减后公开');
  });
});

describe('validateSubmission: 原文 and 解读', () => {
  it('rejects a submission without a policy document', () => {
    const draft = aSubmissionDraft({ documents: [anInterpretationDocument()] });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({ field: 'documents', code: 'POLICY_DOCUMENT_MISSING' }),
    ]);
  });

  it('rejects a submission with two policy documents', () => {
    const draft = aSubmissionDraft({
      documents: [aPolicyDocument(), aPolicyDocument({ id: IDS.attachment }), anInterpretationDocument()],
    });
    expect(codes(validateSubmission(draft, options))).toEqual(['POLICY_DOCUMENT_MULTIPLE']);
  });

  it('rejects a policy submitted without any interpretation (谁起草、谁解读)', () => {
    const violations = validateSubmission(
      aSubmissionDraft({ documents: [aPolicyDocument(), anAttachment()] }),
      options,
    );
    expect(codes(violations)).toEqual(['INTERPRETATION_MISSING']);
    expect(violations[0]?.message).toContain('谁起草、谁解读');
  });

  it('rejects an empty document list with both problems at once', () => {
    expect(codes(validateSubmission(aSubmissionDraft({ documents: [] }), options))).toEqual([
      'POLICY_DOCUMENT_MISSING',
      'INTERPRETATION_MISSING',
    ]);
  });

  it('accepts several interpretations and attachments', () => {
    const draft = aSubmissionDraft({
      documents: [
        aPolicyDocument(),
        anInterpretationDocument(),
        anInterpretationDocument({
          id: IDS.secondInterpretation,
          contentType: 'image/png',
          fileName: '图解.png',
        }),
        anAttachment(),
      ],
    });
    expect(validateSubmission(draft, options)).toEqual([]);
  });

  it('rejects two documents with the same id', () => {
    const draft = aSubmissionDraft({
      documents: [aPolicyDocument(), anInterpretationDocument(), anAttachment({ id: IDS.policy })],
    });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({ field: 'documents.2.id', code: 'DOCUMENT_ID_DUPLICATE' }),
    ]);
  });

  it('rejects an interpretation whose text names neither the policy title nor its 文号', () => {
    const violations = validateSubmission(aSubmissionDraft(), {
      ...options,
      interpretationTexts: { [IDS.interpretation]: '本解读介绍了另一份文件的主要内容。' },
    });
    expect(violations).toEqual([
      expect.objectContaining({ field: 'documents.1', code: 'INTERPRETATION_NOT_LINKED' }),
    ]);
  });

  it('accepts an interpretation that names the policy by its title in 书名号', () => {
    const violations = validateSubmission(aSubmissionDraft(), {
      ...options,
      interpretationTexts: {
        [IDS.interpretation]: '关于《银川市大数据产业发展服务中心2019年政务公开实施方案》的解读',
      },
    });
    expect(violations).toEqual([]);
  });

  it('does not check interpretations whose text it was not given', () => {
    expect(validateSubmission(aSubmissionDraft(), { ...options, interpretationTexts: {} })).toEqual([]);
  });
});

describe('interpretationRefersToPolicy', () => {
  const title = '银川市2019年政务公开工作要点';

  it('finds the title with or without 书名号 and across whitespace and line breaks', () => {
    expect(interpretationRefersToPolicy(title, undefined, '《银川市2019年政务公开工作要点》解读')).toBe(true);
    expect(interpretationRefersToPolicy(title, undefined, '银川市 2019 年\n政务公开工作要点 政策问答')).toBe(
      true,
    );
    expect(interpretationRefersToPolicy(`《${title}》`, undefined, `${title}解读`)).toBe(true);
  });

  it.each([
    '根据银政办发〔2019〕76号文件',
    '根据银政办发[2019]76号文件',
    '根据银政办发（2019）76号文件',
    '根据银政办发(2019)76号文件',
    '根据银政办发【2019】76号文件',
    '根据银政办发［２０１９］７６号文件',
  ])('finds the 文号 whatever its bracket style: %s', (text) => {
    expect(interpretationRefersToPolicy('另一个标题', '银政办发〔2019〕76号', text)).toBe(true);
  });

  it('finds a 文号 that was itself written with square brackets', () => {
    expect(interpretationRefersToPolicy('另一个标题', '银政办发[2019]76号', '依据银政办发〔2019〕76号')).toBe(
      true,
    );
  });

  it('does not match another number or another title', () => {
    expect(interpretationRefersToPolicy(title, '银政办发〔2019〕76号', '根据银政办发〔2019〕77号')).toBe(
      false,
    );
    expect(interpretationRefersToPolicy(title, undefined, '银川市2018年政务公开工作要点')).toBe(false);
  });

  it('never matches on an empty title', () => {
    expect(interpretationRefersToPolicy('《 》', undefined, '任何文字')).toBe(false);
    expect(interpretationRefersToPolicy('', '', '任何文字')).toBe(false);
  });
});

describe('validateSubmission: review', () => {
  it('rejects the drafter as an approver of their own submission, by id', () => {
    const draft = aSubmissionDraft({
      metadata: {
        reviewSteps: [aReviewStep({ approvers: [anApprover(), anApprover({ id: 'drafter-001' })] })],
      },
    });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({ field: 'metadata.reviewSteps.0.approvers.1', code: 'APPROVER_IS_DRAFTER' }),
    ]);
  });

  it('rejects the drafter as an approver by email, ignoring case', () => {
    const draft = aSubmissionDraft({
      metadata: {
        reviewSteps: [aReviewStep({ approvers: [anApprover({ email: 'LiWen@Example.gov.cn' })] })],
      },
    });
    expect(codes(validateSubmission(draft, options))).toEqual(['APPROVER_IS_DRAFTER']);
  });

  it('rejects the drafter as an approver by id, ignoring case', () => {
    const draft = aSubmissionDraft({
      drafter: aDrafter({ id: 'User-7' }),
      metadata: { reviewSteps: [aReviewStep({ approvers: [anApprover({ id: 'user-7' })] })] },
    });
    expect(codes(validateSubmission(draft, options))).toEqual(['APPROVER_IS_DRAFTER']);
  });

  it('does not quote the drafter’s name or email when refusing them as approver', () => {
    const draft = aSubmissionDraft({ metadata: { reviewSteps: [aReviewStep({ approvers: [aDrafter()] })] } });
    const [violation] = validateSubmission(draft, options);
    expect(violation?.message).not.toContain('李文');
    expect(violation?.message).not.toContain('liwen@example.gov.cn');
  });

  it('rejects two review steps with the same id', () => {
    const draft = aSubmissionDraft({ metadata: { reviewSteps: [aReviewStep(), aReviewStep()] } });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({ field: 'metadata.reviewSteps.1.id', code: 'REVIEW_STEP_ID_DUPLICATE' }),
    ]);
  });
});

describe('validateSubmission: dates', () => {
  it('rejects a planned release time in the past', () => {
    const draft = aSubmissionDraft({ metadata: { plannedReleaseAt: '2019-07-19T09:00:00+08:00' } });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({ field: 'metadata.plannedReleaseAt', code: 'PLANNED_RELEASE_IN_PAST' }),
    ]);
  });

  it('accepts a planned release time in the future', () => {
    const draft = aSubmissionDraft({ metadata: { plannedReleaseAt: '2019-07-22T09:00:00+08:00' } });
    expect(validateSubmission(draft, options)).toEqual([]);
  });

  it('rejects a 成文日期 after today in Beijing', () => {
    const draft = aSubmissionDraft({ metadata: { writtenDate: '2019-07-20' } });
    expect(validateSubmission(draft, options)).toEqual([
      expect.objectContaining({ field: 'metadata.writtenDate', code: 'WRITTEN_DATE_IN_FUTURE' }),
    ]);
  });

  it('accepts a 成文日期 that is today in Beijing though still yesterday in UTC', () => {
    const draft = aSubmissionDraft({ metadata: { writtenDate: '2019-07-20' } });
    expect(validateSubmission(draft, { now: new Date('2019-07-19T16:30:00Z') })).toEqual([]);
  });
});

describe('validateSubmission: privacy exemption', () => {
  it('rejects a 惩戒公示 exemption without its basis', () => {
    const draft = aSubmissionDraft({
      metadata: { privacyExemption: { kind: 'punishment-publicity', basis: ' ' } },
    });
    const violations = validateSubmission(draft, options);
    expect(violations).toEqual([
      expect.objectContaining({
        field: 'metadata.privacyExemption.basis',
        code: 'PRIVACY_EXEMPTION_BASIS_REQUIRED',
      }),
    ]);
    expect(violations[0]?.message).toContain('惩戒公示');
  });

  it('accepts a 强制性信息披露 exemption with its basis', () => {
    const draft = aSubmissionDraft({
      metadata: {
        privacyExemption: { kind: 'mandatory-disclosure', basis: '《企业信息公示暂行条例》第十条' },
      },
    });
    expect(validateSubmission(draft, options)).toEqual([]);
  });
});

describe('validateSubmission: malformed input', () => {
  it('reports a missing title in Chinese, at its path', () => {
    const violations = validateSubmission(aSubmissionDraft({ metadata: { title: undefined } }), options);
    expect(violations).toEqual([
      { field: 'metadata.title', code: 'REQUIRED', message: '缺少「标题」，请填写。' },
    ]);
  });

  it('reports a malformed 文号 with an example of the right form', () => {
    const violations = validateSubmission(
      aSubmissionDraft({ metadata: { documentNumber: '76号' } }),
      options,
    );
    expect(violations).toEqual([
      expect.objectContaining({ field: 'metadata.documentNumber', code: 'INVALID_FORMAT' }),
    ]);
    expect(violations[0]?.message).toContain('银政办发〔2019〕76号');
  });

  it('says which approver has a malformed email', () => {
    const draft = aSubmissionDraft({
      metadata: {
        reviewSteps: [aReviewStep({ approvers: [anApprover(), anApprover({ email: 'not-an-email' })] })],
      },
    });
    const violations = validateSubmission(draft, options);
    expect(violations).toEqual([
      expect.objectContaining({ field: 'metadata.reviewSteps.0.approvers.1.email', code: 'INVALID_FORMAT' }),
    ]);
    expect(violations[0]?.message).toContain('第 1 个审查环节第 2 位审核人');
  });

  it('still applies the rules to the parts that are well formed', () => {
    const draft = aSubmissionDraft({
      metadata: { documentNumber: 'bad', disclosure: { attribute: 'NOT_DISCLOSED', reason: '涉密' } },
      documents: [anInterpretationDocument()],
    });
    expect(codes(validateSubmission(draft, options)).sort()).toEqual([
      'DISCLOSURE_LEGAL_BASIS_REQUIRED',
      'INVALID_FORMAT',
      'POLICY_DOCUMENT_MISSING',
    ]);
  });

  it.each([null, 'text', 42, []])('rejects %j as a submission', (input) => {
    const violations = validateSubmission(input, options);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations[0]?.message).toMatch(/\p{Script=Han}/u);
  });

  it('reports every missing part of an empty object', () => {
    expect(validateSubmission({}, options).map((violation) => violation.field)).toEqual([
      'drafter',
      'metadata',
      'documents',
    ]);
  });

  it('writes every message in Chinese', () => {
    const draft = {
      drafter: { id: '', name: 1, email: 'x' },
      metadata: aMetadata({ writtenDate: '2019-02-30', bodyCode: '640100/141', reviewSteps: [] }),
      documents: [{ ...aPolicyDocument(), size: 0, role: 'appendix' }],
    };
    const violations = validateSubmission(draft, options);
    expect(violations.length).toBeGreaterThanOrEqual(6);
    for (const violation of violations) expect(violation.message).toMatch(/\p{Script=Han}/u);
  });
});

describe('assertValidSubmission', () => {
  it('returns the parsed draft, with the 文号 brackets normalised', () => {
    const draft = assertValidSubmission(
      aSubmissionDraft({ metadata: { documentNumber: '银大数发[2019]12号' } }),
      options,
    );
    expect(draft.metadata.documentNumber).toBe('银大数发〔2019〕12号');
  });

  it('throws SubmissionInvalidError carrying every violation', () => {
    const input = aSubmissionDraft({ documents: [], metadata: { disclosure: { attribute: 'ON_REQUEST' } } });
    try {
      assertValidSubmission(input, options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SubmissionInvalidError);
      const invalid = error as SubmissionInvalidError;
      expect(invalid.name).toBe('SubmissionInvalidError');
      expect(invalid.httpStatus).toBe(400);
      expect(codes([...invalid.violations])).toEqual([
        'DISCLOSURE_REASON_REQUIRED',
        'POLICY_DOCUMENT_MISSING',
        'INTERPRETATION_MISSING',
      ]);
      expect(invalid.message).toContain('3 处需要修改');
    }
  });
});

describe('Builders', () => {
  it('produce data that passes every rule', () => {
    expect(only(validateSubmission(aSubmission(), options), 'REQUIRED')).toEqual([]);
    expect(validateSubmission(aSubmission({ status: 'IN_REVIEW' }), options)).toEqual([]);
  });
});
