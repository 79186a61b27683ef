import type { PiiType } from '../deid/types.js';

const BEIJING = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A time as approvers read it: `2019年7月22日 09:30（北京时间）`. */
export function formatBeijingTime(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '（时间未知）';
  return `${BEIJING.format(date)}（北京时间）`;
}

/** Chinese labels of what de-identification marks, for the page's legend. */
export const REDACTION_TYPE_LABELS: Readonly<Record<PiiType | 'removal', string>> = Object.freeze({
  'resident-id': '居民身份证号码',
  'resident-id-legacy': '旧版身份证号码',
  mobile: '手机号码',
  landline: '固定电话',
  email: '电子邮箱',
  'bank-card': '银行卡号',
  passport: '护照号码',
  'travel-permit': '通行证号码',
  'licence-plate': '车牌号码',
  'home-address': '住址',
  'person-name': '姓名',
  'birth-date': '出生日期',
  'im-account': '即时通讯账号',
  'record-number': '证件或档案编号',
  'vehicle-id': '车辆识别代号',
  removal: '删减内容',
});

/** The label of a redaction type; an unknown type is shown as a code, never dropped. */
export function redactionTypeLabel(type: string): string {
  return (REDACTION_TYPE_LABELS as Record<string, string | undefined>)[type] ?? `其他（${type}）`;
}
