import { GongkaiError } from '../errors.js';

/** The exemption named by the drafter is not one the engine knows. */
export class InvalidExemptionError extends GongkaiError {
  constructor() {
    super(
      '无法识别的豁免类型。可用的值：惩戒公示（punishment-publicity）、强制性信息披露（mandatory-disclosure）。',
    );
  }
}

/** A 删减后公开 range does not fit the document. */
export class InvalidRemovalRangeError extends GongkaiError {
  constructor(detail: string) {
    super(`删减范围无效：${detail}。请重新选择要删减的文字。`);
  }
}
