import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStacks } from './stacks/gongkai.js';

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Synthesizes offline with no AWS account:
 * the stacks are environment-agnostic unless `account`/`region` are given as context.
 * cdk-nag's AwsSolutions pack runs as a policy-validation plugin, so an unacknowledged finding
 * fails `cdk synth`.
 */
const app = new App();
buildStacks(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
