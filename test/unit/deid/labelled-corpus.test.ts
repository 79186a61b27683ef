import { describe, expect, it } from 'vitest';
import { deidentifyText } from '../../../shared/deid/index.js';
import { documents, score } from './labelled.js';

describe('Labelled corpus', () => {
  it('has at least eight documents whose labels all occur in the text', () => {
    const docs = documents();
    expect(docs.length).toBeGreaterThanOrEqual(8);
    for (const { text, label } of docs) {
      for (const p of label.pii) expect(text, p.text).toContain(p.text);
      for (const k of label.keep) expect(text, k).toContain(k);
    }
  });

  it('finds at least 99.5 % of the planted personal data and keeps at least 99 % of the look-alikes', () => {
    const { found, planted, kept, lookAlikes, misses } = score();
    expect(planted).toBeGreaterThan(50);
    expect(misses).toEqual([]);
    expect(found / planted).toBeGreaterThanOrEqual(0.995);
    expect(kept / lookAlikes).toBeGreaterThanOrEqual(0.99);
  });

  it('leaves none of the planted values in any report', () => {
    for (const { text, label } of documents()) {
      const json = JSON.stringify(deidentifyText(text).report);
      for (const p of label.pii) expect(json).not.toContain(p.text);
    }
  });
});
