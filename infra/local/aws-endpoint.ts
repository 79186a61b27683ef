import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboxMailer } from '../../shared/adapters/outbox-mailer.js';
import { type LocalStepFunctions, StepFunctionsApiError } from './step-functions.js';

/**
 * One loopback endpoint for the two AWS services local mode implements itself, speaking their
 * wire protocols so the handlers' SDK clients work unchanged:
 * - Step Functions (awsJson1_0): `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`;
 * - SES v2 (REST-JSON): `POST /v2/email/outbound-emails`, each message written as an `.eml` into
 *   the outbox folder.
 */

const MAX_BODY_BYTES = 10 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new StepFunctionsApiError('ValidationException', 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answer(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
  errorType?: string,
) {
  response.writeHead(status, {
    'content-type': contentType,
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(JSON.stringify(body));
}

interface SimpleContent {
  Subject?: { Data?: string };
  Body?: { Text?: { Data?: string }; Html?: { Data?: string } };
}

/** SESv2 SendEmail with `Content.Simple` → an `.eml` in the outbox. */
async function sendEmail(
  mailDirectory: string,
  body: Record<string, unknown>,
): Promise<{ MessageId: string }> {
  const from = typeof body.FromEmailAddress === 'string' ? body.FromEmailAddress : '';
  const destination = body.Destination as { ToAddresses?: unknown } | undefined;
  const to = Array.isArray(destination?.ToAddresses)
    ? destination.ToAddresses.filter((a) => typeof a === 'string')
    : [];
  const simple = (body.Content as { Simple?: SimpleContent } | undefined)?.Simple;
  if (from === '' || to.length === 0 || simple === undefined) {
    throw new StepFunctionsApiError(
      'BadRequestException',
      'Local SES needs FromEmailAddress, Destination.ToAddresses and Content.Simple.',
    );
  }
  await new OutboxMailer({ directory: mailDirectory, from }).send({
    to: to.join(', '),
    subject: simple.Subject?.Data ?? '',
    text: simple.Body?.Text?.Data ?? '',
    html: simple.Body?.Html?.Data ?? '',
  });
  return { MessageId: `local-${randomUUID()}` };
}

/** A running AWS endpoint. */
export interface AwsEndpoint {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1:`port` (0 = any free port). */
export async function startAwsEndpoint(options: {
  port: number;
  stepFunctions: () => LocalStepFunctions;
  outboxDirectory: string;
}): Promise<AwsEndpoint> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const target = request.headers['x-amz-target'];
      const isSes = request.url?.split('?')[0] === '/v2/email/outbound-emails';
      try {
        if (request.method !== 'POST')
          throw new StepFunctionsApiError('UnknownOperationException', 'Only POST is served.');
        const raw = await readBody(request);
        const body = (raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
        if (isSes) {
          answer(response, 200, 'application/json', await sendEmail(options.outboxDirectory, body));
        } else if (typeof target === 'string' && target.startsWith('AWSStepFunctions.')) {
          const result = await options.stepFunctions().handle(target.slice('AWSStepFunctions.'.length), body);
          answer(response, 200, 'application/x-amz-json-1.0', result);
        } else {
          throw new StepFunctionsApiError('UnknownOperationException', 'Unknown operation.');
        }
      } catch (error) {
        const code =
          error instanceof StepFunctionsApiError
            ? error.code
            : error instanceof SyntaxError
              ? 'SerializationException'
              : 'InternalFailure';
        const status = code === 'InternalFailure' ? 500 : 400;
        const message = error instanceof Error ? error.message : String(error);
        if (isSes) answer(response, status, 'application/json', { message }, code);
        else answer(response, status, 'application/x-amz-json-1.0', { __type: code, message }, code);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
