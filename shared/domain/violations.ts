import type * as z from 'zod/mini';

/** One thing wrong with a submission, said in the drafter's terms. */
export interface SubmissionRuleViolation {
  /** Dotted path of the field, e.g. `metadata.disclosure.reason` or `metadata.reviewSteps.0.approvers.1.email`. */
  field: string;
  /** Stable, English, machine-readable. */
  code: string;
  /** Chinese: what was wrong and what to do. Never quotes document text or personal data. */
  message: string;
}

/** Labels of fields, keyed by dotted path with array indices written as `*`. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  drafter: '起草人',
  'drafter.id': '起草人编号',
  'drafter.name': '起草人姓名',
  'drafter.email': '起草人邮箱',
  metadata: '元数据',
  'metadata.title': '标题',
  'metadata.issuingBody': '发布机构',
  'metadata.responsibleDepartment': '责任部门',
  'metadata.documentNumber': '文号',
  'metadata.writtenDate': '成文日期',
  'metadata.subjectCategory': '主题分类',
  'metadata.firstInterpreter': '第一解读人',
  'metadata.firstInterpreter.name': '第一解读人姓名',
  'metadata.firstInterpreter.position': '第一解读人职务',
  'metadata.plannedReleaseAt': '计划发布时间',
  'metadata.disclosure': '公开属性信息',
  'metadata.disclosure.attribute': '公开属性',
  'metadata.disclosure.reason': '理由',
  'metadata.disclosure.legalBasis': '法律依据',
  'metadata.disclosure.removals': '删减清单',
  'metadata.disclosure.removals.*.description': '删减内容',
  'metadata.disclosure.removals.*.reason': '删减理由',
  'metadata.privacyExemption': '隐私豁免',
  'metadata.privacyExemption.kind': '豁免类型',
  'metadata.privacyExemption.basis': '豁免依据',
  'metadata.bodyCode': '机构代码',
  'metadata.reviewSteps': '审查环节',
  'metadata.reviewSteps.*.id': '环节编号',
  'metadata.reviewSteps.*.name': '环节名称',
  'metadata.reviewSteps.*.approvers': '审核人',
  'metadata.reviewSteps.*.approvers.*.id': '审核人编号',
  'metadata.reviewSteps.*.approvers.*.name': '审核人姓名',
  'metadata.reviewSteps.*.approvers.*.email': '审核人邮箱',
  'metadata.reviewSteps.*.timeoutHours': '审查时限',
  documents: '文件',
  'documents.*.id': '文件编号',
  'documents.*.role': '文件类型',
  'documents.*.fileName': '文件名',
  'documents.*.contentType': '文件格式',
  'documents.*.size': '文件大小',
  'documents.*.key': '存储路径',
  'documents.*.sha256': '文件校验值',
  'documents.*.title': '文件标题',
  id: '编号',
  revision: '修订版本',
  status: '状态',
  createdAt: '创建时间',
  updatedAt: '更新时间',
  returnedComment: '退回意见',
  indexNumber: '索引号',
  bundleId: '发布包编号',
  publishedAt: '发布日期',
};

/** How the elements of each array are counted in Chinese ("第 2 位审核人"). */
const ARRAY_NOUNS: Readonly<Record<string, string>> = {
  reviewSteps: '个审查环节',
  approvers: '位审核人',
  removals: '项删减',
  documents: '个文件',
};

type PathSegment = PropertyKey;

/** Dotted form of a path: `['metadata', 'reviewSteps', 0]` → `metadata.reviewSteps.0`. */
export function fieldPath(path: readonly PathSegment[]): string {
  return path.map(String).join('.');
}

/** Where in the arrays `path` points: `第 1 个审查环节第 2 位审核人`, or '' outside any array. */
function describePosition(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment !== 'number') return '';
      const noun = ARRAY_NOUNS[String(path[index - 1])] ?? '项';
      return `第 ${segment + 1} ${noun}`;
    })
    .join('');
}

