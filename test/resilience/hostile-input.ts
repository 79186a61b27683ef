import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { demoMetadata } from '../../bin/commands/demo.js';
import { type DraftDocument, HttpStatusError } from '../../infra/local/client.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { generateHostileFiles, type HostileCase } from '../fixtures/hostile/generate.js';
import {
  drafter,
  emulatorClients,
  outboxLinks,
  type PartReport,
  retrying,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Hostile input through the real API. Every file of `test/fixtures/hostile/generate.ts` is attached
 * to a submission (next to the sample 原文 and 解读), then: refused at create with a message (400),
 * or RETURNED by Validate with a comment naming the file, or read harmlessly (the submission waits
 * in review and its approval page carries no active content). Plus an interpretation of another
 * policy (RETURNED) and a title full of markup (escaped in the approval page and the mail). Nothing
 * is published, the system still answers afterwards, no S3 key carries any part of a file name, and
 * the process's resident memory grows by less than the budget.
 */

/** Peak growth of the resident set allowed while the hostile files are processed. */
export const MEMORY_BUDGET_BYTES = 512 * 1024 * 1024;

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

/** The active content found, with a little context. */
function context(text: string): string {
  const match = ACTIVE_CONTENT.exec(text);
  return match === null ? '' : JSON.stringify(text.slice(Math.max(0, match.index - 60), match.index + 60));
}

/** Samples the process's RSS every 25 ms; `stop()` returns the peak growth. */
function watchMemory() {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak - baseline;
    },
  };
}

type Outcome = 'refused at create' | 'returned' | 'harmless in review' | 'wrong';

/** Runs every hostile case (`limit` of them, all by default). */
export async function runHostileInput(options: { limit?: number } = {}): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const outcomes: Record<string, number> = {};
  const folder = await mkdtemp(path.join(tmpdir(), 'gongkai-hostile-'));
  let system: LocalSystem | undefined;
  try {
    const manifest = (await generateHostileFiles(folder)).slice(0, options.limit);
    system = await startSystem();
    const { client, documents } = await drafter(system);
    const memory = watchMemory();
    const pending: { label: string; id: string; expect: Outcome | 'returned-or-harmless' }[] = [];
    const count = (outcome: string) => {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    };

    const attempt = async (
      label: string,
      draft: DraftDocument[],
      metadata: Record<string, unknown>,
      expect: Outcome | 'returned-or-harmless',
    ) => {
      let created: Awaited<ReturnType<typeof client.createSubmission>>;
      try {
        created = await retrying(() => client.createSubmission(metadata, draft));
      } catch (error) {
        if (error instanceof HttpStatusError && error.status === 400) {
          const message = error.body;
          if (!/[\u4e00-\u9fff]/.test(message))
            problems.push(`${label}: 400 without a message: ${message.slice(0, 200)}`);
          count('refused at create');
          if (expect === 'harmless in review')
            problems.push(`${label}: refused at create, expected ${expect}`);
          return;
        }
        problems.push(`${label}: create failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      await client.upload(created.uploads, draft);
      try {
        await client.submit(created.submissionId);
      } catch (error) {
        if (error instanceof HttpStatusError && error.status < 500) {
          count('refused at submit');
          return;
        }
        throw error;
      }
      pending.push({ label, id: created.submissionId, expect });
    };

    for (const entry of manifest as HostileCase[]) {
      const body = new Uint8Array(await readFile(path.join(folder, entry.file)));
      const extension = entry.uploadName.split('.').pop()?.toLowerCase() ?? '';
      const attachment: DraftDocument = {
        role: 'attachment',
        fileName: entry.uploadName,
        contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
        body,
      };
      await attempt(
        entry.file,
        [...documents, attachment],
        demoMetadata(),
        entry.expect === 'read' ? 'harmless in review' : 'returned',
      );
    }

    // An interpretation that belongs to another policy.
    const stranger: DraftDocument = {
      role: 'interpretation',
      fileName: '另一政策解读.txt',
      contentType: 'text/plain',
      body: new TextEncoder().encode(
        '《石嘴山市农业机械购置补贴实施细则》解读\n一、补贴对象为本市从事农业生产的个人和组织。\n',
      ),
    };
    await attempt('interpretation of another policy', [documents[0]!, stranger], demoMetadata(), 'returned');
    // Markup in the title.
    await attempt(
      'markup in the title',
      documents,
      demoMetadata({ title: XSS_TITLE }),
      'returned-or-harmless',
    );

    for (const { label, id, expect } of pending) {
      const final = await waitForStatus(
        client,
        id,
        ['RETURNED', 'FAILED', 'PUBLISHED', 'REGISTERED', 'IN_REVIEW'],
        90_000,
      );
      let outcome: Outcome = 'wrong';
      if (final?.status === 'RETURNED') {
        outcome = 'returned';
        if ((final.returnedComment ?? '').length < 10)
          problems.push(`${label}: RETURNED without a clear comment`);
      } else if (final?.status === 'IN_REVIEW') {
        outcome = 'harmless in review';
      } else {
        problems.push(`${label}: ended ${final?.status}`);
      }
      if (expect !== 'returned-or-harmless' && outcome !== expect)
        problems.push(`${label}: ${outcome}, expected ${expect}`);
      count(outcome);
    }
    const memoryGrowth = memory.stop();
    if (memoryGrowth > MEMORY_BUDGET_BYTES) {
      problems.push(
        `resident memory grew by ${Math.round(memoryGrowth / 1048576)} MiB (budget ${MEMORY_BUDGET_BYTES / 1048576} MiB)`,
      );
    }

    // What reached review is harmless: its approval page and its mail carry no active content.
    const links = await outboxLinks(system);
    for (const { link } of links) {
      const page = await client.openApproval(link);
      if (page.status !== 200) problems.push(`an approval page answered ${page.status}`);
      if (ACTIVE_CONTENT.test(page.html))
        problems.push(`active content in an approval page: ${context(page.html)}`);
    }
    const mails = await (await import('../../infra/local/outbox.js')).readOutbox(system.outboxDirectory);
    for (const mail of mails) {
      // The subject is a plain-text header: markup there is inert, a line break would not be.
      if (ACTIVE_CONTENT.test(mail.html)) problems.push(`active content in a mail: ${context(mail.html)}`);
      if (/[\r\n]/.test(mail.subject)) problems.push(`a line break in the subject of a mail to ${mail.to}`);
    }
    const titled = mails.filter(
      (mail) => mail.html.includes('&lt;script&gt;') || mail.text.includes('<script>'),
    );
    outcomes['escaped title in mails'] = titled.length;

    // Nothing published; the system still answers; no S3 key carries a file name.
    const catalog = await client.catalog();
    if (catalog.length !== 0) problems.push(`${catalog.length} bundles were published`);
    const { s3 } = emulatorClients(system);
    let keys = 0;
    for (const [name, bucket] of Object.entries(system.resources)) {
      if (!name.endsWith('_BUCKET')) continue;
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const object of listed.Contents ?? []) {
        keys += 1;
        if (!/^[A-Za-z0-9/._-]+$/.test(object.Key ?? '') || (object.Key ?? '').includes('..')) {
          problems.push(`S3 key ${JSON.stringify(object.Key)} in ${bucket}`);
        }
      }
    }
    s3.destroy();
    outcomes['S3 keys checked'] = keys;
    outcomes['RSS growth MiB'] = Math.round(memoryGrowth / 1048576);
    return {
      part: 'hostile input',
      attempts: manifest.length + 2,
      outcomes,
      ms: Date.now() - started,
      problems,
    };
  } finally {
    await system?.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
