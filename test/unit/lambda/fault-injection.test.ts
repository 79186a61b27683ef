import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  addFaultInjection,
  FAULT_RATE_VARIABLE,
  faultRate,
  InjectedFaultError,
  injectedFaults,
} from '../../../shared/lambda/clients.js';

/** An S3 client whose requests never leave the process: each answers 200. */
function offlineS3(sent: { count: number }, maxAttempts = 3) {
  return new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    requestHandler: {
      handle: async () => {
        sent.count += 1;
        return { response: { statusCode: 200, headers: {}, body: undefined } };
      },
    },
  });
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
    // Prepare: the first attempt is failed, the second passes
    const sent = { count: 0 };
    const client = offlineS3(sent);
    const draws = [0.1, 0.9];
    const before = injectedFaults.count;
    addFaultInjection(client, 0.2, () => draws.shift() ?? 0.9);

    // Act
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess
    expect(injectedFaults.count - before).toBe(1);
    expect(sent.count).toBe(1);
  });

  it('lets the error through once the SDK has no attempts left', async () => {
    // Prepare
    const sent = { count: 0 };
    const client = offlineS3(sent, 2);
    addFaultInjection(client, 1);

    // Act
    const error = await client
      .send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
      .catch((caught) => caught);

    // Assess
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect((error as InjectedFaultError).$metadata.httpStatusCode).toBe(503);
    expect(sent.count).toBe(0);
  });

  it('adds nothing when the rate is 0', async () => {
    // Prepare
    const sent = { count: 0 };
    const client = offlineS3(sent);
    addFaultInjection(client, 0, () => 0);

    // Act
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));

    // Assess
    expect(sent.count).toBe(1);
  });
});
