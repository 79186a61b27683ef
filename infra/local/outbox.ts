import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** One message of the local outbox, decoded from its `.eml`. */
export interface OutboxMessage {
  file: string;
  from: string;
  to: string;
  subject: string;
  date: string;
  text: string;
  html: string;
  /** Every http(s) link of the message, in order, without duplicates. */
  links: string[];
}

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_match, encoded: string) =>
    Buffer.from(encoded, 'base64').toString('utf8'),
  );
}

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** Parses an `.eml` written by `OutboxMailer` (multipart/alternative, base64 UTF-8 parts). */
export function parseEml(file: string, source: string): OutboxMessage {
  const [head = '', ...rest] = source.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = rest.join('\r\n\r\n');
  const boundary = /boundary="([^"]+)"/.exec(headers.get('content-type') ?? '')?.[1];
  let text = '';
  let html = '';
  const parts = boundary === undefined ? [body] : body.split(`--${boundary}`);
  for (const part of parts) {
    const [partHead = '', ...partBody] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const content = partBody.join('\n').replace(/\s+/g, '');
    const decoded = /base64/i.test(partHead)
      ? Buffer.from(content, 'base64').toString('utf8')
      : partBody.join('\n');
    if (/text\/html/i.test(partHead)) html = decoded;
    else if (/text\/plain/i.test(partHead)) text = decoded;
  }
  const links = new Set<string>();
  for (const match of html.matchAll(/href="([^"]+)"/g)) {
    const href = decodeEntities(match[1] ?? '');
    if (/^https?:\/\//.test(href)) links.add(href);
  }
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'）)]+/g)) links.add(match[0]);
  return {
    file,
    from: headers.get('from') ?? '',
    to: headers.get('to') ?? '',
    subject: decodeHeader(headers.get('subject') ?? ''),
    date: headers.get('date') ?? '',
    text,
    html,
    links: [...links],
  };
}

/** Every message in the outbox folder, oldest first. */
export async function readOutbox(directory: string): Promise<OutboxMessage[]> {
  const files = (await readdir(directory).catch(() => [] as string[]))
    .filter((file) => file.endsWith('.eml'))
    .sort();
  const messages: OutboxMessage[] = [];
  for (const file of files) {
    const full = path.join(directory, file);
    if (!(await stat(full)).isFile()) continue;
    messages.push(parseEml(file, await readFile(full, 'utf8')));
  }
  return messages;
}
