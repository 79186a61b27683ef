/** `gongkai pull` in a child process, so the interrupted-run test can kill it with SIGKILL. */
import { pullCommand } from '../../../bin/commands/pull.js';

process.exitCode = await pullCommand(process.argv.slice(2));
