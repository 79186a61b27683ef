import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMetadata, plantedDataIn, readDemoFixtures, runDemo } from '../../bin/commands/demo.js';
import { HttpStatusError, LocalClient } from '../../infra/local/client.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { createJwtIssuer } from '../../shared/auth/jwt.js';
import { removeDataDir, START_TIMEOUT_MS, startTestSystem } from './support/local-system.js';

/**
 * The whole system with the real handlers, over HTTP only: the drafter's API behind the JWT
 * authorizer, presigned uploads to s3rver, the synthesized state machine, approval mails in the
 * outbox, the approval page's form, and the portal API.
 */

let system: LocalSystem;
/** Approval links already handled in this file (the outbox is shared by its tests). */
const seen = new Set<string>();

beforeAll(async () => {
  system = await startTestSystem();
}, START_TIMEOUT_MS);

afterAll(async () => {
  await system?.stop();
  if (system !== undefined) await removeDataDir(system.dataDir);
});

async function newLinks(client: LocalClient): Promise<string[]> {
  const links = await client.waitForNewApprovalLinks(seen, 60_000);
  for (const link of links) seen.add(link);
  return links;
}

describe('the review workflow, end to end', () => {
  it('publishes a submission once every review step is approved, without the planted personal data', async () => {
    const steps: string[] = [];

    const result = await runDemo(system, (label) => steps.push(label));
    for (const mail of await new LocalClient(system.urls.api, system.outboxDirectory).approvalMails()) {
      for (const link of mail.approvalLinks) seen.add(link);
    }

    expect(result.approvalsGiven).toBe(2);
    expect(result.indexNumber).toMatch(/^640100-141\/\d{4}-\d{5}$/);
    expect(result.files.length).toBeGreaterThanOrEqual(2);
    expect(steps.at(-1)).toContain('no planted personal data');
  }, 90_000);

  it('returns a rejected revision with the comment, and publishes the resubmitted revision after approvals', async () => {
    const client = new LocalClient(system.urls.api, system.outboxDirectory);
    const { documents, planted } = await readDemoFixtures();
    await client.signIn({ drafter: 'drafter-002' });
    const created = await client.createSubmission(
      demoMetadata({ title: '银川市大数据产业发展服务中心2019年政务公开实施方案' }),
      documents,
    );
    await client.upload(created.uploads, documents);
    await client.submit(created.submissionId);

    const [firstLink] = await newLinks(client);
    const rejected = await client.decide(firstLink ?? '', 'reject', '请补充第二部分的公开时限依据。');
    const returned = await client.waitForStatus(created.submissionId, ['RETURNED', 'FAILED']);

    expect(rejected.status).toBeLessThan(400);
    expect(returned.status).toBe('RETURNED');
    expect(returned.returnedComment).toBe('请补充第二部分的公开时限依据。');
    // The link decided once; opening it again shows no form.
    expect((await client.openApproval(firstLink ?? '')).form).toBeUndefined();

    const revision = await client.createRevision(created.submissionId, demoMetadata(), documents);
    expect(revision.revision).toBe(2);
    await client.upload(revision.uploads, documents);
    await client.submit(created.submissionId, 2);
    for (let step = 0; step < 2; step += 1) {
      for (const link of await newLinks(client)) await client.decide(link, 'approve');
    }
    const published = await client.waitForStatus(created.submissionId, ['PUBLISHED', 'FAILED', 'RETURNED']);

    expect(published).toMatchObject({ status: 'PUBLISHED', revision: 2 });
    const manifest = await client.manifest(published.bundleId ?? '');
    for (const file of manifest.files) {
      expect(
        plantedDataIn((await client.file(manifest.bundleId, file.name)).toString('utf8'), planted),
      ).toEqual([]);
    }
  }, 120_000);

  it('registers a 依申请公开 submission after review and publishes nothing', async () => {
    const client = new LocalClient(system.urls.api, system.outboxDirectory);
    const { documents } = await readDemoFixtures();
    await client.signIn({ drafter: 'drafter-001' });
    const catalogBefore = await client.catalog();
    const created = await client.createSubmission(
      demoMetadata({
        disclosure: {
          attribute: 'ON_REQUEST',
          reason: '涉及内部工作安排，仅向申请人提供。',
          legalBasis: '《中华人民共和国政府信息公开条例》第二十七条',
        },
      }),
      documents,
    );
    await client.upload(created.uploads, documents);
    await client.submit(created.submissionId);

    for (let step = 0; step < 2; step += 1) {
      for (const link of await newLinks(client)) {
        const decided = await client.decide(link, 'approve');
        expect(decided.status, decided.html.slice(0, 2000)).toBeLessThan(400);
      }
    }
    const registered = await client.waitForStatus(created.submissionId, [
      'REGISTERED',
      'PUBLISHED',
      'FAILED',
      'RETURNED',
    ]);

    expect(registered.status).toBe('REGISTERED');
    expect(registered.bundleId).toBeNull();
    expect(await client.catalog()).toEqual(catalogBefore);
    const events = await system.stepFunctions.events(`${created.submissionId}-r1`);
    expect(events.map((event) => event.state)).not.toContain('Publish');
  }, 90_000);
});

describe('the drafter routes behind the local JWT authorizer', () => {
  const post = (token: string | undefined) =>
    fetch(`${system.urls.api}/submissions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: '{}',
    });

  it('answers 401 {"message":"Unauthorized"} without a token, as API Gateway does', async () => {
    const response = await post(undefined);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('refuses a token of another issuer key, an expired one, and one for another audience', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = createJwtIssuer({
      privateKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      kid: system.issuer.jwks().keys[0]?.kid ?? '',
      issuer: system.issuer.issuer,
      audience: system.issuer.audience,
    });
    const expired = system.issuer.issue({ sub: 'x', email: 'x@example.gov.cn' }).token;
    const forged = stranger.issue({ sub: 'x', email: 'x@example.gov.cn' }).token;

    expect((await post(forged)).status).toBe(401);
    const [header, payload, signature] = expired.split('.');
    const tampered = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    tampered.aud = 'someone-else';
    expect(
      (await post(`${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${signature}`))
        .status,
    ).toBe(401);
  });

  it('hands the verified claims to the handler where API Gateway puts them', async () => {
    const client = new LocalClient(system.urls.api, system.outboxDirectory);
    await client.signIn({ name: '吴起草', email: 'wuqicao@example.gov.cn' });

    const error = await client.createSubmission({}, []).catch((caught: unknown) => caught);

    // Authenticated: the handler ran and judged the (empty) body, instead of a 401.
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(400);
  });
});
