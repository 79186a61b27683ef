import { describe, expect, it } from 'vitest';
import { demoMetadata, readDemoFixtures } from '../../bin/commands/demo.js';
import { LocalClient } from '../../infra/local/client.js';
import type { LocalSystem } from '../../infra/local/system.js';
import {
  removeDataDir,
  START_TIMEOUT_MS,
  startTestSystem,
  temporaryDataDir,
} from './support/local-system.js';

/**
 * A restart loses nothing: a submission waiting for approval is still waiting after `npm start` is
 * stopped and started again on the same data folder, and the link mailed before the restart still
 * approves it — through to publication. (Same ports: the mailed link names the API's port.)
 */
describe('local mode across a restart', () => {
  it(
    'keeps a waiting review, and the approval link mailed before the restart publishes it',
    async () => {
      const dataDir = await temporaryDataDir();
      let first: LocalSystem | undefined;
      let second: LocalSystem | undefined;
      try {
        first = await startTestSystem({ dataDir });
        const ports = first.ports;
        const before = new LocalClient(first.urls.api, first.outboxDirectory);
        const { documents } = await readDemoFixtures();
        await before.signIn({ drafter: 'drafter-001' });
        const created = await before.createSubmission(demoMetadata(), documents);
        await before.upload(created.uploads, documents);
        await before.submit(created.submissionId);
        const seen = new Set<string>();
        const [stepOne] = await before.waitForNewApprovalLinks(seen, 60_000);
        seen.add(stepOne ?? '');
        await before.decide(stepOne ?? '', 'approve');
        const [stepTwo] = await before.waitForNewApprovalLinks(seen, 60_000);
        seen.add(stepTwo ?? '');
        const mailsBefore = (await before.approvalMails()).length;

        await first.stop();
        second = await startTestSystem({
          dataDir,
          port: ports.api,
          s3Port: ports.s3,
          dynamoPort: ports.dynamodb,
          awsPort: ports.aws,
        });
        const after = new LocalClient(second.urls.api, second.outboxDirectory);
        await after.signIn({ drafter: 'drafter-001' });

        expect(second.resumed).toEqual([`${created.submissionId}-r1`]);
        expect((await after.getSubmission(created.submissionId)).status).toBe('IN_REVIEW');
        const page = await after.openApproval(stepTwo ?? '');
        expect(page.status).toBe(200);
        expect(page.form).toBeDefined();

        await after.decide(stepTwo ?? '', 'approve');
        const published = await after.waitForStatus(created.submissionId, [
          'PUBLISHED',
          'FAILED',
          'RETURNED',
        ]);

        expect(published.status).toBe('PUBLISHED');
        expect((await after.catalog()).map((entry) => entry.bundleId)).toContain(published.bundleId);
        // No approval was requested again after the restart.
        expect((await after.approvalMails()).length).toBe(mailsBefore);
      } finally {
        await first?.stop();
        await second?.stop();
        await removeDataDir(dataDir);
      }
    },
    3 * START_TIMEOUT_MS,
  );
});
