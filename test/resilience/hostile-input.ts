import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { demoMetadata } from '../../bin/commands/demo.js';
import { type DraftDocument, HttpStatusError, type LocalClient } from '../../infra/local/client.js';
import { readOutbox } from '../../infra/local/outbox.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { buildStacks } from '../../infra/stacks/gongkai.js';
import { STATIC_FEED_KEYS } from '../../shared/publication/feeds.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support.js';
import {
  BOMB_OVERLAPPING_ENTRIES,
  BOMB_PART_BYTES,
  generateHostileFiles,
} from '../fixtures/hostile/generate.js';
import {
  drafter,
  emulatorClients,
  type PartReport,
  retrying,
  sleep,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Hostile input through the real API. Every file of `test/fixtures/hostile/generate.ts` is attached
 * to a submission (next to the sample 原文 and 解读), then: refused at create with its own Chinese
 * message (400), or RETURNED by Validate with a comment carrying that message, or read harmlessly
 * (the submission waits in review and its approval page carries no active content). Plus an
 * interpretation of another policy (RETURNED, saying so), a 原文 whose file name hides its
 * extension behind a right-to-left override, and a title full of markup that is approved through
 * the mailed links all the way to PUBLISHED. Then:
 * - the markup is inert everywhere it is shown: the approval page, the mails, the bundle's HTML,
 *   the portal's JSON, the static feeds, the drafter's and the portal's web pages — escaped, and
 *   in Chromium no dialog opens and no script or handler exists;
 * - no bidirectional control character of a file name reaches a page or a mail;
 * - only that one bundle is published, the system still answers, no S3 key carries a file name;
 * - the true peak of the process's resident memory (`maxRSS`, and samples) grew by less than one
 *   Validate/De-identify function's memory, while the bombs inflate to many times that.
 */

/** What the functions that read uploads may use, from the CDK app itself (in bytes). */
export function functionMemoryBudget(): { bytes: number; byFunction: Record<string, number> } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { pipeline } = buildStacks(app);
  const byFunction: Record<string, number> = {};
  for (const name of ['validate', 'deidentify'] as const) {
    const resource = pipeline.functions[name].function.node.defaultChild as CfnFunction;
    const megabytes = resource.memorySize;
    if (typeof megabytes !== 'number') throw new Error(`The ${name} function has no memory size.`);
    byFunction[name] = megabytes;
  }
  return { bytes: Math.min(...Object.values(byFunction)) * 1024 * 1024, byFunction };
}

const CONTENT_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
  html: 'text/html',
  md: 'text/markdown',
};

/** A real element or attribute that runs code (escaped text such as `&lt;img onerror=` is not). */
const ACTIVE_CONTENT =
  /<(?:script|iframe|svg|object|embed)\b|<[a-z][^<>]*\son[a-z]+\s*=|\bhref\s*=\s*["']?\s*javascript:/i;
const XSS_TITLE =
  '<script>alert(1)</script>银川市大数据产业发展服务中心2019年政务公开实施方案"><img src=x onerror=alert(2)>';
/** In the markup title's mails only: tells its approval links from the others'. */
const XSS_MARKER = 'onerror=alert(2)';
/** The title as the `html` template escapes it: what an HTML page must carry. */
const XSS_TITLE_ESCAPED = XSS_TITLE.replaceAll('&', '&amp;')
  .replaceAll('<', '&lt;')
  .replaceAll('>', '&gt;')
  .replaceAll('"', '&quot;')
  .replaceAll("'", '&#39;');
/** Embeddings, overrides and isolates (U+202A–E, U+2066–9), raw or as character references. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]|&#(?:x0*(?:202[a-e]|206[6-9])|0*(?:823[4-8]|829[4-7]));/i;
const RTL_POLICY_NAME = '实施方案\u202Etxt.exe\u202C.txt';

/** The active content found, with a little context. */
function context(text: string, pattern = ACTIVE_CONTENT): string {
  const match = pattern.exec(text);
  return match === null ? '' : JSON.stringify(text.slice(Math.max(0, match.index - 60), match.index + 60));
}

/**
 * The true peak of the resident set while work runs, as growth over the RSS when watching began:
 * the kernel's high-water mark (`maxRSS`) when the work raised it, else the highest 25 ms sample
 * (the process had been larger before, e.g. while the CDK app was synthesized).
 */
function watchMemory() {
  const baseline = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = baseline;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 25);
  return {
    stop: () => {
      clearInterval(timer);
      sampled = Math.max(sampled, process.memoryUsage().rss);
      const maxAfter = process.resourceUsage().maxRSS * 1024;
      const peak = maxAfter > maxBefore ? maxAfter : sampled;
      return { growth: peak - baseline, by: maxAfter > maxBefore ? 'maxRSS' : 'samples' };
    },
  };
}

