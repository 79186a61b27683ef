import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { demoMetadata } from '../../bin/commands/demo.js';
import type { DraftDocument, LocalClient } from '../../infra/local/client.js';
import { type LocalHandler, loadHandler } from '../../infra/local/handlers.js';
import { parseEml } from '../../infra/local/outbox.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { FUNCTION_NAMES, type FunctionName } from '../../shared/config/environment.js';
import { escapeHtml } from '../../shared/http/html.js';
import { FAULT_RATE_VARIABLE, injectedFaults } from '../../shared/lambda/clients.js';
import { makeDocx } from '../support/docx.js';
import {
  createAndSubmit,
  drafter,
  emulatorClients,
  OutboxApprover,
  outboxLinks,
  type PartReport,
  retrying,
  secretOf,
  sleep,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Canary: submissions carrying planted personal data (resident ID, mobile, bank card, a private
 * name) run with the fault injector on — published, rejected with the personal data in the comment,
 * returned by Validate with the personal data in their title, file name and text, failed where a
 * fault outlasts the retries — and refused link attempts follow. Every log line is captured (the
 * handlers' Powertools output on stdout, stderr, console, the local runtime's own lines). Then the
 * logs, the execution history (event logs, the execution records and checkpoints on disk, and every
 * task's input, output and error as the service would record them), and every page of the audit log
 * are searched for every planted value, every link secret and every task token, raw and encoded
 * (URL, form, base64, base64url, JSON \u escapes, HTML entities): the count must be zero. The table
 * is searched for link secrets (only their hashes may be stored), and the outbox for what must never
 * be mailed: task tokens, and a link's secret in any mail but its own.
 */

/** Captures everything written to stdout, stderr and the console until `restore()`. */
export function captureOutput(echo = false) {
  const lines: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((method) => console[method]);
  const writer =
    (original: typeof stdout) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return echo ? (original as (...args: unknown[]) => boolean)(chunk, ...rest) : true;
    };
  process.stdout.write = writer(stdout) as typeof process.stdout.write;
  process.stderr.write = writer(stderr) as typeof process.stderr.write;
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      lines.push(format(...args));
    };
  }
  return {
    lines,
    restore: () => {
      process.stdout.write = stdout as typeof process.stdout.write;
      process.stderr.write = stderr as typeof process.stderr.write;
      methods.forEach((method, index) => {
        console[method] = originals[index]!;
      });
    },
  };
}

/** One way a value can be written down, and how it then reads. */
export interface EncodedForm {
  encoding: string;
  text: string;
}

/**
 * The base64 characters that encode `bytes` wherever they sit in a longer base64 text: one form per
 * alignment (0, 1 or 2 bytes before them in their 3-byte group), without the characters that also
 * depend on the neighbouring bytes.
 */
function base64Windows(bytes: Buffer): string[] {
  const windows: string[] = [];
  for (let lead = 0; lead < 3; lead += 1) {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    const skip = Math.ceil((lead * 8) / 6);
    const end = Math.floor(((lead + bytes.length) * 8) / 6);
    if (end - skip >= 8) windows.push(encoded.slice(skip, end));
  }
  return windows;
}

/**
 * Every form of `value` searched for: raw, URL-encoded (upper- and lower-case escapes), form-encoded
 * (spaces as `+`), base64 and base64url at any alignment, JSON with non-ASCII as `\u` escapes, HTML
 * with the project's escaper and with numeric character references. Duplicates are dropped (an
 * ASCII token reads the same in most of them).
 */
