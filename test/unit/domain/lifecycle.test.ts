import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  DISCLOSURE_ATTRIBUTES,
  IllegalTransitionError,
  isTerminal,
  STATUS_HINTS,
  STATUS_LABELS,
  SUBMISSION_STATUSES,
  type SubmissionStatus,
  statusAfterApproval,
  statusAfterValidation,
  TRANSITIONS,
} from '../../../shared/domain/index.js';

const allPairs = SUBMISSION_STATUSES.flatMap((from) => SUBMISSION_STATUSES.map((to) => [from, to] as const));
const legalPairs = allPairs.filter(([from, to]) => TRANSITIONS[from].includes(to));
const illegalPairs = allPairs.filter(([from, to]) => !TRANSITIONS[from].includes(to));

/** The lifecycle, written out independently of the implementation, so a change to either is noticed. */
const EXPECTED: Record<SubmissionStatus, SubmissionStatus[]> = {
  DRAFT: ['SUBMITTED', 'WITHDRAWN'],
  SUBMITTED: ['VALIDATING', 'FAILED', 'WITHDRAWN'],
  VALIDATING: ['DEIDENTIFYING', 'IN_REVIEW', 'RETURNED', 'FAILED'],
  DEIDENTIFYING: ['IN_REVIEW', 'FAILED'],
  IN_REVIEW: ['SCHEDULED', 'REGISTERED', 'RETURNED', 'FAILED', 'WITHDRAWN'],
  SCHEDULED: ['PUBLISHED', 'FAILED', 'WITHDRAWN'],
  PUBLISHED: ['WITHDRAWN', 'SUPERSEDED'],
  RETURNED: ['SUBMITTED', 'WITHDRAWN'],
  REGISTERED: [],
  FAILED: ['SUBMITTED', 'WITHDRAWN'],
  WITHDRAWN: [],
  SUPERSEDED: [],
};

describe('Lifecycle: transition table', () => {
  it('matches the agreed lifecycle exactly', () => {
    const actual = Object.fromEntries(SUBMISSION_STATUSES.map((s) => [s, [...TRANSITIONS[s]].sort()]));
    const expected = Object.fromEntries(SUBMISSION_STATUSES.map((s) => [s, [...EXPECTED[s]].sort()]));
    expect(actual).toEqual(expected);
  });

  it.each(legalPairs)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(illegalPairs)('refuses %s → %s with IllegalTransitionError', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('throws for every pair that is not in the table, whatever the attribute (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUBMISSION_STATUSES),
        fc.constantFrom(...SUBMISSION_STATUSES),
        fc.option(fc.constantFrom(...DISCLOSURE_ATTRIBUTES), { nil: undefined }),
        (from, to, attribute) => {
          fc.pre(!TRANSITIONS[from].includes(to));
          expect(() => assertTransition(from, to, attribute)).toThrow(IllegalTransitionError);
        },
      ),
    );
  });

  it('never lets a status follow itself', () => {
    for (const status of SUBMISSION_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(TRANSITIONS.DRAFT)).toBe(true);
  });

  it('reaches every status from DRAFT', () => {
    const reached = new Set<SubmissionStatus>(['DRAFT']);
    const queue: SubmissionStatus[] = ['DRAFT'];
    for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
      for (const next of TRANSITIONS[status]) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    expect([...reached].sort()).toEqual([...SUBMISSION_STATUSES].sort());
  });

  it('can always end: every status can reach a terminal status', () => {
    for (const start of SUBMISSION_STATUSES) {
      const seen = new Set<SubmissionStatus>();
      const queue: SubmissionStatus[] = [start];
      let ends = false;
      for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
        if (isTerminal(status)) ends = true;
        for (const next of TRANSITIONS[status]) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect(ends, start).toBe(true);
    }
  });
});

