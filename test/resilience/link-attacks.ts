import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { Browser } from 'playwright-core';
import { demoMetadata } from '../../bin/commands/demo.js';
import { type ApprovalForm, type LocalClient, parseApprovalForm } from '../../infra/local/client.js';
import { type LocalHandler, loadHandler } from '../../infra/local/handlers.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { executionName } from '../../shared/config/workflow.js';
import { formTokenFor } from '../../shared/review/form-token.js';
import { CHROMIUM, launchChromium } from '../e2e/support.js';
import {
  createAndSubmit,
  drafter,
  emulatorClients,
  FINAL_STATUSES,
  outboxLinks,
  type PartReport,
  retrying,
  secretOf,
  sleep,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Approval links under attack. Three submissions run side by side:
 * - the main one, whose first review step has two approvers: before and after its genuine decisions,
 *   every way of deciding without the page is tried — an altered secret, the secret spelt otherwise
 *   (case, padding, trailing slash, percent-encoding), GET and HEAD by a mail scanner and a flood of
 *   them, a POST built from the URL alone, cross-site POSTs and forged or missing fetch metadata even
 *   with a valid form token, another link's form token, a body replayed to another approver's link,
 *   a headless browser that opens the page and clicks nothing, the link again after it decided, the
 *   other approver's link after the step was decided, and an expired link;
 * - one whose review step times out quickly, so a reminder supersedes its first link;
 * - one withdrawn by its drafter while its link is open.
 * Only the two genuine POSTs from the pages (one per step of the main submission) may record a
 * decision; every other kind of attempt is counted with the decisions recorded while it ran.
 */

/** The step whose time limit the test shortens, so the workflow's own reminder supersedes its links. */
const REMINDER_STEP = 'quick-reminder';
/**
 * Its time limit: seconds, so the reminder comes quickly. The superseded link is attacked with the
 * form token derived from the store, so nothing races to read its page while it is still open.
 */
const REMINDER_SECONDS = 3;
/**
 * How long a fresh submission may take to reach its approvers on a loaded 2-core machine (the same
 * budget `waitForStatus` gives a whole revision): validation, de-identification and the mail.
 */
const REACH_REVIEW_MS = 180_000;
/** From a review task's time-out to its reminder in the outbox: the task state, the handler, the mail. */
const MAIL_GRACE_MS = 60_000;

interface Attempt {
  kind: string;
  /** Which variant of the kind (never a link or a secret). */
  variant: string;
  expected: number[];
  status: number;
}

/** What one kind of attempt did: how often it was tried, and the decisions recorded meanwhile. */
interface KindTally {
  attempts: number;
  decisions: number;
}

/** Every kind of attempt the part makes: a kind never tried fails the part (nothing is skipped quietly). */
export const ATTACK_KINDS = [
  'altered secret',
  'secret spelt otherwise',
  'mail scanner GET/HEAD',
  'scanner flood',
  'POST without the form',
  'cross-site POST',
  'forged fetch metadata, valid token',
  "another link's form token",
  "body replayed to another approver's link",
  'headless browser, no click',
  'reused link',
  "another approver's link after the decision",
  'expired link',
  'superseded by a reminder',
  'withdrawn submission',
] as const;
type AttackKind = (typeof ATTACK_KINDS)[number];
const GENUINE = 'genuine POST from the page';

/** Decisions recorded in the whole table: decided review steps and APPROVED/REJECTED audit events. */
async function decisionsRecorded(system: LocalSystem, submissionId?: string) {
  const { dynamo } = emulatorClients(system);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: system.resources.TABLE_NAME, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  } finally {
    dynamo.destroy();
  }
  const mine = items.filter(
    (item) =>
      String(item.pk).startsWith('SUB#') && (submissionId === undefined || item.pk === `SUB#${submissionId}`),
  );
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

/**
 * The approval links mailed to `email` for a submission, once there are `count`. Waits on the
 * submission's own state rather than a fixed time: `timeoutMs` for it to reach review and mail its
 * approvers; once it is IN_REVIEW with a mail here and a review task waiting for its token, until
 * that task times out and its reminder is mailed. A submission that ends stops the wait at once.
 * The error says what was found — status, execution, review tasks waiting, approval mails present —
 * naming the approver by id and never a link or a token.
 */
export async function awaitApprovalLinks(
  system: LocalSystem,
  client: LocalClient,
  wanted: { submissionId: string; approverId: string; email: string; count?: number; timeoutMs?: number },
): Promise<string[]> {
  const count = wanted.count ?? 1;
  const started = Date.now();
  let deadline = started + (wanted.timeoutMs ?? REACH_REVIEW_MS);
  const found = async () => {
    const all = await outboxLinks(system);
    return { all, mine: all.filter((entry) => entry.to.includes(wanted.email)).map((entry) => entry.link) };
  };
  const reviewTasks = () => {
    const execution = system.stepFunctions.execution(executionName(wanted.submissionId, 1));
    const waiting = Object.values(execution?.callbacks ?? {}).filter((task) => task.outcome === undefined);
    return { execution, waiting };
  };
  let status = 'unknown';
  for (;;) {
    const { mine } = await found();
    if (mine.length >= count) return mine;
    status = await retrying(() => client.getSubmission(wanted.submissionId)).then(
      (view) => view.status,
      (error: unknown) => `unreadable (${error instanceof Error ? error.name : 'error'})`,
    );
    if ((FINAL_STATUSES as readonly string[]).includes(status)) break;
    if (status === 'IN_REVIEW' && mine.length > 0) {
      // Waiting for a reminder: it is mailed when the waiting task times out.
      for (const task of reviewTasks().waiting) {
        deadline = Math.max(
          deadline,
          Date.parse(task.startedAt) + task.timeoutSeconds * 1000 + MAIL_GRACE_MS,
        );
      }
    }
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  // One last look: the mail may have landed while the status was read.
  const { all, mine } = await found();
  if (mine.length >= count) return mine;
  const { execution, waiting } = reviewTasks();
  throw new Error(
    `No approval mail #${count} to ${wanted.approverId} of submission ${wanted.submissionId} after ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s: status ${status}, execution ${execution?.status ?? 'not started'}, ` +
      `review tasks waiting for a token ${waiting.length}, approval mails in the outbox ${all.length} ` +
      `(${mine.length} to ${wanted.approverId}).`,
  );
}

/** The stored link of a secret (the test reads the store; the system looks links up the same way). */
async function storedLink(system: LocalSystem, link: string) {
  const hash = createHash('sha256').update(secretOf(link), 'utf8').digest('hex');
  const { dynamo } = emulatorClients(system);
  try {
    const result = await dynamo.send(
      new GetCommand({ TableName: system.resources.TABLE_NAME, Key: { pk: `LINK#${hash}`, sk: 'LINK' } }),
    );
    return { hash, item: result.Item };
  } finally {
    dynamo.destroy();
  }
}

/** Headless Chromium; a missing one is a problem of the part (the browser visit cannot be skipped). */
async function launchBrowser(problems: string[]): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    problems.push(
      `the headless-browser visit cannot run: ${CHROMIUM} is missing. Install it with "apt-get update && apt-get install -y chromium".`,
    );
    return undefined;
  }
  return launchChromium();
}

