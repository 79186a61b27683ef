import { hashesEqual, hashLinkSecret } from '../approvals/link-secret.js';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../ports/approval-store.js';

/**
 * Where a link stands, read from the store without changing anything.
 * - `open`: it may decide its step now.
 * - `decided-here`: its step was decided through this link (possibly not yet delivered to the workflow).
 * - `decided-elsewhere`: another approver (or an earlier link) decided the step → 409.
 * - `revoked` (a reminder replaced it, the review expired or was withdrawn) and `expired` → 410.
 * - `unknown`: malformed, altered or never issued → 404.
 */
export type LinkState =
  | { kind: 'unknown' }
  | {
      kind: 'revoked' | 'expired' | 'decided-elsewhere' | 'decided-here' | 'open';
      link: ApprovalLink;
      step: ReviewStepRecord;
    };

/** Reads the link a secret stands for and its step, and classifies it. Never throws for a bad secret. */
export async function resolveLink(
  secret: string,
  approvals: Pick<ApprovalStore, 'getLink' | 'getStep'>,
  now: Date,
): Promise<LinkState> {
  const hash = hashLinkSecret(secret);
  if (hash === undefined) return { kind: 'unknown' };
  const link = await approvals.getLink(hash);
  if (link === undefined || !hashesEqual(link.hash, hash)) return { kind: 'unknown' };
  const step = await approvals.getStep(link.submissionId, link.revision, link.stepId);
  if (step === undefined) return { kind: 'unknown' };
  return { kind: classify(link, step, now), link, step };
}

function classify(
  link: ApprovalLink,
  step: ReviewStepRecord,
  now: Date,
): Exclude<LinkState['kind'], 'unknown'> {
  if (step.status === 'APPROVED' || step.status === 'REJECTED') {
    // One link per approver per attempt: the step's attempt and decider name the deciding link.
    // The link's own status may still be PENDING if the store stopped between its two writes.
    const here = step.attempt === link.attempt && step.decidedBy === link.approverId;
    return here ? 'decided-here' : 'decided-elsewhere';
  }
  if (
    link.status !== 'PENDING' ||
    step.status !== 'PENDING' ||
    step.attempt !== link.attempt ||
    !step.linkHashes.includes(link.hash)
  ) {
    return step.status === 'EXPIRED' ? 'expired' : 'revoked';
  }
  const expiresAt = Date.parse(link.expiresAt);
  if (!Number.isFinite(expiresAt) || now.getTime() >= expiresAt) return 'expired';
  return 'open';
}
