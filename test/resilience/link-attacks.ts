import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { demoMetadata } from '../../bin/commands/demo.js';
import { type ApprovalForm, parseApprovalForm } from '../../infra/local/client.js';
import type { LocalSystem } from '../../infra/local/system.js';
import {
  createAndSubmit,
  drafter,
  emulatorClients,
  outboxLinks,
  type PartReport,
  secretOf,
  sleep,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Approval links under attack. One submission whose first review step has two approvers; before
 * and after its genuine decision, every way of deciding without the page is tried: an altered
 * secret, GET and HEAD by a mail scanner, a POST built from the URL alone, cross-site POSTs
 * (another Origin, `Sec-Fetch-Site: cross-site`) even with a valid form token, another link's form
 * token, a headless browser that opens the page and clicks nothing, the link again after it
 * decided, the other approver's link after the step was decided, and an expired link. Only the two
 * genuine POSTs from the pages (one per step) may record a decision.
 */

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Attempt {
  kind: string;
  expected: number[];
  status: number;
}

/** Decisions the system recorded for a submission: decided steps and APPROVED/REJECTED audit events. */
async function decisionsRecorded(system: LocalSystem, submissionId: string) {
  const { dynamo } = emulatorClients(system);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: system.resources.TABLE_NAME, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const mine = items.filter((item) => item.pk === `SUB#${submissionId}`);
  dynamo.destroy();
  return {
    audit: mine.filter(
      (item) =>
        String(item.sk).startsWith('AUDIT#') && ['APPROVED', 'REJECTED'].includes(String(item.action)),
    ).length,
    steps: mine.filter(
      (item) => String(item.sk).includes('#STEP#') && ['APPROVED', 'REJECTED'].includes(String(item.status)),
    ).length,
  };
}

/** The links of the outbox addressed to `email`, waiting until there are `count`. */
async function linksFor(system: LocalSystem, email: string, count = 1): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const links = (await outboxLinks(system))
      .filter((entry) => entry.to.includes(email))
      .map((entry) => entry.link);
    if (links.length >= count) return links;
    await sleep(100);
  }
  throw new Error(`No approval mail to ${email}.`);
}

