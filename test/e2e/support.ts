import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { readOutbox } from '../../infra/local/outbox.js';

/** Debian's chromium, which `.ci/run` installs. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep a headless chromium quiet and offline (TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where screenshots go (gitignored). */
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

/** The demo's sample files, with planted personal data (test/fixtures/demo/README.md). */
export const FIXTURES = {
  policy: path.join(ROOT, 'test', 'fixtures', 'demo', 'policy.txt'),
  interpretation: path.join(ROOT, 'test', 'fixtures', 'demo', 'interpretation.txt'),
};

/**
 * Whether the browser tests can run. Missing chromium is a failure in CI (the tests would
 * otherwise pass by not running) and a skip, said out loud, on a developer's machine.
 */
export function browserAvailability(): { run: boolean; reason?: string } {
  if (existsSync(CHROMIUM)) return { run: true };
  const reason = `${CHROMIUM} is missing: install it with "apt-get update && apt-get install -y chromium".`;
  if (process.env.CI) throw new Error(`End-to-end tests cannot run in CI: ${reason}`);
  process.stderr.write(`\n⚠ Skipping the end-to-end browser tests: ${reason}\n\n`);
  return { run: false, reason };
}

/** Launches the headless chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

let axeSource: string | undefined;

/** One axe-core violation, reduced to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page (injected as a script: the context bypasses the pages' CSP for this)
 * and returns the violations of impact serious or critical.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run();
    return result.violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }[];
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' ')),
    }));
}

/** Saves a full-page screenshot as `test/artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** How far the page is wider than the viewport (0 = no horizontal scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string expression: the project compiles without the DOM library.
  return Number(
    await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
  );
}

/** The focused element's id and text. */
export async function activeElement(page: Page): Promise<{ id: string; text: string }> {
  return (await page.evaluate(
    '({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent ?? "" })',
  )) as { id: string; text: string };
}

/** Approval links in the outbox that `seen` does not hold yet, waiting for at least one. */
export async function newApprovalLinks(
  outboxDirectory: string,
  seen: Set<string>,
  timeoutMs = 30_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const links = (await readOutbox(outboxDirectory))
      .flatMap((message) => message.links)
      .filter((link) => /\/approvals\/[^/?#]+$/.test(link) && !seen.has(link));
    if (links.length > 0) {
      for (const link of links) seen.add(link);
      return [...new Set(links)];
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`No new approval mail in ${outboxDirectory} within ${timeoutMs} ms.`);
}

/** Reloads the page until `text` appears in it. */
export async function reloadUntil(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await page.content()).includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
    await page.reload();
  }
  throw new Error(`"${text}" did not appear on ${page.url()} within ${timeoutMs} ms.`);
}
