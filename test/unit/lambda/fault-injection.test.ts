import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  addFaultInjection,
  FAULT_RATE_VARIABLE,
  faultRate,
  InjectedFaultError,
  injectedFaults,
} from '../../../shared/lambda/clients.js';

/** An S3 client whose requests never leave the process: each answers 200 with `body()` as its body. */
function offlineS3(sent: { count: number }, maxAttempts = 3, body: () => unknown = () => undefined) {
  return new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    requestHandler: {
      handle: async () => {
        sent.count += 1;
        return { response: { statusCode: 200, headers: {}, body: body() } };
      },
    },
  });
}

/** A scripted random source: the given draws, then `rest` forever. */
function draws(values: number[], rest = 0.99): () => number {
  const queue = [...values];
  return () => queue.shift() ?? rest;
}

/** The injector's counters now, to compare with later. */
function counts() {
  return {
    beforeSend: injectedFaults.beforeSend,
    replyLost: injectedFaults.replyLost,
    unretried: injectedFaults.unretried,
    total: injectedFaults.total,
  };
}

describe('Function: faultRate', () => {
  it('is off unless GONGKAI_FAULT_RATE is a number in (0, 1]', () => {
    // Act + Assess
    expect(faultRate({})).toBe(0);
    expect(faultRate({ [FAULT_RATE_VARIABLE]: '' })).toBe(0);
    expect(faultRate({ [FAULT_RATE_VARIABLE]: 'lots' })).toBe(0);
    expect(faultRate({ [FAULT_RATE_VARIABLE]: '-0.5' })).toBe(0);
    expect(faultRate({ [FAULT_RATE_VARIABLE]: '1.5' })).toBe(0);
    expect(faultRate({ [FAULT_RATE_VARIABLE]: '0.2' })).toBe(0.2);
  });
});

describe('Function: addFaultInjection', () => {
  it('fails an attempt before it is sent with a retryable 503, which the SDK retries', async () => {
    // Prepare: rate 0.2, half lost replies → a draw in [0.1, 0.2) fails before sending; then one passes
    const sent = { count: 0 };
    const client = offlineS3(sent);
    const before = counts();
    addFaultInjection(client, 0.2, { random: draws([0.15, 0.9]) });

    // Act
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess: never sent by the failed attempt, sent once by the retry
    expect(injectedFaults.beforeSend - before.beforeSend).toBe(1);
    expect(injectedFaults.replyLost - before.replyLost).toBe(0);
    expect(sent.count).toBe(1);
  });

  it('loses the reply of an attempt that was sent and answered, and the SDK sends it again', async () => {
    // Prepare: a draw below 0.1 carries the request out and then loses its reply
    const sent = { count: 0 };
    const client = offlineS3(sent);
    const before = counts();
    addFaultInjection(client, 0.2, { random: draws([0.05, 0.9]) });

    // Act
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess: the request reached the service twice (the write "took effect" twice)
    expect(injectedFaults.replyLost - before.replyLost).toBe(1);
    expect(injectedFaults.beforeSend - before.beforeSend).toBe(0);
    expect(sent.count).toBe(2);
  });

  it('lets a lost reply through as a 503 once the SDK has no attempts left, every attempt having been sent', async () => {
    // Prepare
    const sent = { count: 0 };
    const client = offlineS3(sent, 2);
    addFaultInjection(client, 1, { replyLostShare: 1 });

    // Act
    const error = await client
      .send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect((error as InjectedFaultError).kind).toBe('replyLost');
    expect((error as InjectedFaultError).name).toBe('ServiceUnavailable');
    expect(sent.count).toBe(2);
  });

  it('lets a fault before sending through once the SDK has no attempts left, nothing having been sent', async () => {
    // Prepare
    const sent = { count: 0 };
    const client = offlineS3(sent, 2);
    addFaultInjection(client, 1, { replyLostShare: 0 });

    // Act
    const error = await client
      .send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect((error as InjectedFaultError).kind).toBe('beforeSend');
    expect((error as InjectedFaultError).$metadata.httpStatusCode).toBe(503);
    expect(sent.count).toBe(0);
  });

  it('closes the body of an answer whose reply it loses', async () => {
    // Prepare: each answer carries a stream, as GetObject's does
    const sent = { count: 0 };
    const bodies: Readable[] = [];
    const client = offlineS3(sent, 2, () => {
      const body = Readable.from([Buffer.from('x')]);
      bodies.push(body);
      return body;
    });
    addFaultInjection(client, 0.2, { random: draws([0.05, 0.9]) });

    // Act: GetObject leaves its body unread for the caller
    await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess: the lost answer's stream is closed; the delivered one is left for the caller to read
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.destroyed).toBe(true);
    expect(bodies[1]?.destroyed).toBe(false);
  });

  it('counts each kind and their total', async () => {
    // Prepare: before send, lost reply, lost reply, then success
    const sent = { count: 0 };
    const client = offlineS3(sent, 4);
    const before = counts();
    addFaultInjection(client, 0.2, { random: draws([0.19, 0.01, 0.09, 0.5]) });

    // Act
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess
    expect(injectedFaults.beforeSend - before.beforeSend).toBe(1);
    expect(injectedFaults.replyLost - before.replyLost).toBe(2);
    expect(injectedFaults.total - before.total).toBe(3);
    expect(sent.count).toBe(3);
  });

  it('counts a fault that reaches the caller without a retry, and not one the SDK retried', async () => {
    // Prepare: one client that may not retry at all, one that retries once
    const unretriedBefore = injectedFaults.unretried;
    const once = offlineS3({ count: 0 }, 1);
    const twice = offlineS3({ count: 0 }, 2);
    addFaultInjection(once, 1);
    addFaultInjection(twice, 1);

    // Act
    const first = await once
      .send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
      .catch((error: unknown) => error);
    const second = await twice
      .send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
      .catch((error: unknown) => error);

    // Assess
    expect((first as InjectedFaultError).$metadata.attempts).toBe(1);
    expect((second as InjectedFaultError).$metadata.attempts).toBe(2);
    expect(injectedFaults.unretried - unretriedBefore).toBe(1);
  });

  it('adds nothing when the rate is 0', async () => {
    // Prepare
    const sent = { count: 0 };
    const client = offlineS3(sent);
    const stackBefore = client.middlewareStack.identify();
    const before = counts();
    addFaultInjection(client, 0, { random: () => 0 });

    // Act
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess
    expect(client.middlewareStack.identify()).toEqual(stackBefore);
    expect(client.middlewareStack.identify().join('\n')).not.toContain('gongkaiFaultInjection');
    expect(counts()).toEqual(before);
    expect(sent.count).toBe(1);
  });
});
