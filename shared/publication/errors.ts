import { STATUS_LABELS, type SubmissionStatus } from '../domain/index.js';
import { GongkaiError } from '../errors.js';

/** The revision to publish or verify is not stored (wrong id, or deleted). */
export class PublicationSubjectNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 404;
  constructor() {
    super('找不到要发布的提交，请检查提交编号。');
  }
}

/** The task was started for a revision that is no longer the current one. */
export class PublicationRevisionMismatchError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(
    readonly expected: number,
    readonly current: number,
  ) {
    super(`该提交已有新的修订版本（第 ${current} 版），第 ${expected} 版不再发布。`);
  }
}

/** Only a SCHEDULED revision with a published 公开属性 may be published. */
export class PublicationNotAllowedError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(readonly status: SubmissionStatus) {
    super(`当前状态为「${STATUS_LABELS[status]}」，只有已通过审签、待发布的文件才能发布。`);
  }
}

/** A de-identified work product that Publish needs is not in the work bucket. */
export class MissingWorkProductError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor(
    readonly documentId: string,
    readonly product: 'html' | 'text',
  ) {
    super(
      `文件 ${documentId} 缺少去标识化后的${product === 'html' ? '网页' : '纯文本'}版本，不能发布。请重新提交以重新处理。`,
    );
  }
}

/** The bundle Verify was asked about is not the one stored on the revision. */
export class BundleMismatchError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(readonly bundleId: string) {
    super(`发布包 ${bundleId} 不是该提交当前的发布包，未做核验。`);
  }
}

/** The bundle has no manifest (never written, or already moved). */
export class BundleNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 404;
  constructor(readonly bundleId: string) {
    super(`找不到发布包 ${bundleId}。`);
  }
}

/** Why Verify refused a bundle: codes only, never the offending value. */
export interface QuarantineProblem {
  /** The file (or `manifest.json`) concerned. */
  file: string;
  problem:
    | 'missing'
    | 'size-mismatch'
    | 'hash-mismatch'
    | 'manifest-invalid'
    | 'manifest-mismatch'
    | 'personal-data';
  /** For `personal-data`: which kinds were found, and how many (no values, no positions). */
  counts?: Record<string, number>;
}

/** One problem as the message says it: the file, the problem and, for personal data, its kinds and counts. */
function describeProblem(item: QuarantineProblem): string {
  const kinds = Object.entries(item.counts ?? {}).map(([kind, count]) => `${kind} ${count}`);
  return `${item.file}: ${item.problem}${kinds.length === 0 ? '' : ` (${kinds.join(', ')})`}`;
}

/**
 * Verify found a problem with a published bundle and moved it to `quarantine/`: nothing was listed in
 * the catalog, and the execution fails. The message names files, problem kinds and the kinds of
 * personal data left (so the FAILED revision says what to fix), never the data.
 */
export class BundleQuarantinedError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor(
    readonly bundleId: string,
    readonly problems: readonly QuarantineProblem[],
  ) {
    const summary = problems.slice(0, 10).map(describeProblem).join('; ');
    super(
      `发布包 ${bundleId} 未通过发布核验，已隔离，未对外公开（${summary || '已隔离'}）。请检查后重新提交。`,
    );
  }
}

/** A stored object does not match the hash the catalog or the manifest recorded for it. */
export class BundleIntegrityError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor(readonly bundleId: string) {
    super('发布包内容校验失败，暂时无法提供，请稍后重试。');
  }
}
