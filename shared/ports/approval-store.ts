/** What an approval link item records. Only a hash of the link secret is ever stored. */
export interface ApprovalLink {
  hash: string;
  submissionId: string;
  revision: number;
  stepId: string;
  /** Which request it belongs to: 0 for the first, 1.. for reminders (older links are revoked). */
  attempt: number;
  approverId: string;
  /** The Step Functions task token this decision resolves; never put in a URL, mail or log. */
  taskToken: string;
  createdAt: string;
  expiresAt: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVOKED';
  decidedAt?: string;
  /** True once the decision has been handed to the workflow (so a crash in between can be finished). */
  delivered?: boolean;
  /**
   * Random per-link key (base64url) of the approval page's form token: a POST must carry the token
   * the page rendered, so a request built from the URL alone (a scanner, a cross-site form) decides nothing.
   */
  formNonce?: string;
}

/** The state of one review step of one revision. */
export interface ReviewStepRecord {
  submissionId: string;
  revision: number;
  stepId: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'REVOKED';
  attempt: number;
  linkHashes: string[];
  requestedAt: string;
  expiresAt: string;
  /** When every mail of this attempt's links had been sent; until then a retry issues a fresh set. */
  mailedAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The approver's comment; shown to the drafter, never put in execution state or logs. */
  comment?: string;
}

/** Approval links and review steps. Every write is a single-item conditional write. */
export interface ApprovalStore {
  /**
   * Records a request (or reminder): one link item per approver, then the step item. It replaces a
   * step only while that is PENDING at an earlier attempt, or at the same attempt with its mails not
   * all sent; otherwise it returns false (decided, closed or moved on meanwhile).
   */
  openStep(step: ReviewStepRecord, links: ApprovalLink[]): Promise<boolean>;
  /** Notes that every mail of this issuance went out (no-op if another issuance replaced it). */
  markMailed(step: ReviewStepRecord, at: string): Promise<void>;
  getLink(hash: string): Promise<ApprovalLink | undefined>;
  getStep(submissionId: string, revision: number, stepId: string): Promise<ReviewStepRecord | undefined>;
  listSteps(submissionId: string, revision: number): Promise<ReviewStepRecord[]>;
  /**
   * Decides the step through one link: only if the step is still PENDING at that attempt and the
   * link is PENDING and unexpired. Returns false when someone or something got there first.
   */
  decide(
    link: ApprovalLink,
    decision: { status: 'APPROVED' | 'REJECTED'; comment?: string; at: string },
  ): Promise<boolean>;
  markDelivered(hash: string): Promise<void>;
  /**
   * Points still-pending links at a new task token: Step Functions issues a new token when it
   * retries the task, and a decision must resolve the token that is waiting.
   */
  setTaskToken(hashes: readonly string[], taskToken: string): Promise<void>;
  /** Revokes every pending link of the step (reminder superseded them, review expired, withdrawn). */
  revokeStep(
    submissionId: string,
    revision: number,
    stepId: string,
    status: 'EXPIRED' | 'REVOKED',
  ): Promise<void>;
}
