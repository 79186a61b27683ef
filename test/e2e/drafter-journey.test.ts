import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSystem, startLocalSystem } from '../../infra/local/system.js';
import {
  type AxeViolation,
  activeElement,
  browserAvailability,
  FIXTURES,
  horizontalOverflow,
  launchChromium,
  newApprovalLinks,
  reloadUntil,
  screenshot,
  seriousAxeViolations,
} from './support.js';

/**
 * The drafter's and the approver's journey in Chromium, against the whole local system (emulators,
 * the synthesized state machine, the real handlers): sign in, submit through the page with files
 * holding planted personal data, reject from the e-mailed link, resubmit, approve twice, and find
 * the bundle in the portal preview. Every page is checked with axe-core, in 标准版 and 长者版.
 */

const availability = browserAvailability();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const PLANTED = JSON.parse(
  await readFile(path.join(path.dirname(FIXTURES.policy), 'planted.json'), 'utf8'),
) as Record<string, string>;

let system: LocalSystem;
let browser: Browser;
let drafter: BrowserContext;
let approver: BrowserContext;
const seen = new Set<string>();
/** serious/critical axe violations by page name; empty when every page passes. */
const axeReport: Record<string, AxeViolation[]> = {};
/** Pages wider than the phone viewport, by name. */
const overflowReport: Record<string, number> = {};

async function check(page: Page, name: string, options: { phone?: boolean } = {}): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousAxeViolations(page);
  if (violations.length > 0) axeReport[name] = violations;
  if (options.phone) {
    const overflow = await horizontalOverflow(page);
    if (overflow > 0) overflowReport[name] = overflow;
  }
}

/** The same page in 长者版: large type, high contrast, and still accessible. */
async function checkElder(context: BrowserContext, url: string, name: string, phone = false): Promise<void> {
  const page = await context.newPage();
  const target = new URL(url);
  target.searchParams.set('elder', '1');
  await page.goto(target.toString());
  expect(await page.locator('html.elder').count(), name).toBe(1);
  await check(page, `${name}-elder`, { phone });
  await page.close();
}

async function fillForm(page: Page, overrides: Record<string, string> = {}): Promise<void> {
  const values: Record<string, string> = {
    'f-metadata-title': '银川市大数据产业发展服务中心2019年政务公开实施方案',
    'f-metadata-issuingBody': '银川市大数据产业发展服务中心',
    'f-metadata-responsibleDepartment': '综合科',
    'f-metadata-documentNumber': '银大数发〔2019〕12号',
    'f-metadata-writtenDate': '2019-07-19',
    'f-metadata-subjectCategory': '综合政务/政务公开',
    'f-metadata-bodyCode': '640100-141',
    'f-metadata-firstInterpreter-name': '王川',
    'f-metadata-firstInterpreter-position': '中心主任',
    'f-metadata-reviewSteps-0-timeoutHours': '1',
    'f-metadata-reviewSteps-0-approvers-0-name': '钱审',
    'f-metadata-reviewSteps-0-approvers-0-email': 'qian@example.gov.cn',
    'f-metadata-reviewSteps-1-timeoutHours': '1',
    'f-metadata-reviewSteps-1-approvers-0-name': '赵审',
    'f-metadata-reviewSteps-1-approvers-0-email': 'zhaoshen@example.gov.cn',
    ...overrides,
  };
  for (const [id, value] of Object.entries(values)) await page.locator(`#${id}`).fill(value);
}

async function chooseFiles(page: Page): Promise<void> {
  await page.locator('#f-documents-policy').setInputFiles(FIXTURES.policy);
  await page.locator('#f-documents-interpretation').setInputFiles(FIXTURES.interpretation);
}