type Outcome = 'refused at create' | 'returned' | 'harmless in review' | 'wrong';

/** One submission to make, and what must become of it. */
interface Attempt {
  label: string;
  documents: DraftDocument[];
  /** A generated hostile file, attached under its hostile name. */
  attachment?: { file: string; fileName: string; contentType: string };
  metadata: Record<string, unknown>;
  expect: Outcome;
  /** A fragment of the message the drafter must be given (400 body or RETURNED comment). */
  message?: string;
  /** Approved through its mailed links to PUBLISHED. */
  publish?: boolean;
}

/** A drafter's session cookie for the web pages (the JSON client keeps its token to itself). */
async function sessionCookie(system: LocalSystem, drafterId: string): Promise<string> {
  const response = await fetch(system.urls.signIn, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ drafter: drafterId }),
  });
  const { token } = (await response.json()) as { token: string };
  return token;
}

/** GET a page of the system as a browser would (HTML accepted, the session cookie sent). */
async function page(system: LocalSystem, pathname: string, token?: string) {
  const response = await fetch(new URL(pathname, system.urls.api), {
    headers: { accept: 'text/html', ...(token === undefined ? {} : { cookie: `gk_session=${token}` }) },
    redirect: 'manual',
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    html: await response.text(),
  };
}

/**
 * Approves, through the mailed links, every review step of the submission whose approval mails'
 * subject contains `marker`, until it is PUBLISHED (or another final status). `onPage` sees each
 * link before it is decided.
 */
async function approveMarked(
  system: LocalSystem,
  client: LocalClient,
  submissionId: string,
  marker: string,
  onPage: (link: string) => Promise<void>,
): Promise<string> {
  const seen = new Set<string>();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const current = await retrying(() => client.getSubmission(submissionId));
    if (['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'].includes(current.status)) return current.status;
    const prefix = new URL('/approvals/', system.urls.api).href;
    const fresh = (await readOutbox(system.outboxDirectory))
      .filter((mail) => mail.subject.includes(marker))
      .flatMap((mail) => mail.links.filter((link) => link.startsWith(prefix) && !seen.has(link)));
    for (const link of fresh) {
      seen.add(link);
      await onPage(link);
      const decided = await client.decide(link, 'approve');
      if (decided.status >= 400) throw new Error(`approving answered ${decided.status}`);
    }
    if (fresh.length === 0) await sleep(100);
  }
  return 'stuck';
}

