import type { Submission, SubmissionDraft, SubmissionStatus } from '../domain/index.js';

/** Fields that tasks set on a revision as it moves on (never the drafter's content). */
export type RevisionPatch = Partial<
  Pick<Submission, 'returnedComment' | 'indexNumber' | 'bundleId' | 'publishedAt'>
>;

/** Submissions and their current revision. */
export interface SubmissionStore {
  /** Stores a new submission; fails if the id exists. */
  create(submission: Submission): Promise<void>;
  get(id: string): Promise<Submission | undefined>;
  /**
   * Moves revision `revision` to status `to`, if the lifecycle allows it from the stored status.
   * Re-running the same change is not an error (`changed: false`), so a retried task is harmless;
   * a change the lifecycle forbids throws `IllegalTransitionError`; a revision that is no longer
   * current throws `StaleRevisionError`. Conditional on the stored status: never a blind overwrite.
   */
  transition(
    id: string,
    revision: number,
    to: SubmissionStatus,
    options: { now: Date; patch?: RevisionPatch },
  ): Promise<{ submission: Submission; changed: boolean; from: SubmissionStatus }>;
  /** Sets fields on the current revision without changing its status (e.g. the 索引号 before publishing). */
  patch(id: string, revision: number, patch: RevisionPatch, options: { now: Date }): Promise<Submission>;
  /**
   * Replaces the drafter's content with revision `expectedRevision + 1` in status DRAFT, after a
   * rejection or a failure. Conditional on the stored revision, so two resubmits cannot both win.
   */
  newRevision(
    id: string,
    expectedRevision: number,
    draft: SubmissionDraft,
    options: { now: Date },
  ): Promise<Submission>;
  /** The drafter's submissions, newest first. */
  listByDrafter(
    drafterId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: Submission[]; cursor?: string }>;
}