export function encodedForms(value: string): EncodedForm[] {
  const forms: EncodedForm[] = [{ encoding: 'raw', text: value }];
  const uri = encodeURIComponent(value);
  forms.push({ encoding: 'URL-encoded', text: uri });
  forms.push({
    encoding: 'URL-encoded (lower-case)',
    text: uri.replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase()),
  });
  forms.push({ encoding: 'form-encoded', text: new URLSearchParams({ v: value }).toString().slice(2) });
  const bytes = Buffer.from(value, 'utf8');
  for (const window of base64Windows(bytes)) {
    forms.push({ encoding: 'base64', text: window });
    forms.push({ encoding: 'base64url', text: window.replaceAll('+', '-').replaceAll('/', '_') });
  }
  const unicode = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const json = JSON.stringify(value)
    .slice(1, -1)
    .replace(/[\u007f-\uffff]/g, unicode);
  forms.push({ encoding: 'JSON \\u-escaped', text: json });
  forms.push({
    encoding: 'JSON \\u-escaped (upper-case)',
    text: json.replace(/\\u[0-9a-f]{4}/g, (sequence) => `\\u${sequence.slice(2).toUpperCase()}`),
  });
  forms.push({ encoding: 'HTML-escaped', text: escapeHtml(value) });
  const references = (radix: 10 | 16) =>
    Array.from(value, (char) => {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x7f && !'&<>"\''.includes(char)) return char;
      return radix === 16 ? `&#x${code.toString(16)};` : `&#${code};`;
    }).join('');
  forms.push({ encoding: 'HTML numeric references', text: references(10) });
  forms.push({ encoding: 'HTML hex references', text: references(16) });
  const seen = new Set<string>();
  return forms.filter((form) => {
    if (form.text.length === 0 || seen.has(form.text)) return false;
    seen.add(form.text);
    return true;
  });
}

/** A value that must not be found, in all its forms. */
interface Needle {
  kind: 'personal data' | 'link secret' | 'task token';
  label: string;
  forms: EncodedForm[];
}

/** The forms of `needle` found in `text`. */
export function occurrences(text: string, forms: readonly EncodedForm[]): string[] {
  return forms.filter((form) => text.includes(form.text)).map((form) => form.encoding);
}

/** A task invocation as the service's execution history records it: parameters, result or error. */
interface TaskCall {
  name: FunctionName;
  input: string;
  /** How many `taskToken` parameters were set aside (see {@link recordingHandlers}). */
  tokensSetAside: number;
  output?: string;
  error?: string;
}

/** API Gateway events have a request context; the state machine's payloads never do. */
function isHttpEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'requestContext' in event;
}

/**
 * The real handlers, wrapped to record every state-machine invocation: what Step Functions shows in
 * TaskScheduled (parameters), TaskSucceeded (output) and TaskFailed (the Lambda error JSON, with its
 * trace). The `taskToken` parameter of a callback task is set aside: the service itself writes it
 * into TaskScheduled, as it keeps it in its task registry (the token journal of the local records).
 */
function recordingHandlers(calls: TaskCall[]): Partial<Record<FunctionName, LocalHandler>> {
  const handlers: Partial<Record<FunctionName, LocalHandler>> = {};
  for (const name of FUNCTION_NAMES) {
    let real: Promise<LocalHandler> | undefined;
    handlers[name] = async (event, context) => {
      real ??= loadHandler(name);
      const handler = await real;
      if (isHttpEvent(event)) return handler(event, context);
      let tokensSetAside = 0;
      const input = JSON.stringify(event, (key, value: unknown) => {
        if (key !== 'taskToken' || typeof value !== 'string') return value;
        tokensSetAside += 1;
        return '<task token>';
      });
      const call: TaskCall = { name, input, tokensSetAside };
      calls.push(call);
      try {
        const result = await handler(event, context);
        call.output = JSON.stringify({ Payload: result ?? null });
        return result;
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        call.error = JSON.stringify({
          errorType: failure.name,
          errorMessage: failure.message,
          trace: (failure.stack ?? '').split('\n'),
        });
        throw error;
      }
    };
  }
  return handlers;
}

