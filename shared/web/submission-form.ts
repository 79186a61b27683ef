import { createHash } from 'node:crypto';
import {
  DISCLOSURE_ATTRIBUTE_LABELS,
  DISCLOSURE_ATTRIBUTES,
  type DocumentRole,
  type Metadata,
  PRIVACY_EXEMPTION_LABELS,
  REVIEW_STEP_NAMES,
  type SubmissionRuleViolation,
} from '../domain/index.js';
import { html, type SafeHtml } from '../http/html.js';
import { link, type WebPageOptions } from './layout.js';

/**
 * The submission form: its fields (named by the dotted path of the value they fill, so a rule
 * violation's `field` finds its input), the conversion between the form and the JSON body the
 * create/revision use cases take, and the HTML. No rule is checked here: the use cases check
 * everything and this module only puts their messages next to the right input.
 */

/** The form's values by input name (`metadata.title`, `metadata.reviewSteps.0.approvers.1.email` …). */
export type FormValues = Readonly<Record<string, string>>;

/** One uploaded file of the form. */
export interface FormFile {
  role: DocumentRole;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Rows the form offers (no script: a fixed number, empty rows are ignored). */
export const REVIEW_STEP_ROWS = 3;
export const APPROVER_ROWS = 2;
export const REMOVAL_ROWS = 3;

/** Most bytes of files one form may carry: Lambda's 6 MB payload, less base64 and the rest of the form. */
export const MAX_FORM_FILE_BYTES = 4 * 1024 * 1024;

/** Default time limit of a review step, in hours. */
const DEFAULT_TIMEOUT_HOURS = '72';

/** Input names of the file fields, by role. */
const FILE_INPUTS: Readonly<Record<DocumentRole, string>> = {
  policy: 'documents.policy',
  interpretation: 'documents.interpretation',
  attachment: 'documents.attachment',
};

/** The id of the input named `name`. */
export function inputId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** Values of an empty form: two conventional review steps, 主动公开. */
export function emptyFormValues(): FormValues {
  const values: Record<string, string> = { 'metadata.disclosure.attribute': 'PROACTIVE' };
  for (let step = 0; step < REVIEW_STEP_ROWS; step += 1) {
    values[`metadata.reviewSteps.${step}.name`] = step === 0 ? '公开审查' : step === 1 ? '审签' : '';
    values[`metadata.reviewSteps.${step}.timeoutHours`] = step < 2 ? DEFAULT_TIMEOUT_HOURS : '';
  }
  return values;
}

const BEIJING_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a `datetime-local` value in 北京时间. */
function beijingLocal(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const part = (type: string) => BEIJING_PARTS.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** The form filled with a revision's metadata (the resubmit form). Files are chosen anew. */
export function formValuesFromMetadata(metadata: Metadata): FormValues {
  const values: Record<string, string> = {
    'metadata.title': metadata.title,
    'metadata.issuingBody': metadata.issuingBody,
    'metadata.responsibleDepartment': metadata.responsibleDepartment,
    'metadata.documentNumber': metadata.documentNumber ?? '',
    'metadata.writtenDate': metadata.writtenDate,
    'metadata.subjectCategory': metadata.subjectCategory,
    'metadata.firstInterpreter.name': metadata.firstInterpreter.name,
    'metadata.firstInterpreter.position': metadata.firstInterpreter.position,
    'metadata.plannedReleaseAt':
      metadata.plannedReleaseAt === undefined ? '' : beijingLocal(metadata.plannedReleaseAt),
    'metadata.disclosure.attribute': metadata.disclosure.attribute,
    'metadata.disclosure.reason': metadata.disclosure.reason ?? '',
    'metadata.disclosure.legalBasis': metadata.disclosure.legalBasis ?? '',
    'metadata.privacyExemption.kind': metadata.privacyExemption?.kind ?? '',
    'metadata.privacyExemption.basis': metadata.privacyExemption?.basis ?? '',
    'metadata.bodyCode': metadata.bodyCode,
  };
  (metadata.disclosure.removals ?? []).slice(0, REMOVAL_ROWS).forEach((removal, index) => {
    values[`metadata.disclosure.removals.${index}.description`] = removal.description;
    values[`metadata.disclosure.removals.${index}.reason`] = removal.reason;
  });
  metadata.reviewSteps.slice(0, REVIEW_STEP_ROWS).forEach((step, index) => {
    values[`metadata.reviewSteps.${index}.name`] = step.name;
    values[`metadata.reviewSteps.${index}.timeoutHours`] = String(step.timeoutHours);
    step.approvers.slice(0, APPROVER_ROWS).forEach((approver, approverIndex) => {
      values[`metadata.reviewSteps.${index}.approvers.${approverIndex}.name`] = approver.name;
      values[`metadata.reviewSteps.${index}.approvers.${approverIndex}.email`] = approver.email;
    });
  });
  return values;
}

/** The text values of a submitted form (files are read by {@link readFormFiles}). */
export function readFormValues(data: FormData): FormValues {
  const values: Record<string, string> = {};
  for (const [name, value] of data.entries()) {
    // A repeated name keeps its first value; over-long names and values are cut, never trusted.
    if (typeof value === 'string' && values[name] === undefined && name.length <= 100)
      values[name] = value.slice(0, 10_000);
  }
  return values;
}

/** The form's files with their bytes, in the body's document order: the 原文, the 解读, then attachments. */
export async function readFormFiles(data: FormData): Promise<FormFile[]> {
  const files: FormFile[] = [];
  for (const [role, name] of Object.entries(FILE_INPUTS) as [DocumentRole, string][]) {
    for (const entry of data.getAll(name)) {
      if (typeof entry === 'string') continue;
      if (entry.name === '' && entry.size === 0) continue;
      files.push({
        role,
        fileName: entry.name,
        contentType: entry.type,
        bytes: new Uint8Array(await entry.arrayBuffer()),
      });
    }
  }
  return files;
}

/** Where each item of the body's arrays came from in the form (empty rows are left out of the body). */
interface RowMap {
  steps: number[];
  approvers: number[][];
  removals: number[];
}

/** The form as the JSON body of `createSubmission`/`createRevision`, and where each array item came from. */
export interface FormBody {
  body: { metadata: Record<string, unknown>; documents: Record<string, unknown>[]; revision?: number };
  rows: RowMap;
  files: readonly FormFile[];
}

function trimmed(values: FormValues, name: string): string {
  return (values[name] ?? '').trim();
}

/** A stable approver id from the e-mail address: the form asks people for names and addresses, not ids. */
export function approverIdFor(email: string): string {
  return `approver-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}

/** `2019-07-19T09:00` (北京时间, from a `datetime-local` input) as an instant with its offset. */
function plannedRelease(value: string): string | undefined {
  if (value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00+08:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) return `${value}+08:00`;
  return value;
}

function hours(value: string): unknown {
  if (value === '') return undefined;
  return /^\d{1,6}$/.test(value) ? Number(value) : value;
}

/**
 * The JSON body the use cases take. Values are passed as typed, unchecked (the schema reports each
 * problem at its path); empty optional fields and empty rows are left out.
 */
export function formBody(values: FormValues, files: readonly FormFile[]): FormBody {
  const rows: RowMap = { steps: [], approvers: [], removals: [] };
  const optional = (name: string) => {
    const value = trimmed(values, name);
    return value === '' ? undefined : value;
  };
  const required = (name: string) => trimmed(values, name);
  const metadata: Record<string, unknown> = {
    title: required('metadata.title'),
    issuingBody: required('metadata.issuingBody'),
    responsibleDepartment: required('metadata.responsibleDepartment'),
    documentNumber: optional('metadata.documentNumber'),
    writtenDate: required('metadata.writtenDate'),
    subjectCategory: required('metadata.subjectCategory'),
    firstInterpreter: {
      name: required('metadata.firstInterpreter.name'),
      position: required('metadata.firstInterpreter.position'),
    },
    plannedReleaseAt: plannedRelease(required('metadata.plannedReleaseAt')),
    bodyCode: required('metadata.bodyCode'),
  };
  const removals: Record<string, string>[] = [];
  for (let index = 0; index < REMOVAL_ROWS; index += 1) {
    const description = required(`metadata.disclosure.removals.${index}.description`);
    const reason = required(`metadata.disclosure.removals.${index}.reason`);
    if (description === '' && reason === '') continue;
    rows.removals.push(index);
    removals.push({ description, reason });
  }
  metadata.disclosure = {
    attribute: optional('metadata.disclosure.attribute'),
    reason: optional('metadata.disclosure.reason'),
    legalBasis: optional('metadata.disclosure.legalBasis'),
    ...(removals.length === 0 ? {} : { removals }),
  };
  const exemption = optional('metadata.privacyExemption.kind');
  if (exemption !== undefined) {
    metadata.privacyExemption = { kind: exemption, basis: required('metadata.privacyExemption.basis') };
  }
  const steps: Record<string, unknown>[] = [];
  for (let index = 0; index < REVIEW_STEP_ROWS; index += 1) {
    const prefix = `metadata.reviewSteps.${index}`;
    const approvers: Record<string, string>[] = [];
    const approverRows: number[] = [];
    for (let person = 0; person < APPROVER_ROWS; person += 1) {
      const name = required(`${prefix}.approvers.${person}.name`);
      const email = required(`${prefix}.approvers.${person}.email`);
      if (name === '' && email === '') continue;
      approverRows.push(person);
      approvers.push({
        id: email === '' ? `approver-missing-email-${index + 1}-${person + 1}` : approverIdFor(email),
        name,
        email,
      });
    }
    const name = required(`${prefix}.name`);
    if (name === '' && approvers.length === 0) continue;
    rows.steps.push(index);
    rows.approvers.push(approverRows);
    steps.push({
      id: `step-${index + 1}`,
      name,
      approvers,
      timeoutHours: hours(required(`${prefix}.timeoutHours`)),
    });
  }
  metadata.reviewSteps = steps;
  const documents = files.map((file) => ({
    role: file.role,
    fileName: file.fileName,
    contentType: file.contentType === '' ? 'application/octet-stream' : file.contentType,
    size: file.bytes.byteLength,
  }));
  const revision = /^\d{1,6}$/.test(trimmed(values, 'revision'))
    ? Number(trimmed(values, 'revision'))
    : undefined;
  return { body: { metadata, documents, ...(revision === undefined ? {} : { revision }) }, rows, files };
}

/** Input names in the order the form renders them (the error summary follows it too). */
export function renderedInputNames(): string[] {
  const names = [
    'metadata.title',
    'metadata.issuingBody',
    'metadata.responsibleDepartment',
    'metadata.documentNumber',
    'metadata.writtenDate',
    'metadata.subjectCategory',
    'metadata.bodyCode',
    'metadata.firstInterpreter.name',
    'metadata.firstInterpreter.position',
    'metadata.plannedReleaseAt',
    'metadata.disclosure.attribute',
    'metadata.disclosure.reason',
    'metadata.disclosure.legalBasis',
  ];
  for (let index = 0; index < REMOVAL_ROWS; index += 1) {
    names.push(
      `metadata.disclosure.removals.${index}.description`,
      `metadata.disclosure.removals.${index}.reason`,
    );
  }
  names.push('metadata.privacyExemption.kind', 'metadata.privacyExemption.basis');
  for (let index = 0; index < REVIEW_STEP_ROWS; index += 1) {
    names.push(`metadata.reviewSteps.${index}.name`, `metadata.reviewSteps.${index}.timeoutHours`);
    for (let person = 0; person < APPROVER_ROWS; person += 1) {
      names.push(
        `metadata.reviewSteps.${index}.approvers.${person}.name`,
        `metadata.reviewSteps.${index}.approvers.${person}.email`,
      );
    }
  }
  names.push(FILE_INPUTS.policy, FILE_INPUTS.interpretation, FILE_INPUTS.attachment);
  return names;
}

/** A body path translated to the form's rows: `metadata.reviewSteps.0…` of the body may be row 2 of the form. */
function toFormPath(field: string, form: Pick<FormBody, 'rows' | 'files'> | undefined): string[] {
  const segments = field.split('.');
  if (form === undefined) return segments;
  if (segments[0] === 'metadata' && segments[1] === 'reviewSteps' && segments[2] !== undefined) {
    const body = Number(segments[2]);
    const row = form.rows.steps[body];
    if (row !== undefined) {
      segments[2] = String(row);
      if (segments[3] === 'approvers' && segments[4] !== undefined) {
        const person = form.rows.approvers[body]?.[Number(segments[4])];
        if (person !== undefined) segments[4] = String(person);
      }
    }
  }
  if (segments[0] === 'metadata' && segments[1] === 'disclosure' && segments[2] === 'removals') {
    const row = segments[3] === undefined ? undefined : form.rows.removals[Number(segments[3])];
    if (row !== undefined) segments[3] = String(row);
  }
  if (segments[0] === 'documents' && segments[1] !== undefined && /^\d+$/.test(segments[1])) {
    const file = form.files[Number(segments[1])];
    return file === undefined ? ['documents'] : [FILE_INPUTS[file.role]];
  }
  return segments;
}

const DOCUMENT_CODES: Readonly<Record<string, string>> = {
  INTERPRETATION_MISSING: FILE_INPUTS.interpretation,
  INTERPRETATION_NOT_LINKED: FILE_INPUTS.interpretation,
};

/**
 * The input a violation concerns: the input of its path, or the nearest enclosing one, or the first
 * input inside it (a whole approver → that approver's name). `undefined` when no input fits: the
 * message then appears in the error summary only.
 */
export function inputForViolation(
  violation: SubmissionRuleViolation,
  form?: Pick<FormBody, 'rows' | 'files'>,
): string | undefined {
  const names = renderedInputNames();
  if (violation.field === 'documents') return DOCUMENT_CODES[violation.code] ?? FILE_INPUTS.policy;
  const segments = toFormPath(violation.field, form);
  for (let length = segments.length; length > 0; length -= 1) {
    const path = segments.slice(0, length).join('.');
    if (names.includes(path)) return path;
    const inside = names.find((name) => name.startsWith(`${path}.`));
    if (inside !== undefined) return inside;
  }
  return undefined;
}

/** What the form shows besides the values. */
export interface SubmissionFormView {
  heading: string;
  /** The form's `action`. */
  action: string;
  values: FormValues;
  violations: readonly SubmissionRuleViolation[];
  /** The body the violations were found in (to map array rows and documents back to inputs). */
  form?: Pick<FormBody, 'rows' | 'files'>;
  formToken: string;
  /** The revision being corrected (resubmit form). */
  revision?: number;
  /** A problem with the request as a whole (e.g. files too large), shown in the summary. */
  formError?: string;
  options: WebPageOptions;
}

interface FieldErrors {
  byInput: Map<string, string[]>;
  summary: { message: string; input: string | undefined }[];
}

function errorsOf(view: SubmissionFormView): FieldErrors {
  const byInput = new Map<string, string[]>();
  const summary: FieldErrors['summary'] = [];
  for (const violation of view.violations) {
    const input = inputForViolation(violation, view.form);
    summary.push({ message: violation.message, input });
    if (input !== undefined) byInput.set(input, [...(byInput.get(input) ?? []), violation.message]);
  }
  const order = renderedInputNames();
  summary.sort(
    (a, b) =>
      (a.input === undefined ? order.length : order.indexOf(a.input)) -
      (b.input === undefined ? order.length : order.indexOf(b.input)),
  );
  return { byInput, summary };
}

interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'date' | 'datetime-local' | 'number' | 'textarea' | 'file';
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  multiple?: boolean;
  accept?: string;
  min?: number;
  max?: number;
}

const ACCEPT = '.docx,.txt,.md,.markdown,.html,.htm';

function field(spec: FieldSpec, view: SubmissionFormView, errors: FieldErrors): SafeHtml {
  const id = inputId(spec.name);
  const messages = errors.byInput.get(spec.name) ?? [];
  const hintId = spec.hint === undefined ? undefined : `${id}-hint`;
  const errorId = messages.length === 0 ? undefined : `${id}-error`;
  const describedBy = [errorId, hintId].filter((value) => value !== undefined).join(' ');
  const value = view.values[spec.name] ?? '';
  const type = spec.type ?? 'text';
  const common = html` id="${id}" name="${spec.name}"${describedBy === '' ? '' : html` aria-describedby="${describedBy}"`}${
    messages.length === 0 ? '' : html` aria-invalid="true"`
  }${spec.required ? html` required aria-required="true"` : ''}${spec.autocomplete === undefined ? '' : html` autocomplete="${spec.autocomplete}"`}`;
  const control =
    type === 'textarea'
      ? html`<textarea${common} rows="3" maxlength="1000">${value}</textarea>`
      : type === 'file'
        ? html`<input type="file"${common}${spec.multiple ? html` multiple` : ''} accept="${spec.accept ?? ACCEPT}">`
        : html`<input type="${type}"${common} value="${value}"${spec.min === undefined ? '' : html` min="${spec.min}"`}${
            spec.max === undefined ? '' : html` max="${spec.max}"`
          }${type === 'number' ? html` inputmode="numeric"` : ''}>`;
  return html`<div class="field">
<label for="${id}">${spec.label}${spec.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
${errorId === undefined ? '' : html`<p class="field-error" id="${errorId}">${messages.map((message, index) => html`${index === 0 ? '' : html`<br>`}${message}`)}</p>`}
${hintId === undefined ? '' : html`<p class="hint" id="${hintId}">${spec.hint}</p>`}
${control}
</div>`;
}

function disclosureFieldset(view: SubmissionFormView, errors: FieldErrors): SafeHtml {
  const name = 'metadata.disclosure.attribute';
  const messages = errors.byInput.get(name) ?? [];
  const errorId = `${inputId(name)}-error`;
  const selected = view.values[name] ?? '';
  return html`<fieldset aria-describedby="disclosure-hint${messages.length === 0 ? '' : html` ${errorId}`}">
<legend>公开属性 <span aria-hidden="true">*</span></legend>
<p class="hint" id="disclosure-hint">起草时即须确定。依申请公开须写理由；不予公开须写理由和法律依据；删减后公开须列出删减内容和理由。依申请公开和不予公开的文件只审查登记，不发布。</p>
${messages.length === 0 ? '' : html`<p class="field-error" id="${errorId}">${messages.join(' ')}</p>`}
${DISCLOSURE_ATTRIBUTES.map((attribute, index) => {
  const id = index === 0 ? inputId(name) : `${inputId(name)}-${attribute}`;
  return html`<div class="choice"><input type="radio" id="${id}" name="${name}" value="${attribute}"${selected === attribute ? html` checked` : ''}${messages.length === 0 ? '' : html` aria-invalid="true"`}><label for="${id}">${DISCLOSURE_ATTRIBUTE_LABELS[attribute]}</label></div>`;
})}
${field({ name: 'metadata.disclosure.reason', label: '理由（不主动公开或删减的理由）', type: 'textarea' }, view, errors)}
${field({ name: 'metadata.disclosure.legalBasis', label: '法律依据（不予公开时必填）', type: 'textarea' }, view, errors)}
<fieldset>
<legend>删减清单（删减后公开时填写）</legend>
<p class="hint">概括删去了什么、为什么删，不要照抄被删内容。</p>
${Array.from({ length: REMOVAL_ROWS }, (_unused, index) => [
  field(
    { name: `metadata.disclosure.removals.${index}.description`, label: `第 ${index + 1} 项删减：删减内容` },
    view,
    errors,
  ),
  field(
    { name: `metadata.disclosure.removals.${index}.reason`, label: `第 ${index + 1} 项删减：删减理由` },
    view,
    errors,
  ),
])}
</fieldset>
</fieldset>`;
}

function exemptionFieldset(view: SubmissionFormView, errors: FieldErrors): SafeHtml {
  const name = 'metadata.privacyExemption.kind';
  const id = inputId(name);
  const messages = errors.byInput.get(name) ?? [];
  const selected = view.values[name] ?? '';
  const options: [string, string][] = [
    ['', '无（按常规去标识化）'],
    ...(Object.entries(PRIVACY_EXEMPTION_LABELS) as [string, string][]),
  ];
  return html`<fieldset>
<legend>隐私豁免</legend>
<p class="hint" id="${id}-hint">惩戒公示、强制性信息披露：被公示人员的姓名保留，身份证号、电话、住址等仍会去除。须写明豁免依据。</p>
${messages.length === 0 ? '' : html`<p class="field-error" id="${id}-error">${messages.join(' ')}</p>`}
<label for="${id}">豁免类型</label>
<select id="${id}" name="${name}" aria-describedby="${id}-hint${messages.length === 0 ? '' : html` ${id}-error`}"${messages.length === 0 ? '' : html` aria-invalid="true"`}>
${options.map(([value, label]) => html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`)}
</select>
${field({ name: 'metadata.privacyExemption.basis', label: '豁免依据', type: 'textarea' }, view, errors)}
</fieldset>`;
}

function reviewStepsFieldset(view: SubmissionFormView, errors: FieldErrors): SafeHtml {
  return html`<fieldset>
<legend>审查环节（按顺序进行）</legend>
<p class="hint">每个环节由其中任一审核人决定，例如 ${REVIEW_STEP_NAMES.join('、')}。审核人会收到带审核链接的邮件。起草人不能审核自己的文件。不用的环节留空。</p>
${Array.from({ length: REVIEW_STEP_ROWS }, (_unused, index) => {
  const prefix = `metadata.reviewSteps.${index}`;
  return html`<fieldset>
<legend>第 ${index + 1} 个审查环节</legend>
<div class="row">
${field({ name: `${prefix}.name`, label: '环节名称' }, view, errors)}
${field({ name: `${prefix}.timeoutHours`, label: '审查时限（小时）', type: 'number', min: 1, max: 720 }, view, errors)}
</div>
${Array.from(
  { length: APPROVER_ROWS },
  (_none, person) => html`<div class="row">
${field({ name: `${prefix}.approvers.${person}.name`, label: `第 ${person + 1} 位审核人姓名` }, view, errors)}
${field({ name: `${prefix}.approvers.${person}.email`, label: `第 ${person + 1} 位审核人邮箱`, type: 'email' }, view, errors)}
</div>`,
)}
</fieldset>`;
})}
</fieldset>`;
}

/** The form, with the error summary on top when there are violations. */
export function renderSubmissionForm(view: SubmissionFormView): SafeHtml {
  const errors = errorsOf(view);
  const hasErrors = errors.summary.length > 0 || view.formError !== undefined;
  const fileHint =
    '可接受 DOCX、TXT、Markdown、HTML。本页上传的文件合计不超过 4 MB；更大的文件（单个最大 20 MB）请通过 API 上传（POST /submissions 返回预签名上传地址）。';
  const reselect = hasErrors ? ' 出于安全原因，浏览器不会保留已选择的文件：请重新选择。' : '';
  return html`${
    hasErrors
      ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-heading" tabindex="-1" id="error-summary">
<h2 id="error-summary-heading">提交内容有 ${errors.summary.length + (view.formError === undefined ? 0 : 1)} 处需要修改</h2>
<ul>
${view.formError === undefined ? '' : html`<li>${view.formError}</li>`}
${errors.summary.map((entry) =>
  entry.input === undefined
    ? html`<li>${entry.message}</li>`
    : html`<li><a href="#${inputId(entry.input)}">${entry.message}</a></li>`,
)}
</ul>
</div>`
      : ''
  }
<form method="post" action="${link(view.action, view.options)}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="form_token" value="${view.formToken}">
${view.revision === undefined ? '' : html`<input type="hidden" name="revision" value="${view.revision}">`}
<p class="hint">带 <span aria-hidden="true">*</span><span class="visually-hidden">星号</span> 的为必填项。</p>
<fieldset>
<legend>基本信息</legend>
${field({ name: 'metadata.title', label: '标题', required: true }, view, errors)}
<div class="row">
${field({ name: 'metadata.issuingBody', label: '发布机构', required: true, autocomplete: 'organization' }, view, errors)}
${field({ name: 'metadata.responsibleDepartment', label: '责任部门', required: true }, view, errors)}
</div>
<div class="row">
${field({ name: 'metadata.documentNumber', label: '文号', hint: '形如 银政办发〔2019〕76号；没有文号可不填。' }, view, errors)}
${field({ name: 'metadata.writtenDate', label: '成文日期', type: 'date', required: true }, view, errors)}
</div>
<div class="row">
${field({ name: 'metadata.subjectCategory', label: '主题分类', required: true }, view, errors)}
${field({ name: 'metadata.bodyCode', label: '机构代码', required: true, hint: '用于生成索引号，形如 640100-141。' }, view, errors)}
</div>
<div class="row">
${field({ name: 'metadata.firstInterpreter.name', label: '第一解读人姓名', required: true }, view, errors)}
${field({ name: 'metadata.firstInterpreter.position', label: '第一解读人职务', required: true }, view, errors)}
</div>
${field({ name: 'metadata.plannedReleaseAt', label: '计划发布时间（北京时间）', type: 'datetime-local', hint: '不填则审签通过后立即发布。成文后 20 个工作日内须公开（及时公开）。' }, view, errors)}
</fieldset>
${disclosureFieldset(view, errors)}
${exemptionFieldset(view, errors)}
${reviewStepsFieldset(view, errors)}
<fieldset>
<legend>文件</legend>
<p class="hint" id="files-hint">${fileHint}${reselect}</p>
${field({ name: FILE_INPUTS.policy, label: '原文（一份）', type: 'file', required: true, hint: '政策文件本身。' }, view, errors)}
${field({ name: FILE_INPUTS.interpretation, label: '解读材料（一份或多份）', type: 'file', multiple: true, required: true, hint: '文字解读、问答或图解；正文中应写明所解读原文的标题或文号。' }, view, errors)}
${field({ name: FILE_INPUTS.attachment, label: '附件（可选，可多份）', type: 'file', multiple: true }, view, errors)}
</fieldset>
<div class="actions"><button type="submit">提交审核</button></div>
</form>`;
}
