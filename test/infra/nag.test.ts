import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthGongkai } from './support.js';

interface Violation {
  ruleName: string;
  violatingResources: Array<{ constructPath?: string }>;
}

/** Runs the AwsSolutions pack over `scope` the way cdk-nag v3 does it: `validateScope`, not Annotations. */
function findings(scope: IConstruct): Violation[] {
  return new AwsSolutionsChecks().validateScope(scope).violations as Violation[];
}

/** Findings as `ruleName @ constructPath` lines, readable in a failure message. */
function describeFindings(violations: Violation[]): string[] {
  return violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} @ ${resource.constructPath ?? '?'}`,
    ),
  );
}

/** The findings cdk-nag would report if nothing were acknowledged. */
function unacknowledgedFindings(scope: IConstruct): Violation[] {
  const holder = Validations as unknown as { ACKNOWLEDGED_RULES_METADATA_KEY: string };
  const key = holder.ACKNOWLEDGED_RULES_METADATA_KEY;
  holder.ACKNOWLEDGED_RULES_METADATA_KEY = 'gongkai:test:acknowledgements-disabled';
  try {
    return findings(scope);
  } finally {
    holder.ACKNOWLEDGED_RULES_METADATA_KEY = key;
  }
}

/** Every acknowledgement in the tree: where, which rule, why. */
function acknowledgements(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  const found: Array<{ path: string; id: string; reason: string }> = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: key.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

describe('cdk-nag: AwsSolutions', () => {
  let app: App;

  beforeAll(() => {
    ({ app } = synthGongkai());
    app.synth();
  });

  it('reports no unacknowledged finding in the data and pipeline stacks', () => {
    expect(describeFindings(findings(app))).toEqual([]);
  });

  it('acknowledges only findings that exist, each on the construct that has it', () => {
    const raw = unacknowledgedFindings(app);
    expect(raw.length).toBeGreaterThan(0);
    const acknowledged = acknowledgements(app).filter((entry) => entry.id.startsWith('AwsSolutions-'));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const entry of acknowledged) {
      const matching = raw.find(
        (violation) =>
          violation.ruleName === entry.id &&
          violation.violatingResources.some(
            (resource) =>
              resource.constructPath === entry.path || resource.constructPath?.startsWith(`${entry.path}/`),
          ),
      );
      expect(matching, `${entry.id} acknowledged on ${entry.path} but not found there`).toBeDefined();
    }
  });

  it('gives every acknowledgement a written reason', () => {
    for (const entry of acknowledgements(app)) {
      expect(entry.reason.length, `${entry.id} on ${entry.path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('never acknowledges a rule for a whole stack or the app', () => {
    for (const entry of acknowledgements(app)) expect(entry.path, entry.id).toMatch(/^[^/]+\/.+/);
  });

  describe('the check is live', () => {
    const throwawayApp = () => {
      const throwaway = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(throwaway, 'NagLiveCheck');
      // Deliberately non-compliant: no access logs, no TLS-only policy.
      new s3.Bucket(stack, 'NonCompliantBucket');
      return throwaway;
    };

    it('reports a deliberately non-compliant bucket', () => {
      const throwaway = throwawayApp();
      throwaway.synth();
      const reported = describeFindings(findings(throwaway));
      expect(reported).toContain('AwsSolutions-S1 @ NagLiveCheck/NonCompliantBucket/Resource');
      expect(reported).toContain('AwsSolutions-S10 @ NagLiveCheck/NonCompliantBucket/Resource');
    });

    it('fails synthesis when the pack is registered as the app does', () => {
      const throwaway = throwawayApp();
      Validations.of(throwaway).addPlugins(new AwsSolutionsChecks(throwaway));
      expect(() => throwaway.synth()).toThrow(/AwsSolutions-S10/);
    });
  });
});