/** Submissions that fail in Validate, each with the planted personal data in its title, file name or text. */
function failingSubmissions(
  documents: readonly DraftDocument[],
  planted: { residentId: string; mobile: string; privateName: string; bankCard: string },
) {
  const [policy, interpretation] = documents;
  if (policy === undefined || interpretation === undefined) throw new Error('The demo has two documents.');
  const personal = `申请人${planted.privateName}，身份证号${planted.residentId}，手机${planted.mobile}，银行卡${planted.bankCard}。`;
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const truncated = makeDocx(['银川市大数据产业发展服务中心2019年政务公开实施方案', personal.repeat(20)]);
  const title = `${String(demoMetadata().title)}（${planted.privateName} ${planted.mobile}）`;
  return [
    {
      label: 'binary 原文 named and titled with personal data',
      metadata: demoMetadata({ title }),
      documents: [
        {
          role: 'policy' as const,
          fileName: `${planted.privateName}-${planted.residentId}-${planted.bankCard}.txt`,
          contentType: 'text/plain',
          body: new Uint8Array(4096).map((_, index) => (index * 2654435761) >>> 24),
        },
        interpretation,
      ],
    },
    {
      label: 'truncated DOCX full of personal data',
      metadata: demoMetadata(),
      documents: [
        {
          role: 'policy' as const,
          fileName: `${planted.privateName}的申请.docx`,
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          body: truncated.subarray(0, Math.floor(truncated.length * 0.6)),
        },
        interpretation,
      ],
    },
    {
      label: 'interpretation of another policy, with personal data',
      metadata: demoMetadata(),
      documents: [
        policy,
        {
          role: 'interpretation' as const,
          fileName: `${planted.mobile}解读.txt`,
          contentType: 'text/plain',
          body: utf8(`《石嘴山市农业机械购置补贴实施细则》解读\n一、${personal}\n`),
        },
      ],
    },
  ];
}

/** Approval links that arrive after `seen`, waiting up to `timeoutMs`. */
async function freshLinks(
  system: LocalSystem,
  seen: ReadonlySet<string>,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const fresh = (await outboxLinks(system)).map((entry) => entry.link).filter((link) => !seen.has(link));
    if (fresh.length > 0) return fresh;
    await sleep(100);
  }
  return [];
}

/** Rejects through the first fresh link whose form still decides (a retried task may have mailed another). */
async function rejectWithComment(
  system: LocalSystem,
  client: LocalClient,
  comment: string,
): Promise<boolean> {
  const tried = new Set<string>();
  for (let round = 0; round < 5; round += 1) {
    for (const link of await freshLinks(system, tried, 60_000)) {
      tried.add(link);
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const answer = await client.decide(link, 'reject', comment).catch(() => ({ status: 599, html: '' }));
        if (answer.status < 400) return true;
        if (answer.status < 500) break;
        await sleep(200);
      }
    }
  }
  return false;
}

/** Every item of the table, reading every page (small pages, so that there are several). */
async function scanAll(system: LocalSystem): Promise<{ items: Record<string, unknown>[]; pages: number }> {
  const { dynamo } = emulatorClients(system);
  const items: Record<string, unknown>[] = [];
  let pages = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: system.resources.TABLE_NAME, ExclusiveStartKey: start, Limit: 25 }),
    );
    pages += 1;
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  dynamo.destroy();
  return { items, pages };
}

/** Where a submission's execution and review steps stand (state names and statuses only). */
async function whereItStands(system: LocalSystem, submissionId: string): Promise<string> {
  const execution = system.stepFunctions
    .executions()
    .find((candidate) => candidate.name.startsWith(`${submissionId}-`));
  if (execution === undefined) return 'no execution';
  const events = await system.stepFunctions.events(execution.name);
  const last = events
    .slice(-4)
    .map(
      (event) => `${event.type} ${event.state ?? ''}${event.error === undefined ? '' : ` (${event.error})`}`,
    );
  const { items } = await scanAll(system);
  const steps = items
    .filter((item) => item.pk === `SUB#${submissionId}` && String(item.sk).includes('#STEP#'))
    .map(
      (item) =>
        `${String(item.sk).split('#STEP#')[1]} ${String(item.status)} attempt ${String(item.attempt)}`,
    );
  const callbacks = Object.values(execution.callbacks).map(
    (callback) =>
      `${callback.delivered ? 'delivered' : 'not delivered'}/${callback.outcome?.type ?? 'waiting'}`,
  );
  return `execution ${execution.status}, last events [${last.join('; ')}], steps [${steps.join('; ')}], callbacks [${callbacks.join('; ')}]`;
}

/** The share of the handlers' S3 and DynamoDB attempts that fail by default. */
export const CANARY_FAULT_RATE = 0.1;

/**
 * Runs the canary: `submissions` submissions approved to publication, one rejected with personal
 * data in the comment, three returned by Validate, all with `faultRate` of the S3/DynamoDB attempts
 * failing (the injector is read when the handlers' clients are made: once per process).
 */
