import { describe, expect, it } from 'vitest';
import { parseFindings, parseRedactionCounts } from '../../../shared/review/review-material.js';

describe('Function: parseRedactionCounts', () => {
  it('reads the counts of one report with Chinese labels, largest first', () => {
    // Act
    const result = parseRedactionCounts(
      JSON.stringify({ total: 3, counts: { mobile: 1, 'person-name': 2 } }),
    );

    // Assess
    expect(result).toEqual({
      total: 3,
      counts: [
        { type: 'person-name', label: '姓名', count: 2 },
        { type: 'mobile', label: '手机号码', count: 1 },
      ],
    });
  });

  it('sums the counts of several documents and counts items where a report has no counts', () => {
    // Act
    const result = parseRedactionCounts(
      JSON.stringify({
        documents: [
          { documentId: 'p', report: { counts: { mobile: 2 } } },
          { documentId: 'j', items: [{ type: 'mobile' }, { type: 'removal' }] },
        ],
      }),
    );

    // Assess
    expect(result?.total).toBe(4);
    expect(result?.counts).toEqual([
      { type: 'mobile', label: '手机号码', count: 3 },
      { type: 'removal', label: '删减内容', count: 1 },
    ]);
  });

  it('gives up on a report it does not understand instead of showing zero', () => {
    // Act / Assess
    expect(parseRedactionCounts('not json')).toBeUndefined();
    expect(parseRedactionCounts(JSON.stringify({ something: 'else' }))).toBeUndefined();
  });
});

describe('Function: parseFindings', () => {
  const finding = {
    kind: 'date',
    quoted: '7月1日',
    message: '解读中的日期“7月1日”在原文中未找到。',
    policyExcerpt: null,
  };

  it.each([
    ['an array', [finding]],
    ['an object with findings', { findings: [finding] }],
    ['per-interpretation entries', { interpretations: [{ documentId: 'j', findings: [finding] }] }],
  ])('reads findings given as %s', (_label, value) => {
    // Act
    const result = parseFindings(JSON.stringify(value));

    // Assess
    expect(result).toEqual([{ message: finding.message, quoted: '7月1日' }]);
  });

  it('skips entries without a message and gives up on an unknown shape', () => {
    // Act / Assess
    expect(parseFindings(JSON.stringify([{ kind: 'date' }]))).toEqual([]);
    expect(parseFindings(JSON.stringify({ other: 1 }))).toBeUndefined();
    expect(parseFindings('{')).toBeUndefined();
  });
});