/** The Chinese name of the field at `path`, with its position in arrays: `第 1 个审查环节第 2 位审核人的「审核人邮箱」`. */
export function describeField(path: readonly PathSegment[]): string {
  const pattern = path.map((segment) => (typeof segment === 'number' ? '*' : String(segment))).join('.');
  const last = path.findLast((segment) => typeof segment !== 'number');
  const label = FIELD_LABELS[pattern] ?? (last === undefined ? '提交内容' : String(last));
  const position = describePosition(path);
  if (position === '') return `「${label}」`;
  // The path may end at the element itself (e.g. a whole approver): then the position is the name.
  return typeof path.at(-1) === 'number' ? position : `${position}的「${label}」`;
}

const FORMAT_HINTS: Readonly<Record<string, string>> = {
  email: '应为邮箱地址，例如 name@example.gov.cn',
  date: '应为日期，格式 YYYY-MM-DD，例如 2019-07-19',
  datetime: '应为时间，例如 2019-07-19T09:00:00+08:00',
  ulid: '应为系统生成的编号',
  regex: '格式不正确',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是/否',
  object: '一组字段',
  array: '列表',
};

const HAN = /\p{Script=Han}/u;

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function sentence(text: string): string {
  return /[。！？]$/.test(text) ? text : `${text}。`;
}

/**
 * Converts zod issues into {@link SubmissionRuleViolation}s with Chinese messages.
 *
 * @param issues the issues of a failed `safeParse`
 * @param options.input the value that was parsed: lets a missing field be told apart from a wrong one
 * @param options.pathPrefix prepended to every path, when a part was parsed on its own
 */
export function zodIssuesToViolations(
  issues: readonly z.core.$ZodIssue[],
  options: { input?: unknown; pathPrefix?: readonly PathSegment[] } = {},
): SubmissionRuleViolation[] {
  const prefix = options.pathPrefix ?? [];
  return issues.flatMap((issue): SubmissionRuleViolation[] => {
    const path = [...prefix, ...issue.path];
    const field = fieldPath(path);
    const name = describeField(path);
    const custom = HAN.test(issue.message);
    const inputKnown = 'input' in options;
    switch (issue.code) {
      case 'invalid_type': {
        if (inputKnown && valueAt(options.input, issue.path) === undefined) {
          return [{ field, code: 'REQUIRED', message: `缺少${name}，请填写。` }];
        }
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        return [{ field, code: 'INVALID_TYPE', message: `${name}填写有误，应为${expected}。` }];
      }
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          field: fieldPath([...path, key]),
          code: 'UNRECOGNIZED_FIELD',
          message: `不认识的字段「${key}」，请删除。`,
        }));
      default:
        break;
    }
    const code = issue.code === 'custom' ? 'INVALID' : issue.code.toUpperCase();
    if (custom) {
      // Schema messages name the field already; add the array position when there is one.
      const position = describePosition(path);
      return [
        { field, code, message: sentence(position === '' ? issue.message : `${position}：${issue.message}`) },
      ];
    }
    switch (issue.code) {
      case 'too_small':
        return [
          {
            field,
            code,
            message:
              issue.origin === 'array'
                ? `${name}至少需要 ${issue.minimum} 项。`
                : issue.origin === 'string'
                  ? `${name}不能为空，请填写。`
                  : `${name}不能小于 ${issue.minimum}。`,
          },
        ];
      case 'too_big':
        return [
          {
            field,
            code,
            message:
              issue.origin === 'array'
                ? `${name}最多 ${issue.maximum} 项。`
                : issue.origin === 'string'
                  ? `${name}不能超过 ${issue.maximum} 个字。`
                  : `${name}不能大于 ${issue.maximum}。`,
          },
        ];
      case 'invalid_format':
        return [{ field, code, message: `${name}${FORMAT_HINTS[issue.format] ?? '格式不正确'}。` }];
      case 'invalid_value':
        return [
          { field, code, message: `${name}的取值无效，应为 ${issue.values.map(String).join('、')} 之一。` },
        ];
      default:
        return [{ field, code, message: `${name}填写有误，请检查。` }];
    }
  });
}
