import { describe, expect, it } from 'vitest';
import {
  formTokenFor,
  isCrossSiteRequest,
  isValidFormToken,
  newFormNonce,
} from '../../../shared/review/form-token.js';

const HOSTS = ['review.example.gov.cn', undefined];

describe('Function: formTokenFor', () => {
  it('binds the token to the link hash and to the link nonce', () => {
    // Prepare
    const nonce = newFormNonce();
    const link = { hash: 'a'.repeat(64), formNonce: nonce };

    // Act
    const token = formTokenFor(link);

    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(formTokenFor({ ...link, hash: 'b'.repeat(64) })).not.toBe(token);
    expect(formTokenFor({ ...link, formNonce: newFormNonce() })).not.toBe(token);
    expect(isValidFormToken(link, token)).toBe(true);
  });

  it('accepts no token for a link without a nonce, nor a token of another length or type', () => {
    // Prepare
    const link = { hash: 'a'.repeat(64), formNonce: newFormNonce() };
    const token = formTokenFor(link) ?? '';

    // Act / Assess
    expect(isValidFormToken({ hash: link.hash }, token)).toBe(false);
    expect(isValidFormToken(link, token.slice(1))).toBe(false);
    expect(isValidFormToken(link, `${token}=`)).toBe(false);
    expect(isValidFormToken(link, null)).toBe(false);
    expect(isValidFormToken(link, [token])).toBe(false);
  });
});

describe('Function: isCrossSiteRequest', () => {
  it.each([
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ 'sec-fetch-site': 'none' }, true],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ origin: 'https://evil.example' }, true],
    [{ origin: 'https://review.example.gov.cn.evil.example' }, true],
    [{ origin: 'https://REVIEW.example.gov.cn' }, false],
    [{ origin: 'null' }, false],
    [{}, false],
    [{ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }, true],
    // Without a usable Origin, a Referer from another host gives a cross-site form away.
    [{ referer: 'https://evil.example/phish.html' }, true],
    [{ origin: 'null', referer: 'https://evil.example/phish.html' }, true],
    [{ origin: '', referer: 'https://review.example.gov.cn.evil.example/' }, true],
    [{ referer: 'not a url' }, true],
    [{ referer: 'https://review.example.gov.cn/approvals/x' }, false],
    [{ origin: 'null', referer: 'https://review.example.gov.cn/approvals/x' }, false],
    [{ origin: 'https://review.example.gov.cn', referer: 'https://evil.example/' }, false],
  ])('judges %j as cross-site: %s', (headers, expected) => {
    // Act / Assess
    expect(isCrossSiteRequest(headers, HOSTS)).toBe(expected);
  });
});