/** Runs every hostile case (`limit` of the generated files, all by default). */
export async function runHostileInput(options: { limit?: number } = {}): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const outcomes: Record<string, number> = {};
  const folder = await mkdtemp(path.join(tmpdir(), 'gongkai-hostile-'));
  let system: LocalSystem | undefined;
  let browser: import('playwright-core').Browser | undefined;
  try {
    const manifest = (await generateHostileFiles(folder)).slice(0, options.limit);
    const budget = functionMemoryBudget();
    // The bombs must dwarf the budget, or a guard that inflated them could still pass.
    const bombed = manifest.filter(
      (entry) => entry.file === 'zip-bomb.docx' || entry.file === 'lying-header.docx',
    );
    if (
      bombed.length > 0 &&
      (BOMB_PART_BYTES < 3 * budget.bytes || BOMB_OVERLAPPING_ENTRIES * BOMB_PART_BYTES < 8 * budget.bytes)
    )
      problems.push(`the bombs inflate to too little against the ${budget.bytes / 1048576} MiB budget`);
    system = await startSystem();
    const { client, documents } = await drafter(system);
    const [policyDocument, interpretationDocument] = documents;
    if (policyDocument === undefined || interpretationDocument === undefined)
      throw new Error('The demo has two documents.');
    const count = (outcome: string) => {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    };

    const attempts: Attempt[] = [];
    for (const entry of manifest) {
      const extension = entry.uploadName.split('.').pop()?.toLowerCase() ?? '';
      attempts.push({
        label: entry.file,
        documents,
        attachment: {
          file: entry.file,
          fileName: entry.uploadName,
          contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
        },
        metadata: demoMetadata(),
        expect:
          entry.refusedAt === 'create'
            ? 'refused at create'
            : entry.expect === 'read'
              ? 'harmless in review'
              : 'returned',
        ...(entry.message === undefined ? {} : { message: entry.message }),
      });
    }
    attempts.push({
      label: 'interpretation of another policy',
      documents: [
        policyDocument,
        {
          role: 'interpretation',
          fileName: '另一政策解读.txt',
          contentType: 'text/plain',
          body: new TextEncoder().encode(
            '《石嘴山市农业机械购置补贴实施细则》解读\n一、补贴对象为本市从事农业生产的个人和组织。\n',
          ),
        },
      ],
      metadata: demoMetadata(),
      expect: 'returned',
      message: '中找不到原文的标题或文号',
    });
    attempts.push({
      label: 'right-to-left override in the 原文 file name',
      documents: [{ ...policyDocument, fileName: RTL_POLICY_NAME }, interpretationDocument],
      metadata: demoMetadata(),
      expect: 'harmless in review',
    });
    attempts.push({
      label: 'markup in the title',
      documents,
      metadata: demoMetadata({ title: XSS_TITLE }),
      expect: 'harmless in review',
      publish: true,
    });

    const memory = watchMemory();
    const pending: { attempt: Attempt; id: string }[] = [];
    for (const attempt of attempts) {
      const draft = [...attempt.documents];
      if (attempt.attachment !== undefined) {
        // Read only now, so that its bytes count against the memory budget too.
        const { file, ...declared } = attempt.attachment;
        draft.push({
          role: 'attachment',
          ...declared,
          body: new Uint8Array(await readFile(path.join(folder, file))),
        });
      }
      let created: Awaited<ReturnType<typeof client.createSubmission>>;
      try {
        created = await retrying(() => client.createSubmission(attempt.metadata, draft));
      } catch (error) {
        if (!(error instanceof HttpStatusError) || error.status !== 400) {
          problems.push(
            `${attempt.label}: create failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          continue;
        }
        count('refused at create');
        if (attempt.expect !== 'refused at create')
          problems.push(
            `${attempt.label}: refused at create (${error.body.slice(0, 200)}), expected ${attempt.expect}`,
          );
        else if (attempt.message === undefined || !error.body.includes(attempt.message))
          problems.push(
            `${attempt.label}: refused without the message 「${attempt.message}」: ${error.body.slice(0, 300)}`,
          );
        continue;
      }
      await retrying(() => client.upload(created.uploads, draft));
      try {
        await retrying(() => client.submit(created.submissionId));
      } catch (error) {
        // Every hostile case is decided at create or by Validate: a refusal here would be a third,
        // unplanned place, whatever its message.
        count('refused at submit');
        problems.push(
          `${attempt.label}: submit refused: ${error instanceof HttpStatusError ? `${error.status} ${error.body.slice(0, 200)}` : String(error)}`,
        );
        continue;
      }
      pending.push({ attempt, id: created.submissionId });
    }

    const returnedComments = new Map<string, string>();
    for (const { attempt, id } of pending) {
      const final = await waitForStatus(
        client,
        id,
        ['RETURNED', 'FAILED', 'PUBLISHED', 'REGISTERED', 'IN_REVIEW'],
        90_000,
      );
      let outcome: Outcome = 'wrong';
      if (final?.status === 'RETURNED') {
        outcome = 'returned';
        const comment = final.returnedComment ?? '';
        returnedComments.set(id, comment);
        if (attempt.message === undefined || !comment.includes(attempt.message))
          problems.push(
            `${attempt.label}: RETURNED without the message 「${attempt.message}」: ${comment.slice(0, 300)}`,
          );
      } else if (final?.status === 'IN_REVIEW') {
        outcome = 'harmless in review';
      } else {
        problems.push(`${attempt.label}: ended ${final?.status}`);
      }
      if (outcome !== attempt.expect)
        problems.push(`${attempt.label}: ${outcome}, expected ${attempt.expect}`);
      count(outcome);
    }
    const memoryUse = memory.stop();
    if (memoryUse.growth > budget.bytes) {
      problems.push(
        `resident memory peaked ${Math.round(memoryUse.growth / 1048576)} MiB above its start (${memoryUse.by}; budget ${budget.bytes / 1048576} MiB, the functions' memory)`,
      );
    }

    // The markup title, approved through its links to PUBLISHED; its approval pages seen in Chromium.
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const token = await sessionCookie(system, 'drafter-001');
    const apiUrl = new URL(system.urls.api);
    const inBrowser = async (label: string, url: string, withSession = false) => {
      const context = await browser!.newContext();
      if (withSession)
        await context.addCookies([{ name: 'gk_session', value: token, domain: apiUrl.hostname, path: '/' }]);
      const tab = await context.newPage();
      const dialogs: string[] = [];
      tab.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const response = await tab.goto(url, { waitUntil: 'load' });
      // String expressions: the project compiles without the DOM library.
      const found = (await tab.evaluate(`({
        scripts: document.querySelectorAll('script').length,
        handlers: [...document.querySelectorAll('*')].filter((element) =>
          [...element.attributes].some((attribute) => /^on/i.test(attribute.name))).length,
        images: document.querySelectorAll('img[src="x"]').length,
        shown: document.body.textContent.includes(${JSON.stringify(XSS_TITLE)}),
      })`)) as { scripts: number; handlers: number; images: number; shown: boolean };
      await sleep(200);
      await context.close();
      if (response?.status() !== 200) problems.push(`${label} answered ${response?.status()} in Chromium`);
      if (dialogs.length > 0) problems.push(`${label}: a dialog opened in Chromium (${dialogs.join(', ')})`);
      if (found.scripts + found.handlers + found.images > 0)
        problems.push(
          `${label}: ${found.scripts} scripts, ${found.handlers} handlers, ${found.images} injected images in Chromium`,
        );
      if (!found.shown) problems.push(`${label}: the title is not shown as text in Chromium`);
      count('pages opened in Chromium');
    };
    const marked = pending.find(({ attempt }) => attempt.publish === true);
    let bundleId: string | null = null;
    if (marked === undefined) problems.push('the markup title never reached review');
    else {
      let first = true;
      const status = await approveMarked(system, client, marked.id, XSS_MARKER, async (link) => {
        if (first) await inBrowser('the approval page', link);
        first = false;
      });
      if (status !== 'PUBLISHED') problems.push(`the markup title ended ${status}, not PUBLISHED`);
      bundleId = (await retrying(() => client.getSubmission(marked.id))).bundleId;
    }

    // Where the published title is shown: the bundle's pages, the portal's JSON and the feeds.
    const catalog = await retrying(() => client.catalog());
    if (catalog.length !== 1 || catalog[0]?.bundleId !== bundleId)
      problems.push(`${catalog.length} bundles were published, expected only the markup title's`);
    if (bundleId !== null) {
      if (catalog.find((entry) => entry.bundleId === bundleId)?.title !== XSS_TITLE)
        problems.push('the catalog does not carry the title exactly as given');
      const manifestFile = await retrying(() => client.manifest(bundleId!));
      for (const file of manifestFile.files.filter((candidate) =>
        candidate.mediaType.startsWith('text/html'),
      )) {
        const text = (await client.file(bundleId, file.name)).toString('utf8');
        if (ACTIVE_CONTENT.test(text))
          problems.push(`active content in the bundle's ${file.name}: ${context(text)}`);
        if (!text.includes(XSS_TITLE_ESCAPED))
          problems.push(`the bundle's ${file.name} does not show the escaped title`);
        count('bundle pages checked');
      }
      await inBrowser(
        'the bundle page',
        new URL(`/portal/bundles/${bundleId}/files/policy.html`, system.urls.api).href,
      );
      for (const route of ['/portal/catalog', `/portal/bundles/${bundleId}/manifest`, '/portal/changes']) {
        const response = await fetch(new URL(route, system.urls.api));
        const body = await response.text();
        const type = response.headers.get('content-type') ?? '';
        if (!/^application\/json/.test(type) || response.headers.get('x-content-type-options') !== 'nosniff')
          problems.push(
            `${route} is served as ${type || 'nothing'}, nosniff ${response.headers.get('x-content-type-options')}`,
          );
        try {
          JSON.parse(body);
        } catch {
          problems.push(`${route} is not JSON`);
        }
        count('portal JSON checked');
      }
      const { s3 } = emulatorClients(system);
      for (const key of Object.values(STATIC_FEED_KEYS)) {
        const object = await s3
          .send(new GetObjectCommand({ Bucket: system.resources.PUBLISHED_BUCKET, Key: key }))
          .catch(() => undefined);
        if (object === undefined) {
          problems.push(`the static feed ${key} was not written`);
          continue;
        }
        const text = (await object.Body?.transformToString('utf8')) ?? '';
        const type = object.ContentType ?? '';
        if (/html/i.test(type)) problems.push(`${key} is stored as ${type}`);
        if (/xml/i.test(type) && (ACTIVE_CONTENT.test(text) || /<img\b/i.test(text)))
          problems.push(`markup in ${key}: ${context(text, /<(?:script|img)\b/i)}`);
        if (/xml/i.test(type) && key !== STATIC_FEED_KEYS.sitemap && !text.includes('&lt;script&gt;'))
          problems.push(`${key} does not carry the escaped title`);
        if (
          /json/i.test(type) &&
          !JSON.stringify(JSON.parse(text)).includes(JSON.stringify(XSS_TITLE).slice(1, -1))
        )
          problems.push(`${key} does not carry the title exactly as given`);
        count('feeds checked');
      }
      s3.destroy();
      const webPages = [
        { route: '/portal/view', session: false },
        { route: `/portal/view/bundles/${bundleId}`, session: false },
        { route: '/app', session: true },
        { route: `/app/submissions/${marked?.id}`, session: true },
      ];
      for (const { route, session } of webPages) {
        const answer = await page(system, route, session ? token : undefined);
        if (answer.status !== 200 || !answer.type.startsWith('text/html'))
          problems.push(`${route} answered ${answer.status} ${answer.type}`);
        if (ACTIVE_CONTENT.test(answer.html))
          problems.push(`active content in ${route}: ${context(answer.html)}`);
        if (!answer.html.includes(XSS_TITLE_ESCAPED))
          problems.push(`${route} does not show the escaped title`);
        count('web pages checked');
      }
      await inBrowser('the portal page', new URL(`/portal/view/bundles/${bundleId}`, system.urls.api).href);
      await inBrowser(
        'the drafter page',
        new URL(`/app/submissions/${marked?.id}`, system.urls.api).href,
        true,
      );
    }

    // What reached review is harmless: its approval page carries no active content and no file name's bidi control.
    let rtlShown = 0;
    const prefix = new URL('/approvals/', system.urls.api).href;
    const undecided = (await readOutbox(system.outboxDirectory))
      .filter((mail) => !mail.subject.includes(XSS_MARKER))
      .flatMap((mail) => mail.links.filter((link) => link.startsWith(prefix)));
    for (const link of undecided) {
      const opened = await client.openApproval(link);
      if (opened.status !== 200) problems.push(`an approval page answered ${opened.status}`);
      if (ACTIVE_CONTENT.test(opened.html))
        problems.push(`active content in an approval page: ${context(opened.html)}`);
      if (BIDI_CONTROL.test(opened.html))
        problems.push(`a bidi control in an approval page: ${context(opened.html, BIDI_CONTROL)}`);
      if (opened.html.includes('txt.exe')) rtlShown += 1;
    }
    if (rtlShown === 0)
      problems.push('no approval page shows the right-to-left file name: the check saw nothing');
    // The drafter's pages of every submission: the file names, and the comments that name them.
    for (const { attempt, id } of pending) {
      const answer = await page(system, `/app/submissions/${id}`, token);
      if (answer.status !== 200) problems.push(`${attempt.label}: its page answered ${answer.status}`);
      if (ACTIVE_CONTENT.test(answer.html))
        problems.push(`active content in the page of ${attempt.label}: ${context(answer.html)}`);
      if (BIDI_CONTROL.test(answer.html))
        problems.push(
          `a bidi control in the page of ${attempt.label}: ${context(answer.html, BIDI_CONTROL)}`,
        );
      count('drafter pages checked');
    }
    const mails = await readOutbox(system.outboxDirectory);
    for (const mail of mails) {
      // The subject is a plain-text header: markup there is inert, a line break would not be.
      if (ACTIVE_CONTENT.test(mail.html)) problems.push(`active content in a mail: ${context(mail.html)}`);
      if (/[\r\n]/.test(mail.subject)) problems.push(`a line break in the subject of a mail to ${mail.to}`);
      for (const [part, text] of Object.entries({
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      })) {
        if (BIDI_CONTROL.test(text))
          problems.push(`a bidi control in the ${part} of a mail: ${context(text, BIDI_CONTROL)}`);
      }
    }
    const namedInMail = mails.filter(
      (mail) => mail.text.includes('txt.exe') || mail.text.includes('xcod.txt'),
    );
    if (namedInMail.length === 0) problems.push('no mail names a right-to-left file: the check saw nothing');
    outcomes['escaped title in mails'] = mails.filter(
      (mail) => mail.html.includes('&lt;script&gt;') && mail.text.includes('<script>'),
    ).length;
    if (outcomes['escaped title in mails'] === 0) problems.push('no mail carries the markup title');

    // The system still answers; no S3 key carries a file name.
    await retrying(() => client.getSubmission(pending[0]?.id ?? ''));
    const { s3 } = emulatorClients(system);
    let keys = 0;
    for (const [name, bucket] of Object.entries(system.resources)) {
      if (!name.endsWith('_BUCKET')) continue;
      let continuation: string | undefined;
      do {
        const listed = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: continuation }),
        );
        for (const object of listed.Contents ?? []) {
          keys += 1;
          if (!/^[A-Za-z0-9/._-]+$/.test(object.Key ?? '') || (object.Key ?? '').includes('..')) {
            problems.push(`S3 key ${JSON.stringify(object.Key)} in ${bucket}`);
          }
        }
        continuation = listed.NextContinuationToken;
      } while (continuation !== undefined);
    }
    s3.destroy();
    outcomes['S3 keys checked'] = keys;
    outcomes['peak RSS growth MiB'] = Math.round(memoryUse.growth / 1048576);
    outcomes['budget MiB'] = budget.bytes / 1048576;
    outcomes['bomb inflates MiB'] = (BOMB_OVERLAPPING_ENTRIES * BOMB_PART_BYTES) / 1048576;
    return {
      part: 'hostile input',
      attempts: attempts.length,
      outcomes,
      ms: Date.now() - started,
      problems,
    };
  } finally {
    await browser?.close();
    await system?.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