export async function runCanary(options: { submissions: number; faultRate?: number }): Promise<PartReport> {
  const started = Date.now();
  const rate = options.faultRate ?? CANARY_FAULT_RATE;
  const problems: string[] = [];
  const previousRate = process.env[FAULT_RATE_VARIABLE];
  process.env[FAULT_RATE_VARIABLE] = String(rate);
  const faultsBefore = injectedFaults.total;
  const capture = captureOutput();
  const runtimeLines: string[] = [];
  const calls: TaskCall[] = [];
  let system: LocalSystem | undefined;
  let approver: OutboxApprover | undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gongkai-canary-'));
  try {
    system = await startSystem({
      dataDir,
      logLevel: 'DEBUG',
      log: (line) => runtimeLines.push(line),
      handlers: recordingHandlers(calls),
    });
    const { client, documents, planted } = await drafter(system);
    const expected = new Map<string, string>();

    // A rejection whose comment carries personal data: stored for the drafter, never logged. First,
    // while no other submission is in review, so that every new link is this one's.
    const rejected = await createAndSubmit(client, documents, demoMetadata());
    expected.set(rejected, 'RETURNED');
    const comment = `联系人${planted.privateName}，电话${planted.mobile}，身份证${planted.residentId}，请核对。`;
    if (!(await rejectWithComment(system, client, comment)))
      problems.push('the rejection could not be given through any link');

    // Submissions Validate returns, personal data in their title, file names and text.
    for (const failing of failingSubmissions(documents, planted)) {
      expected.set(await createAndSubmit(client, failing.documents, failing.metadata), 'RETURNED');
    }
    // Published ones, approved through the mailed links.
    approver = new OutboxApprover(system).start();
    for (let index = 0; index < options.submissions; index += 1)
      expected.set(await createAndSubmit(client, documents), 'PUBLISHED');

    const outcomes: Record<string, number> = {};
    for (const [id, wanted] of expected) {
      const final = await waitForStatus(
        client,
        id,
        ['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'],
        90_000,
      );
      const status = final?.status ?? 'stuck';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      // FAILED is where an injected fault outlasted every retry: a path the canary wants, not a defect.
      if (status !== wanted && status !== 'FAILED')
        problems.push(`submission ${id} ended ${status}, not ${wanted}: ${await whereItStands(system, id)}`);
    }
    if ((outcomes.PUBLISHED ?? 0) === 0)
      problems.push('nothing was published: the canary missed the happy path');
    if ((outcomes.RETURNED ?? 0) === 0)
      problems.push('nothing was returned: the canary missed the failing paths');
    await approver.stop();
    problems.push(...approver.errors.map((error) => `approver: ${error}`));

    // Refused attempts log too: an altered secret, a POST without the form, a reused link.
    for (const entry of (await outboxLinks(system)).slice(0, 2)) {
      const secret = secretOf(entry.link);
      const altered = entry.link.replace(secret, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`);
      await fetch(altered).catch(() => undefined);
      await fetch(entry.link, { method: 'POST', body: 'decision=approve' }).catch(() => undefined);
      await client.decide(entry.link, 'approve').catch(() => undefined);
    }

    // Needles: the planted values, every link secret, every task token.
    const needles: Needle[] = [];
    for (const [label, value] of Object.entries(planted))
      needles.push({ kind: 'personal data', label, forms: encodedForms(value) });
    const links = await outboxLinks(system);
    const secrets = [...new Set(links.map((entry) => secretOf(entry.link)))];
    for (const secret of secrets)
      needles.push({ kind: 'link secret', label: 'a link secret', forms: encodedForms(secret) });
    const tokens = new Set<string>();
    for (const execution of system.stepFunctions.executions())
      for (const callback of Object.values(execution.callbacks)) tokens.add(callback.token);
    for (const token of tokens)
      needles.push({ kind: 'task token', label: 'a task token', forms: encodedForms(token) });
    const { items, pages } = await retrying(() => scanAll(system!));
    await system.stop();
    capture.restore();

    // Haystacks, by source; each with the kinds of needle that must not be in it.
    const every = new Set<Needle['kind']>(['personal data', 'link secret', 'task token']);
    const haystacks: { source: string; text: string; kinds: Set<Needle['kind']>; except?: Set<string> }[] =
      [];
    const add = (source: string, text: string, kinds = every, except?: Set<string>) =>
      haystacks.push({ source, text, kinds, ...(except === undefined ? {} : { except }) });
    for (const line of [...capture.lines, ...runtimeLines]) add('log line', line);
    const audit = items.filter((item) => String(item.sk).startsWith('AUDIT#'));
    for (const item of audit) add('audit event', JSON.stringify(item));
    // Submissions keep the drafter's own data and approvals their task tokens; a link secret, never.
    for (const item of items) add('table item', JSON.stringify(item), new Set(['link secret']));
    const executions = path.join(dataDir, 'executions');
    for (const file of await readdir(executions)) {
      const text = await readFile(path.join(executions, file), 'utf8');
      if (file.endsWith('.events.jsonl')) {
        for (const line of text.split('\n')) if (line !== '') add('execution event', line);
      } else if (file.endsWith('.json')) {
        // The whole record on disk (input, output, error and cause, the checkpoint and its state
        // input, the callback journal); only the journal's tokens are the service's own registry.
        const record = JSON.parse(text) as { callbacks?: Record<string, { token?: string }> };
        for (const callback of Object.values(record.callbacks ?? {})) {
          if (typeof callback.token === 'string') callback.token = '<task token>';
        }
        add('execution record', JSON.stringify(record));
      } else {
        add('execution file', text);
      }
    }
    for (const call of calls) {
      add('task input', call.input);
      if (call.output !== undefined) add('task output', call.output);
      if (call.error !== undefined) add('task error', call.error);
    }
    const mails = (await readdir(system.outboxDirectory)).filter((file) => file.endsWith('.eml'));
    for (const file of mails) {
      const source = await readFile(path.join(system.outboxDirectory, file), 'utf8');
      const mail = parseEml(file, source);
      const own = new Set(mail.links.filter((link) => link.includes('/approvals/')).map(secretOf));
      const text = [source, source.replace(/\r?\n/g, ''), mail.subject, mail.text, mail.html].join('\n');
      add('mail', text, new Set(['task token', 'link secret']), own);
    }

    const found: Record<string, number> = {};
    for (const haystack of haystacks) {
      for (const needle of needles) {
        if (!haystack.kinds.has(needle.kind)) continue;
        if (needle.kind === 'link secret' && haystack.except?.has(needle.forms[0]?.text ?? '')) continue;
        const encodings = occurrences(haystack.text, needle.forms);
        if (encodings.length === 0) continue;
        found[haystack.source] = (found[haystack.source] ?? 0) + 1;
        problems.push(
          `${needle.kind} (${needle.label}) found in a ${haystack.source} (${encodings.join(', ')})`,
        );
      }
    }

    const count = (source: string) => haystacks.filter((haystack) => haystack.source === source).length;
    if (!haystacks.some((entry) => entry.source === 'log line' && /"submissionId"/.test(entry.text)))
      problems.push('no handler log line was captured: the canary searched nothing');
    for (const source of [
      'audit event',
      'execution event',
      'execution record',
      'task input',
      'task error',
      'mail',
    ])
      if (count(source) === 0) problems.push(`no ${source} was searched`);
    if (secrets.length === 0) problems.push('no link secret');
    if (tokens.size === 0) problems.push('no task token');
    if (pages < 2) problems.push(`the table was read in ${pages} page: the scan's paging went untested`);
    const faults = injectedFaults.total - faultsBefore;
    if (rate > 0 && faults === 0) problems.push('no fault was injected');
    const setAside = calls.reduce((sum, call) => sum + call.tokensSetAside, 0);
    if (setAside === 0) problems.push('no callback task was recorded');

    const bySource: Record<string, number> = {};
    for (const haystack of haystacks)
      bySource[`${haystack.source}s`] = (bySource[`${haystack.source}s`] ?? 0) + 1;
    return {
      part: 'canary',
      attempts: needles.length,
      outcomes: {
        ...outcomes,
        'faults injected': faults,
        ...bySource,
        'audit pages': pages,
        'forms searched': needles.reduce((sum, needle) => sum + needle.forms.length, 0),
        occurrences: Object.values(found).reduce((sum, value) => sum + value, 0),
      },
      ms: Date.now() - started,
      problems,
    };
  } finally {
    capture.restore();
    await approver?.stop();
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (previousRate === undefined) delete process.env[FAULT_RATE_VARIABLE];
    else process.env[FAULT_RATE_VARIABLE] = previousRate;
  }
}