/** The secret of `link` spelt otherwise; `same` marks spellings that decode to the very same secret. */
function respellings(link: string): { name: string; url: string; same: boolean }[] {
  const secret = secretOf(link);
  const base = link.slice(0, link.length - secret.length);
  // The first letter in the other case (a secret of 43 base64url characters always has one).
  const letter = secret.search(/[A-Za-z]/);
  const char = secret.charAt(letter);
  const swapped = char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase();
  const flipped = `${secret.slice(0, letter)}${swapped}${secret.slice(letter + 1)}`;
  const percent = (text: string) =>
    [...text].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return [
    { name: 'one letter in the other case', url: `${base}${flipped}`, same: false },
    { name: 'upper case', url: `${base}${secret.toUpperCase()}`, same: false },
    { name: 'base64 padding', url: `${base}${secret}=`, same: false },
    { name: 'padding percent-encoded', url: `${base}${secret}%3D`, same: false },
    { name: 'trailing slash', url: `${base}${secret}/`, same: false },
    { name: 'slash percent-encoded', url: `${base}${secret}%2F`, same: false },
    { name: 'space percent-encoded', url: `${base}${secret}%20`, same: false },
    { name: 'slash inside', url: `${base}${secret.slice(0, 20)}%2F${secret.slice(20)}`, same: false },
    { name: 'percent-encoded twice', url: `${base}${percent(secret).replaceAll('%', '%25')}`, same: false },
    // Percent-encoding an unreserved character changes nothing (RFC 3986): the same link.
    { name: 'percent-encoded', url: `${base}${percent(secret)}`, same: true },
  ];
}