describe('Lifecycle: real flows', () => {
  const walk = (path: SubmissionStatus[], attribute?: (typeof DISCLOSURE_ATTRIBUTES)[number]) => {
    for (let i = 1; i < path.length; i++) assertTransition(path[i - 1]!, path[i]!, attribute);
  };

  it('publishes a 主动公开 submission through de-identification, review and scheduling', () => {
    expect(() =>
      walk(
        ['DRAFT', 'SUBMITTED', 'VALIDATING', 'DEIDENTIFYING', 'IN_REVIEW', 'SCHEDULED', 'PUBLISHED'],
        'PROACTIVE',
      ),
    ).not.toThrow();
  });

  it('registers a 依申请公开 submission without de-identification and never publishes it', () => {
    expect(() =>
      walk(['DRAFT', 'SUBMITTED', 'VALIDATING', 'IN_REVIEW', 'REGISTERED'], 'ON_REQUEST'),
    ).not.toThrow();
    expect(canTransition('REGISTERED', 'PUBLISHED')).toBe(false);
  });

  it('registers a 不予公开 submission after review', () => {
    expect(() => walk(['VALIDATING', 'IN_REVIEW', 'REGISTERED'], 'NOT_DISCLOSED')).not.toThrow();
  });

  it('refuses to skip de-identification for a 主动公开 or 删减后公开 submission', () => {
    expect(canTransition('VALIDATING', 'IN_REVIEW', 'PROACTIVE')).toBe(false);
    expect(canTransition('VALIDATING', 'IN_REVIEW', 'AFTER_REDACTION')).toBe(false);
    expect(() => assertTransition('VALIDATING', 'IN_REVIEW', 'PROACTIVE')).toThrow(/去标识化/);
  });

  it('refuses to schedule a 依申请公开 or 不予公开 submission for publication', () => {
    expect(canTransition('IN_REVIEW', 'SCHEDULED', 'ON_REQUEST')).toBe(false);
    expect(canTransition('IN_REVIEW', 'SCHEDULED', 'NOT_DISCLOSED')).toBe(false);
    expect(canTransition('VALIDATING', 'DEIDENTIFYING', 'NOT_DISCLOSED')).toBe(false);
    expect(() => assertTransition('IN_REVIEW', 'SCHEDULED', 'NOT_DISCLOSED')).toThrow(/不对外发布/);
  });

  it('refuses to register a 主动公开 submission instead of publishing it', () => {
    expect(canTransition('IN_REVIEW', 'REGISTERED', 'PROACTIVE')).toBe(false);
  });

  it('returns a rejected submission and resubmits it as a new revision', () => {
    expect(() => walk(['IN_REVIEW', 'RETURNED', 'SUBMITTED'])).not.toThrow();
  });

  it('retries a failed submission as a new revision', () => {
    expect(() => walk(['DEIDENTIFYING', 'FAILED', 'SUBMITTED'])).not.toThrow();
  });

  it.each(['SUBMITTED', 'VALIDATING', 'DEIDENTIFYING', 'IN_REVIEW', 'SCHEDULED'] as const)(
    'records a failure while %s as FAILED',
    (status) => {
      expect(canTransition(status, 'FAILED')).toBe(true);
    },
  );

  it.each(['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'SCHEDULED', 'RETURNED', 'FAILED'] as const)(
    'lets the drafter withdraw a submission that is %s',
    (status) => {
      expect(canTransition(status, 'WITHDRAWN')).toBe(true);
    },
  );

  it('takes a publication down by withdrawal or supersession', () => {
    expect(canTransition('PUBLISHED', 'WITHDRAWN')).toBe(true);
    expect(canTransition('PUBLISHED', 'SUPERSEDED')).toBe(true);
  });

  it('goes through 待发布 even when released on approval', () => {
    expect(canTransition('IN_REVIEW', 'PUBLISHED')).toBe(false);
  });

  it('routes by 公开属性 after validation and after approval', () => {
    expect(statusAfterValidation('PROACTIVE')).toBe('DEIDENTIFYING');
    expect(statusAfterValidation('AFTER_REDACTION')).toBe('DEIDENTIFYING');
    expect(statusAfterValidation('ON_REQUEST')).toBe('IN_REVIEW');
    expect(statusAfterValidation('NOT_DISCLOSED')).toBe('IN_REVIEW');
    expect(statusAfterApproval('PROACTIVE')).toBe('SCHEDULED');
    expect(statusAfterApproval('ON_REQUEST')).toBe('REGISTERED');
    for (const attribute of DISCLOSURE_ATTRIBUTES) {
      expect(canTransition('VALIDATING', statusAfterValidation(attribute), attribute)).toBe(true);
      expect(canTransition('IN_REVIEW', statusAfterApproval(attribute), attribute)).toBe(true);
    }
  });
});

describe('Lifecycle: terminal statuses and labels', () => {
  it('treats 已登记, 已撤回 and 已被替代 as terminal, and nothing else', () => {
    const terminal = SUBMISSION_STATUSES.filter(isTerminal);
    expect(terminal.sort()).toEqual(['REGISTERED', 'SUPERSEDED', 'WITHDRAWN']);
  });

  it('labels and explains every status in Chinese', () => {
    for (const status of SUBMISSION_STATUSES) {
      expect(STATUS_LABELS[status]).toMatch(/\p{Script=Han}/u);
      expect(STATUS_HINTS[status]).toMatch(/\p{Script=Han}/u);
    }
  });
});

describe('IllegalTransitionError', () => {
  it('has a stable name, a 409 status and the statuses involved', () => {
    const error = new IllegalTransitionError('PUBLISHED', 'IN_REVIEW');
    expect(error.name).toBe('IllegalTransitionError');
    expect(error.httpStatus).toBe(409);
    expect(error.from).toBe('PUBLISHED');
    expect(error.to).toBe('IN_REVIEW');
    expect(error.allowed).toEqual(['WITHDRAWN', 'SUPERSEDED']);
  });

  it('says the current status and what it can become', () => {
    const error = new IllegalTransitionError('PUBLISHED', 'IN_REVIEW');
    expect(error.message).toContain('当前状态为「已发布」');
    expect(error.message).toContain('不能变为「审查审签中」');
    expect(error.message).toContain('「已撤回」、「已被替代」');
  });

  it('says a terminal status can no longer change and what to do instead', () => {
    const error = new IllegalTransitionError('WITHDRAWN', 'SUBMITTED');
    expect(error.message).toContain('「已撤回」');
    expect(error.message).toContain('新建提交');
    expect(error.allowed).toEqual([]);
  });

  it('says a repeated action needs no repeating', () => {
    expect(new IllegalTransitionError('IN_REVIEW', 'IN_REVIEW').message).toContain('无需重复操作');
  });

  it('tells the drafter of a returned submission to revise and resubmit', () => {
    expect(new IllegalTransitionError('RETURNED', 'PUBLISHED').message).toContain('修改后重新提交');
  });

  it('lists only the branch the attribute allows', () => {
    expect(new IllegalTransitionError('VALIDATING', 'IN_REVIEW', 'PROACTIVE').allowed).toEqual([
      'DEIDENTIFYING',
      'RETURNED',
      'FAILED',
    ]);
  });
});
