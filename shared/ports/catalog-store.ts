import type { ValidityStatus } from '../domain/index.js';

/** A change of the public catalog, in the order portals must apply them. */
export type CatalogEventType = 'PUBLISHED' | 'CORRECTED' | 'WITHDRAWN' | 'SUPERSEDED';

export interface CatalogEvent {
  /** Position in the change feed; strictly increasing, allocated once per event id. */
  sequence: number;
  /** Deterministic per cause (e.g. `PUBLISHED#<bundleId>`), so a retried write is the same event. */
  eventId: string;
  type: CatalogEventType;
  bundleId: string;
  at: string;
  validity: ValidityStatus;
  /** Key of the bundle's manifest in the published bucket. */
  manifestKey: string;
  /** Why (withdrawals, supersessions): written by an operator for the public, never personal data. */
  explanation?: string;
  supersededBy?: string;
}

/** The current catalog entry of one published bundle. */
export interface CatalogEntry {
  bundleId: string;
  submissionId: string;
  revision: number;
  indexNumber: string;
  title: string;
  issuingBody: string;
  documentNumber?: string;
  writtenDate: string;
  publishedAt: string;
  subjectCategory: string;
  validity: ValidityStatus;
  manifestKey: string;
  manifestSha256: string;
  lastSequence: number;
  explanation?: string;
  supersededBy?: string;
}

/** The public catalog and its change feed. */
export interface CatalogStore {
  /**
   * Appends an event (idempotent by `eventId`: a retry returns the first sequence) and updates the
   * entry it concerns. The entry is written only after the event, so a reader of the entry always
   * finds its event in the feed.
   */
  append(
    event: Omit<CatalogEvent, 'sequence'>,
    entry: Omit<CatalogEntry, 'lastSequence'>,
  ): Promise<CatalogEvent>;
  getEntry(bundleId: string): Promise<CatalogEntry | undefined>;
  /** Entries, paged in publication order. */
  listEntries(options: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: CatalogEntry[]; cursor?: string }>;
  /** Events with a sequence greater than `after`, in order. */
  changesAfter(after: number, options: { limit: number }): Promise<CatalogEvent[]>;
}
