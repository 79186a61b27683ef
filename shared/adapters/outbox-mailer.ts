import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, MailMessage } from '../ports/mailer.js';

function encodeHeader(value: string): string {
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(value: string): string {
  return (
    Buffer.from(value, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n') ?? ''
  );
}

/**
 * {@link Mailer} that writes each message as an RFC 5322 `.eml` file into a folder: the local
 * system's outbox, which a person opens to click approval links.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly options: { directory: string; from: string; now?: () => Date }) {}

  async send(message: MailMessage): Promise<void> {
    await mkdir(this.options.directory, { recursive: true });
    const date = (this.options.now ?? (() => new Date()))();
    const boundary = `gongkai-${randomUUID()}`;
    const eml = [
      `From: ${this.options.from}`,
      `To: ${message.to}`,
      `Subject: ${encodeHeader(message.subject)}`,
      `Date: ${date.toUTCString()}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(message.text),
      `--${boundary}`,
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(message.html),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    // Sortable by time, unique within the same millisecond.
    const name = `${date.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
    await writeFile(join(this.options.directory, name), eml, { mode: 0o600 });
  }
}
