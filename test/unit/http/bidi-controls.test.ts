import { describe, expect, it } from 'vitest';
import { escapeHtml, html, neutralizeBidiControls } from '../../../shared/http/html.js';
import { approvalMail } from '../../../shared/review/approval-mail.js';
import { renderNotification } from '../../../shared/submissions/notify.js';
import { aMetadata, anApprover, aReviewStep, aSubmission } from '../../support/builders.js';

/** `report` + RIGHT-TO-LEFT OVERRIDE + `xcod.txt` + POP DIRECTIONAL FORMATTING + `.docx`: reads as a DOCX, is not. */
const SPOOFED = 'report\u202excod.txt\u202c.docx';
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

describe('Bidirectional controls in what people are shown', () => {
  it('replaces every embedding, override and isolate with U+FFFD and keeps the rest in order', () => {
    const every = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';

    expect(neutralizeBidiControls(`a${every}b`)).toBe(`a${'\ufffd'.repeat(9)}b`);
    expect(neutralizeBidiControls(SPOOFED)).toBe('report\ufffdxcod.txt\ufffd.docx');
    // Marks (LRM, RLM) cannot reorder letters: Arabic or Hebrew text keeps them.
    expect(neutralizeBidiControls('a\u200e\u200fb')).toBe('a\u200e\u200fb');
  });

  it('neutralizes them wherever HTML is escaped: text, attributes and the html template', () => {
    expect(escapeHtml(`<${SPOOFED}>`)).toBe('&lt;report\ufffdxcod.txt\ufffd.docx&gt;');
    expect(html`<li title="${SPOOFED}">${SPOOFED}</li>`.value).not.toMatch(BIDI_CONTROL);
  });

  it('neutralizes them in every part of the drafter’s notification, the comment that names a file included', () => {
    const submission = aSubmission({
      status: 'RETURNED',
      metadata: { title: `方案${SPOOFED}` },
      returnedComment: `附件「${SPOOFED}」：文件不是有效的 DOCX。`,
    });

    const mail = renderNotification(submission, 'RETURNED');

    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(BIDI_CONTROL);
    expect(mail.text).toContain('附件「report\ufffdxcod.txt\ufffd.docx」');
  });

  it('neutralizes them in every part of the approval mail', () => {
    const mail = approvalMail({
      approver: anApprover(),
      metadata: aMetadata({ title: `方案${SPOOFED}`, issuingBody: `中心\u2067` }),
      step: aReviewStep({ name: `审签\u202d` }),
      link: 'https://example.gov.cn/approvals/abc',
      expiresAt: '2019-07-22T10:00:00+08:00',
      attempt: 0,
    });

    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(BIDI_CONTROL);
    expect(mail.text).toContain('标题：方案report\ufffdxcod.txt\ufffd.docx');
  });
});