/** Runs the attacks `rounds` times over (the browser visits once per round). */
export async function runLinkAttacks(options: { rounds: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const attempts: Attempt[] = [];
  const tallies = new Map<string, KindTally>();
  let validating: Promise<LocalHandler> | undefined;
  const handlers = {
    // The reminder submission's step times out in seconds instead of hours; everything else is real.
    validate: async (event: unknown, context: Context) => {
      validating ??= loadHandler('validate');
      const validate = await validating;
      const output = (await validate(event, context)) as {
        reviewSteps?: { stepId: string; timeoutSeconds: number }[];
      };
      for (const step of output.reviewSteps ?? []) {
        if (step.stepId === REMINDER_STEP) step.timeoutSeconds = REMINDER_SECONDS;
      }
      return output;
    },
  };
  const system = await startSystem({ handlers });
  let browser: Browser | undefined;
  try {
    const { client, documents } = await drafter(system);
    const origin = new URL(system.urls.api).origin;
    const step = (id: string, name: string, approvers: { id: string; name: string; email: string }[]) => ({
      id,
      name,
      approvers,
      timeoutHours: 1,
    });
    const mainId = await createAndSubmit(
      client,
      documents,
      demoMetadata({
        reviewSteps: [
          step('disclosure-review', '公开审查', [
            { id: 'approver-002', name: '钱审', email: 'qian@example.gov.cn' },
            { id: 'approver-003', name: '孙审', email: 'sun@example.gov.cn' },
          ]),
          step('sign-off', '审签', [{ id: 'approver-001', name: '赵审', email: 'zhaoshen@example.gov.cn' }]),
        ],
      }),
    );
    const reminderId = await createAndSubmit(
      client,
      documents,
      demoMetadata({
        reviewSteps: [
          step(REMINDER_STEP, '公开审查', [
            { id: 'approver-004', name: '周审', email: 'zhou@example.gov.cn' },
          ]),
        ],
      }),
    );
    const withdrawnId = await createAndSubmit(
      client,
      documents,
      demoMetadata({
        reviewSteps: [
          step('disclosure-review', '公开审查', [
            { id: 'approver-005', name: '吴审', email: 'wu@example.gov.cn' },
          ]),
        ],
      }),
    );
    const links = (
      submissionId: string,
      approverId: string,
      email: string,
      more: { count?: number; timeoutMs?: number } = {},
    ) => awaitApprovalLinks(system, client, { submissionId, approverId, email, ...more });

    const [linkA = ''] = await links(mainId, 'approver-002', 'qian@');
    const [linkB = ''] = await links(mainId, 'approver-003', 'sun@');

    const pageOf = async (link: string): Promise<ApprovalForm> => {
      const response = await fetch(link);
      const form = parseApprovalForm(await response.text(), link);
      if (form === undefined) throw new Error(`an approval page shows no form (${response.status}).`);
      return form;
    };
    const formA = await pageOf(linkA);
    const formB = await pageOf(linkB);
    // The store-derived token (used for the superseded link) is the page's own: checked on a live link.
    const tokenA = formTokenFor(
      (await storedLink(system, linkA)).item as { hash: string; formNonce?: string },
    );
    if (tokenA !== formA.fields.form_token)
      problems.push('the form token derived from the store is not the page’s');

    const record = (kind: string, expected: number[], status: number, variant = '') => {
      attempts.push({ kind, variant, expected, status });
      const tally = tallies.get(kind) ?? { attempts: 0, decisions: 0 };
      tally.attempts += 1;
      tallies.set(kind, tally);
    };
    /** Runs one kind's attempts and charges it with every decision recorded meanwhile. */
    const attack = async (kind: AttackKind | typeof GENUINE, run: () => Promise<void>) => {
      const before = await decisionsRecorded(system);
      await run();
      const after = await decisionsRecorded(system);
      const tally = tallies.get(kind) ?? { attempts: 0, decisions: 0 };
      tally.decisions += Math.max(after.audit - before.audit, after.steps - before.steps);
      tallies.set(kind, tally);
    };
    const post = async (
      kind: string,
      expected: number[],
      link: string,
      fields: Record<string, string>,
      headers: Record<string, string> = { origin },
      variant = `POST ${JSON.stringify(headers)}`,
    ) => {
      const response = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      record(kind, expected, response.status, variant);
    };
    const get = async (
      kind: string,
      expected: number[],
      link: string,
      method: 'GET' | 'HEAD',
      variant: string = method,
    ) => {
      const response = await fetch(link, {
        method,
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks mail scanner)' },
        redirect: 'manual',
      });
      await response.arrayBuffer();
      record(kind, expected, response.status, variant);
    };
    /** The approver's own decision through the page; a page without its form (decided already) is a problem. */
    const genuinePost = async (link: string) => {
      const answer = await client.decide(link, 'approve').catch((error: unknown) => {
        problems.push(`${GENUINE}: ${error instanceof Error ? error.message : String(error)}`);
        return { status: 0 };
      });
      record(GENUINE, [200], answer.status);
    };
    const approveFields = (form: ApprovalForm) => ({ ...form.fields, decision: 'approve', comment: '' });
    const secret = secretOf(linkA);
    const alteredLinks = [
      linkA.replace(secret, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`),
      linkA.replace(secret, `${secret.endsWith('x') ? 'y' : 'x'}${secret.slice(1)}`),
      linkA.replace(secret, secret.slice(0, -1)),
      linkA.replace(secret, `${secret}A`),
    ];

    browser = await launchBrowser(problems);
    for (let round = 0; round < options.rounds; round += 1) {
      await attack('altered secret', async () => {
        for (const altered of alteredLinks) {
          await get('altered secret', [404], altered, 'GET');
          await post('altered secret', [404], altered, approveFields(formA));
        }
      });
      await attack('secret spelt otherwise', async () => {
        for (const { name, url, same } of respellings(linkA)) {
          // The same secret percent-encoded is the same link: its page shows, but only the form decides.
          const kind = 'secret spelt otherwise';
          await get(kind, same ? [200] : [404], url, 'GET', `GET, ${name}`);
          await get(kind, same ? [200] : [404], url, 'HEAD', `HEAD, ${name}`);
          if (same) await post(kind, [403], url, { decision: 'approve' }, { origin }, `POST, ${name}`);
          else await post(kind, [404], url, approveFields(formA), { origin }, `POST, ${name}`);
        }
      });
      await attack('mail scanner GET/HEAD', async () => {
        await get('mail scanner GET/HEAD', [200], linkA, 'GET');
        await get('mail scanner GET/HEAD', [200], linkA, 'HEAD');
        await get('mail scanner GET/HEAD', [200], linkB, 'GET');
        await get('mail scanner GET/HEAD', [200], linkB, 'HEAD');
      });
      await attack('scanner flood', async () => {
        // 50 fetches, 10 at a time, as a scanning gateway fans out over a mail's links.
        const queue = Array.from({ length: 50 }, (_, index) => ({
          link: index % 2 === 0 ? linkA : linkB,
          method: index % 3 === 0 ? ('HEAD' as const) : ('GET' as const),
        }));
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
              await get('scanner flood', [200], next.link, next.method);
            }
          }),
        );
      });
      await attack('POST without the form', async () => {
        await post('POST without the form', [403], linkA, { decision: 'approve' });
        await post('POST without the form', [403], linkA, { decision: 'approve', form_token: '' });
      });
      await attack('cross-site POST', async () => {
        const evil = 'https://evil.example';
        await post('cross-site POST', [403], linkA, approveFields(formA), { origin: evil });
        await post('cross-site POST', [403], linkA, approveFields(formA), { 'sec-fetch-site': 'cross-site' });
        await post('cross-site POST', [403], linkA, approveFields(formA), {
          origin: evil,
          'sec-fetch-site': 'cross-site',
        });
      });
      await attack('forged fetch metadata, valid token', async () => {
        const kind = 'forged fetch metadata, valid token';
        const evilPage = 'https://evil.example/phish.html';
        const variants: Record<string, string>[] = [
          // Forged: claims that contradict each other or point elsewhere.
          { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
          { origin, 'sec-fetch-site': 'same-site' },
          { origin, 'sec-fetch-site': 'none' },
          { origin: `http://${new URL(origin).hostname}.evil.example` },
          { origin: 'http://127.0.0.1:1' },
          { origin: 'evil.example' },
          // Absent: a browser that sends no Origin (or `null`) and no Sec-Fetch-Site still names the
          // page it came from in Referer.
          { 'sec-fetch-site': 'cross-site' },
          { origin: 'null', 'sec-fetch-site': 'cross-site' },
          { referer: evilPage },
          { origin: 'null', referer: evilPage },
        ];
        for (const headers of variants) {
          await post(kind, [403], linkA, approveFields(formA), headers);
        }
      });
      await attack("another link's form token", async () => {
        await post("another link's form token", [403], linkA, approveFields(formB));
      });
      await attack("body replayed to another approver's link", async () => {
        // The whole body the page of A would send (its token, decision and comment), sent to B.
        await post("body replayed to another approver's link", [403], linkB, approveFields(formA));
        await post("body replayed to another approver's link", [403], linkB, {
          ...formA.fields,
          decision: 'reject',
          comment: '请修改',
        });
      });
      await attack('headless browser, no click', async () => {
        if (browser === undefined) return;
        const page = await browser.newPage();
        try {
          const response = await page.goto(linkA, { waitUntil: 'networkidle' });
          await sleep(500);
          record('headless browser, no click', [200], response?.status() ?? 0);
        } finally {
          await page.close();
        }
      });
    }
    const before = await decisionsRecorded(system, mainId);
    if (before.audit !== 0 || before.steps !== 0) {
      problems.push(`a decision was recorded before any genuine POST: ${JSON.stringify(before)}`);
    }

    // The genuine decision: the page's own form, same origin.
    await attack(GENUINE, () => genuinePost(linkA));

    const [linkC = ''] = await links(mainId, 'approver-001', 'zhaoshen@');
    const formC = await pageOf(linkC);
    for (let round = 0; round < options.rounds; round += 1) {
      await attack('reused link', async () => {
        await post('reused link', [409], linkA, approveFields(formA));
        await post('reused link', [409], linkA, { ...formA.fields, decision: 'reject', comment: '改主意了' });
      });
      await attack("another approver's link after the decision", async () => {
        await get("another approver's link after the decision", [409], linkB, 'GET');
        await post("another approver's link after the decision", [409], linkB, approveFields(formB));
      });
      await attack("body replayed to another approver's link", async () => {
        // The body that decided step one, replayed to the same step's other link and to step two's.
        await post("body replayed to another approver's link", [409], linkB, approveFields(formA));
        await post("body replayed to another approver's link", [403], linkC, approveFields(formA));
      });
    }

    // Step two: its link expires (the clock moved past its expiry in the store), then is restored.
    const { hash: hashC } = await storedLink(system, linkC);
    const { dynamo } = emulatorClients(system);
    const setExpiry = async (expiresAt: string) => {
      const result = await dynamo.send(
        new UpdateCommand({
          TableName: system.resources.TABLE_NAME,
          Key: { pk: `LINK#${hashC}`, sk: 'LINK' },
          UpdateExpression: 'SET expiresAt = :at',
          ExpressionAttributeValues: { ':at': expiresAt },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return String(result.Attributes?.expiresAt ?? '');
    };
    const original = await setExpiry(new Date(Date.now() - 60_000).toISOString());
    for (let round = 0; round < options.rounds; round += 1) {
      await attack('expired link', async () => {
        await get('expired link', [410], linkC, 'GET');
        await get('expired link', [410], linkC, 'HEAD');
        await post('expired link', [410], linkC, approveFields(formC));
      });
    }
    await setExpiry(original);
    dynamo.destroy();
    const middle = await decisionsRecorded(system, mainId);
    if (middle.audit !== 1 || middle.steps !== 1) {
      problems.push(`after one genuine decision the store holds ${JSON.stringify(middle)}`);
    }

    await attack(GENUINE, () => genuinePost(linkC));
    const final = await waitForStatus(client, mainId);
    if (final?.status !== 'PUBLISHED')
      problems.push(`the main submission ended ${final?.status}, not PUBLISHED`);
    const after = await decisionsRecorded(system, mainId);
    if (after.audit !== 2 || after.steps !== 2) {
      problems.push(`after two genuine decisions the store holds ${JSON.stringify(after)}`);
    }

    // A reminder supersedes the first link: with the first link's valid form token, nothing decides.
    const reminded = await links(reminderId, 'approver-004', 'zhou@', { count: 2 });
    const first = reminded[0] ?? '';
    const stored = await storedLink(system, first);
    const later = await Promise.all(reminded.slice(1).map((link) => storedLink(system, link)));
    if (stored.item?.attempt !== 0 || !later.some((link) => Number(link.item?.attempt) >= 1)) {
      problems.push(
        `the reminder's links are not a later attempt (first ${stored.item?.attempt}, then ${later.map((link) => link.item?.attempt).join('/')})`,
      );
    }
    const supersededToken = formTokenFor(stored.item as { hash: string; formNonce?: string }) ?? '';
    const supersededFields = { form_token: supersededToken, decision: 'approve', comment: '' };
    for (let round = 0; round < options.rounds; round += 1) {
      await attack('superseded by a reminder', async () => {
        await get('superseded by a reminder', [410], first, 'GET');
        await get('superseded by a reminder', [410], first, 'HEAD');
        await post('superseded by a reminder', [410], first, supersededFields);
      });
    }
    const remindedDecisions = await decisionsRecorded(system, reminderId);
    if (remindedDecisions.audit !== 0 || remindedDecisions.steps !== 0) {
      problems.push(`the reminded submission holds decisions: ${JSON.stringify(remindedDecisions)}`);
    }

    // A withdrawn submission: its link, open a moment ago, with its page's valid form, decides nothing.
    const [linkW = ''] = await links(withdrawnId, 'approver-005', 'wu@');
    const formW = await pageOf(linkW);
    const { status: withdrawn } = await client.withdraw(withdrawnId, {
      explanation: '起草人撤回，重新起草。',
    });
    if (withdrawn !== 200) problems.push(`withdrawing the submission answered ${withdrawn}`);
    for (let round = 0; round < options.rounds; round += 1) {
      await attack('withdrawn submission', async () => {
        await get('withdrawn submission', [410], linkW, 'GET');
        await get('withdrawn submission', [410], linkW, 'HEAD');
        await post('withdrawn submission', [410], linkW, approveFields(formW));
      });
    }
    const withdrawnView = await client.getSubmission(withdrawnId);
    if (withdrawnView.status !== 'WITHDRAWN')
      problems.push(`the withdrawn submission is ${withdrawnView.status}`);
    const withdrawnDecisions = await decisionsRecorded(system, withdrawnId);
    if (withdrawnDecisions.audit !== 0 || withdrawnDecisions.steps !== 0) {
      problems.push(`the withdrawn submission holds decisions: ${JSON.stringify(withdrawnDecisions)}`);
    }

    // One line per kind, variant and answer, however often it happened.
    const unexpected = new Map<string, number>();
    for (const attempt of attempts) {
      if (attempt.expected.includes(attempt.status)) continue;
      const line = `${attempt.kind} (${attempt.variant}): answered ${attempt.status}, expected ${attempt.expected.join('/')}`;
      unexpected.set(line, (unexpected.get(line) ?? 0) + 1);
    }
    for (const [line, times] of unexpected) problems.push(times === 1 ? line : `${line} (×${times})`);
    for (const kind of ATTACK_KINDS) {
      const tally = tallies.get(kind);
      if (tally === undefined || tally.attempts === 0) problems.push(`${kind}: never tried`);
      else if (tally.decisions !== 0) problems.push(`${kind}: ${tally.decisions} decisions recorded`);
    }
    const genuine = tallies.get(GENUINE);
    if (genuine?.attempts !== 2 || genuine.decisions !== 2) {
      problems.push(
        `the genuine POSTs recorded ${genuine?.decisions} decisions in ${genuine?.attempts} attempts`,
      );
    }

    const outcomes: Record<string, number> = {};
    for (const [kind, tally] of tallies) {
      outcomes[`${kind}: attempts`] = tally.attempts;
      outcomes[`${kind}: decisions`] = tally.decisions;
    }
    return {
      part: 'approval links under attack',
      attempts: attempts.length,
      outcomes: {
        ...outcomes,
        'browser visits': tallies.get('headless browser, no click')?.attempts ?? 0,
        'decisions recorded': after.audit + remindedDecisions.audit + withdrawnDecisions.audit,
      },
      ms: Date.now() - started,
      problems,
    };
  } finally {
    await browser?.close();
    await system.stop();
  }
}
