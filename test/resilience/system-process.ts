import { startLocalSystem } from '../../infra/local/system.js';

/**
 * The local system alone in a process, for the pending-work part (which kills it with SIGKILL):
 * `node --import tsx test/resilience/system-process.ts <dataDir> [apiPort s3Port dynamoPort awsPort]`.
 * Prints one line `READY {urls, ports, outboxDirectory}` once it answers, then runs until killed.
 */
const [dataDir, api, s3, dynamodb, aws] = process.argv.slice(2);
if (dataDir === undefined)
  throw new Error('usage: system-process.ts <dataDir> [apiPort s3Port dynamoPort awsPort]');
const port = (value: string | undefined) => (value === undefined ? 0 : Number(value));
const system = await startLocalSystem({
  dataDir,
  port: port(api),
  s3Port: port(s3),
  dynamoPort: port(dynamodb),
  awsPort: port(aws),
  logLevel: 'ERROR',
});
process.stdout.write(
  `READY ${JSON.stringify({ urls: system.urls, ports: system.ports, outboxDirectory: system.outboxDirectory, resumed: system.resumed })}\n`,
);
process.on('SIGTERM', () => {
  void system.stop().then(() => process.exit(0));
});