describe.skipIf(!availability.run)('End to end in Chromium: drafter, approvers, portal preview', () => {
  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gongkai-e2e-'));
    [system, browser] = await Promise.all([
      startLocalSystem({ dataDir, port: 0, logLevel: 'ERROR' }),
      launchChromium(),
    ]);
    // bypassCSP: only so that axe-core can be injected; the pages themselves run no script.
    drafter = await browser.newContext({ viewport: PHONE, bypassCSP: true, locale: 'zh-CN' });
    approver = await browser.newContext({ viewport: DESKTOP, bypassCSP: true, locale: 'zh-CN' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    if (system !== undefined) await rm(system.dataDir, { recursive: true, force: true });
  });

  it('takes a submission from the form through a rejection, a resubmission and two approvals to the portal', async () => {
    const api = system.urls.api;
    const page = await drafter.newPage();

    // ── sign in: /app without a session goes to sign-in and comes back ──────────────────────────
    await page.goto(`${api}/app`);
    expect(new URL(page.url()).pathname).toBe('/local/sign-in');
    await check(page, '01-sign-in', { phone: true });
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${api}/app`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('我的提交');
    await check(page, '02-my-submissions', { phone: true });
    await checkElder(drafter, page.url(), '02-my-submissions', true);

    // ── the form, first with a mistake ──────────────────────────────────────────────────────────
    await page.getByRole('link', { name: '新建提交' }).first().click();
    await page.waitForURL(`${api}/app/submissions/new`);
    await check(page, '03-form', { phone: true });
    await checkElder(drafter, page.url(), '03-form', true);
    await fillForm(page, {
      'f-metadata-bodyCode': '',
      'f-metadata-reviewSteps-1-approvers-0-email': 'zhaoshen',
    });
    await chooseFiles(page);
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.waitForLoadState();
    await expect.poll(() => page.locator('#error-summary').count()).toBe(1);
    expect(await page.locator('#f-metadata-bodyCode').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-metadata-reviewSteps-1-approvers-0-email').inputValue()).toBe('zhaoshen');
    expect(await page.locator('#f-metadata-title').inputValue()).toBe(
      '银川市大数据产业发展服务中心2019年政务公开实施方案',
    );
    await check(page, '04-form-with-errors', { phone: true });

    // ── corrected and submitted ─────────────────────────────────────────────────────────────────
    await page.locator('#f-metadata-bodyCode').fill('640100-141');
    await page.locator('#f-metadata-reviewSteps-1-approvers-0-email').fill('zhaoshen@example.gov.cn');
    await chooseFiles(page);
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.waitForURL(/\/app\/submissions\/[0-9A-Z]{26}$/);
    const statusUrl = page.url();
    await check(page, '05-status-submitted', { phone: true });
    await checkElder(drafter, statusUrl, '05-status', true);

    // ── the first approver rejects from the e-mailed link ───────────────────────────────────────
    const [firstLink] = await newApprovalLinks(system.outboxDirectory, seen);
    expect(firstLink).toBeDefined();
    await checkElder(approver, firstLink!, '06-approval-page');
    const review = await approver.newPage();
    await review.goto(firstLink!);
    await expect.poll(() => review.locator('.doc').count()).toBe(2);
    expect(await review.locator('h3').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^原文：/), expect.stringMatching(/^解读：/)]),
    );
    expect(await review.locator('.doc mark').count()).toBeGreaterThanOrEqual(4);
    const reviewText = (await review.locator('.doc').allTextContents()).join('\n');
    for (const value of Object.values(PLANTED)) expect(reviewText).not.toContain(value);
    await check(review, '06-approval-page');
    await review.locator('#comment').fill('请在第二部分写明公开时限的依据。');
    await review.getByRole('button', { name: '退回修改' }).click();
    await expect.poll(() => review.locator('h1').textContent()).toContain('已处理');

    // ── the drafter sees RETURNED with the comment, and resubmits ───────────────────────────────
    await reloadUntil(page, '已退回');
    expect(await page.content()).toContain('请在第二部分写明公开时限的依据。');
    await check(page, '07-status-returned', { phone: true });
    expect(await page.locator('#f-metadata-title').inputValue()).toBe(
      '银川市大数据产业发展服务中心2019年政务公开实施方案',
    );
    await chooseFiles(page);
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.waitForURL(statusUrl);
    await expect.poll(() => page.content()).toContain('第 2 版');

    // ── two approvals through the page's buttons ────────────────────────────────────────────────
    for (let step = 0; step < 2; step += 1) {
      const [link] = await newApprovalLinks(system.outboxDirectory, seen);
      const decision = await approver.newPage();
      await decision.goto(link!);
      expect(await decision.locator('.doc mark').count()).toBeGreaterThan(0);
      await decision.getByRole('button', { name: '同意' }).click();
      await expect.poll(() => decision.locator('h1').textContent()).toContain('已处理');
      await decision.close();
    }

    // ── published: the status page links to the portal preview ──────────────────────────────────
    await reloadUntil(page, '已发布', 60_000);
    await check(page, '08-status-published', { phone: true });
    await page.getByRole('link', { name: '查看已发布的文件' }).click();
    await page.waitForURL(/\/portal\/view\/bundles\/[0-9A-Z]{26}$/);
    const bundleUrl = page.url();
    expect(await page.content()).toMatch(/640100-141\/\d{4}-\d{5}/);
    expect(await page.locator('a[href="#interpretation-1"]').count()).toBe(1);
    expect(await page.locator('#interpretation-1 a[href="#policy"]').count()).toBe(1);
    await check(page, '09-bundle-view', { phone: true });
    await checkElder(drafter, bundleUrl, '09-bundle-view', true);

    const catalog = await drafter.newPage();
    await catalog.goto(`${api}/portal/view`);
    expect(await catalog.locator(`a[href="${new URL(bundleUrl).pathname}"]`).count()).toBe(1);
    await check(catalog, '10-catalog', { phone: true });
    await checkElder(drafter, catalog.url(), '10-catalog', true);

    // ── the published 原文 and 解读 themselves ─────────────────────────────────────────────────────
    for (const [name, label] of [
      ['11-published-policy', '阅读原文（网页）'],
      ['12-published-interpretation', '阅读解读（网页）'],
    ] as const) {
      const published = await drafter.newPage();
      await published.goto(bundleUrl);
      await published.getByRole('link', { name: label }).first().click();
      await published.waitForURL(/\/portal\/bundles\/.+\/files\/.+\.html$/);
      const text = await published.locator('body').textContent();
      for (const value of Object.values(PLANTED)) expect(text, name).not.toContain(value);
      await check(published, name, { phone: true });
      await published.close();
    }

    // ── every page: no serious or critical axe violation, no horizontal scrolling at 390 px ─────
    expect(axeReport).toEqual({});
    expect(overflowReport).toEqual({});
  }, 150_000);

  it('fills and submits the form with the keyboard alone', async () => {
    const api = system.urls.api;
    // Same session; en-US so that a date is typed month, day, year (zh-CN's year field takes 6 digits).
    const keyboard = await browser.newContext({
      viewport: PHONE,
      locale: 'en-US',
      storageState: await drafter.storageState(),
    });
    const page = await keyboard.newPage();
    await page.goto(`${api}/app/submissions/new`);

    /** Presses Tab until the element with `id` has the focus. */
    const tabTo = async (id: string) => {
      for (let presses = 0; presses < 80; presses += 1) {
        await page.keyboard.press('Tab');
        if ((await activeElement(page)).id === id) return;
      }
      throw new Error(`Tab never reached #${id}.`);
    };
    const typeInto = async (id: string, text: string) => {
      await tabTo(id);
      await page.keyboard.type(text);
    };
    const chooseWithKeyboard = async (id: string, file: string) => {
      await tabTo(id);
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
      await chooser.setFiles(file);
    };

    await typeInto('f-metadata-title', '银川市大数据产业发展服务中心2019年政务公开实施方案');
    await typeInto('f-metadata-issuingBody', '银川市大数据产业发展服务中心');
    await typeInto('f-metadata-responsibleDepartment', '综合科');
    await typeInto('f-metadata-writtenDate', '07192019');
    await typeInto('f-metadata-subjectCategory', '综合政务');
    await typeInto('f-metadata-bodyCode', '640100-141');
    await typeInto('f-metadata-firstInterpreter-name', '王川');
    await typeInto('f-metadata-firstInterpreter-position', '中心主任');
    await typeInto('f-metadata-reviewSteps-0-approvers-0-name', '钱审');
    await typeInto('f-metadata-reviewSteps-0-approvers-0-email', 'qian@example.gov.cn');
    await typeInto('f-metadata-reviewSteps-1-approvers-0-name', '赵审');
    await typeInto('f-metadata-reviewSteps-1-approvers-0-email', 'zhaoshen@example.gov.cn');
    await chooseWithKeyboard('f-documents-policy', FIXTURES.policy);
    await chooseWithKeyboard('f-documents-interpretation', FIXTURES.interpretation);
    for (let presses = 0; presses < 10; presses += 1) {
      await page.keyboard.press('Tab');
      if ((await activeElement(page)).text === '提交审核') break;
    }
    // Either the status page (accepted) or the form again at /app/submissions (refused).
    await Promise.all([
      page.waitForURL(/\/app\/submissions(\/[0-9A-Z]{26})?$/),
      page.keyboard.press('Enter'),
    ]);
    await screenshot(page, '13-keyboard-submitted');
    const errors = page.locator('#error-summary');
    expect(await errors.count(), (await errors.count()) > 0 ? String(await errors.textContent()) : '').toBe(
      0,
    );
    expect(page.url()).toMatch(/\/app\/submissions\/[0-9A-Z]{26}$/);

    expect(await page.locator('h1').textContent()).toBe('银川市大数据产业发展服务中心2019年政务公开实施方案');
    expect(await page.content()).toMatch(/已提交|校验中|去标识化处理中|审查审签中/);
  }, 60_000);
});