/** Runs the attacks `rounds` times over (the browser visits once per round). */
export async function runLinkAttacks(options: { rounds: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const attempts: Attempt[] = [];
  const system = await startSystem();
  try {
    const { client, documents } = await drafter(system);
    const origin = new URL(system.urls.api).origin;
    const metadata = demoMetadata({
      reviewSteps: [
        {
          id: 'disclosure-review',
          name: '公开审查',
          approvers: [
            { id: 'approver-002', name: '钱审', email: 'qian@example.gov.cn' },
            { id: 'approver-003', name: '孙审', email: 'sun@example.gov.cn' },
          ],
          timeoutHours: 1,
        },
        {
          id: 'sign-off',
          name: '审签',
          approvers: [{ id: 'approver-001', name: '赵审', email: 'zhaoshen@example.gov.cn' }],
          timeoutHours: 1,
        },
      ],
    });
    const submissionId = await createAndSubmit(client, documents, metadata);
    const [linkA = ''] = await linksFor(system, 'qian@');
    const [linkB = ''] = await linksFor(system, 'sun@');

    const pageOf = async (link: string): Promise<ApprovalForm> => {
      const response = await fetch(link);
      const form = parseApprovalForm(await response.text(), link);
      if (form === undefined) throw new Error(`${link} shows no form (${response.status}).`);
      return form;
    };
    const formA = await pageOf(linkA);
    const formB = await pageOf(linkB);
    const post = async (
      kind: string,
      expected: number[],
      link: string,
      fields: Record<string, string>,
      headers: Record<string, string> = { origin },
    ) => {
      const response = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      attempts.push({ kind, expected, status: response.status });
    };
    const get = async (kind: string, expected: number[], link: string, method: 'GET' | 'HEAD') => {
      const response = await fetch(link, {
        method,
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks mail scanner)' },
        redirect: 'manual',
      });
      await response.arrayBuffer();
      attempts.push({ kind, expected, status: response.status });
    };
    const approveFields = (form: ApprovalForm) => ({ ...form.fields, decision: 'approve', comment: '' });
    const secret = secretOf(linkA);
    const alteredLinks = [
      linkA.replace(secret, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`),
      linkA.replace(secret, `${secret.endsWith('x') ? 'y' : 'x'}${secret.slice(1)}`),
      linkA.replace(secret, secret.slice(0, -1)),
      linkA.replace(secret, `${secret}A`),
    ];

    const browser = await launchBrowser(problems);
    try {
      for (let round = 0; round < options.rounds; round += 1) {
        for (const altered of alteredLinks) {
          await get('altered secret', [404], altered, 'GET');
          await post('altered secret', [404], altered, approveFields(formA));
        }
        await get('mail scanner GET', [200], linkA, 'GET');
        await get('mail scanner HEAD', [200], linkA, 'HEAD');
        await get('mail scanner GET', [200], linkB, 'GET');
        await post('POST without the form', [403], linkA, { decision: 'approve' });
        await post('cross-site POST', [403], linkA, approveFields(formA), { origin: 'https://evil.example' });
        await post('cross-site POST', [403], linkA, approveFields(formA), { 'sec-fetch-site': 'cross-site' });
        await post('cross-site POST', [403], linkA, approveFields(formA), {
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        });
        await post("another link's form token", [403], linkA, approveFields(formB));
        if (browser !== undefined) {
          const page = await browser.newPage();
          const response = await page.goto(linkA, { waitUntil: 'networkidle' });
          await sleep(500);
          await page.close();
          attempts.push({
            kind: 'headless browser, no click',
            expected: [200],
            status: response?.status() ?? 0,
          });
        }
      }
      const before = await decisionsRecorded(system, submissionId);
      if (before.audit !== 0 || before.steps !== 0) {
        problems.push(`a decision was recorded before any genuine POST: ${JSON.stringify(before)}`);
      }

      // The genuine decision: the page's own form, same origin.
      const genuine = await client.decide(linkA, 'approve');
      attempts.push({ kind: 'genuine POST from the page', expected: [200], status: genuine.status });

      for (let round = 0; round < options.rounds; round += 1) {
        await post('reused link', [409], linkA, approveFields(formA));
        await post('reused link', [409], linkA, { ...formA.fields, decision: 'reject', comment: '改主意了' });
        await get("another approver's link after the decision", [409], linkB, 'GET');
        await post("another approver's link after the decision", [409], linkB, approveFields(formB));
      }

      // Step two: its link expires (the clock moved past its expiry in the store), then is restored.
      const [linkC = ''] = await linksFor(system, 'zhaoshen@');
      const formC = await pageOf(linkC);
      const hash = createHash('sha256').update(secretOf(linkC), 'utf8').digest('hex');
      const { dynamo } = emulatorClients(system);
      const setExpiry = async (expiresAt: string) => {
        const result = await dynamo.send(
          new UpdateCommand({
            TableName: system.resources.TABLE_NAME,
            Key: { pk: `LINK#${hash}`, sk: 'LINK' },
            UpdateExpression: 'SET expiresAt = :at',
            ExpressionAttributeValues: { ':at': expiresAt },
            ReturnValues: 'UPDATED_OLD',
          }),
        );
        return String(result.Attributes?.expiresAt ?? '');
      };
      const original = await setExpiry(new Date(Date.now() - 60_000).toISOString());
      for (let round = 0; round < options.rounds; round += 1) {
        await get('expired link', [410], linkC, 'GET');
        await post('expired link', [410], linkC, approveFields(formC));
      }
      await setExpiry(original);
      dynamo.destroy();
      const middle = await decisionsRecorded(system, submissionId);
      if (middle.audit !== 1 || middle.steps !== 1) {
        problems.push(`after one genuine decision the store holds ${JSON.stringify(middle)}`);
      }

      const second = await client.decide(linkC, 'approve');
      attempts.push({ kind: 'genuine POST from the page', expected: [200], status: second.status });
      const final = await waitForStatus(client, submissionId);
      if (final?.status !== 'PUBLISHED')
        problems.push(`the submission ended ${final?.status}, not PUBLISHED`);
      const after = await decisionsRecorded(system, submissionId);
      if (after.audit !== 2 || after.steps !== 2) {
        problems.push(`after two genuine decisions the store holds ${JSON.stringify(after)}`);
      }

      for (const attempt of attempts) {
        if (!attempt.expected.includes(attempt.status)) {
          problems.push(
            `${attempt.kind}: answered ${attempt.status}, expected ${attempt.expected.join('/')}`,
          );
        }
      }
      const outcomes: Record<string, number> = {};
      for (const attempt of attempts) {
        const label = attempt.kind.startsWith('genuine') ? 'genuine' : `${attempt.status}`;
        outcomes[label] = (outcomes[label] ?? 0) + 1;
      }
      return {
        part: 'approval links under attack',
        attempts: attempts.length,
        outcomes: {
          ...outcomes,
          'browser visits': attempts.filter((attempt) => attempt.kind.startsWith('headless')).length,
          'decisions recorded': after.audit,
        },
        ms: Date.now() - started,
        problems,
      };
    } finally {
      await browser?.close();
    }
  } finally {
    await system.stop();
  }
}

/** Headless Chromium, or undefined (a problem when CI is set) if it is not installed. */
async function launchBrowser(problems: string[]) {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI !== undefined && process.env.CI !== '') problems.push(`${CHROMIUM} is missing`);
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}
