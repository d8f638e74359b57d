// A `tim serve` on a free loopback port and Debian's headless Chromium,
// driven by playwright-core: for the page test and the README screenshot.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const CHROMIUM = process.env.TIM_CHROMIUM || '/usr/bin/chromium';

// Flags for Chromium as root on a machine without a network.
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Why the browser test cannot run here, or '' if it can.
export function missingTools() {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (sh .ci/install-deps --browser)`;
  try {
    createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm ci --prefix tests/server/browser)';
  }
  return '';
}

export function tim(args) {
  const result = spawnSync(process.env.TIM_BINARY, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tim ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

// A scratch directory, removed by the returned function.
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'tim-page-'));
  return { dir, write: (name, text) => { writeFileSync(join(dir, name), text); return join(dir, name); },
           remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// Starts `tim serve --port 0` on `db`; resolves to { url, stop }.
export async function startServer(db) {
  const server = spawn(process.env.TIM_BINARY, ['serve', '--db', db, '--port', '0', '--quiet'],
                       { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: server.stdout });
    lines.once('line', resolve);
    server.once('exit', (code) => reject(new Error(`tim serve exited with ${code}`)));
  });
  const match = line.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
  if (!match) throw new Error(`unexpected first line from tim serve: ${line}`);
  const stop = () => new Promise((resolve) => {
    server.once('exit', resolve);
    server.kill('SIGTERM');
  });
  return { url: match[0], stop };
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
