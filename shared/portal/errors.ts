import { GongkaiError } from '../errors.js';

/** A query or path parameter of a portal request is malformed; the message says which and how. */
export class InvalidPortalParameterError extends GongkaiError {
  override readonly httpStatus: number = 400;
  constructor(
    readonly parameter: string,
    hint: string,
  ) {
    super(`参数「${parameter}」无效：${hint}`);
  }
}

/** No such bundle or file in the public catalog (unknown, not yet verified, or quarantined). */
export class PortalNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 404;
  constructor(what: 'bundle' | 'file' | 'route') {
    super(
      what === 'bundle'
        ? '找不到该发布包：它不存在，或尚未通过发布核验。'
        : what === 'file'
          ? '该发布包中没有这个文件，请以清单（manifest）列出的文件名为准。'
          : '没有这个接口，请检查请求路径。',
    );
  }
}
