// The README's picture of the search page: `tim serve` on a database, a
// search in Debian's headless Chromium, a PNG. Usage (from the source tree):
//   TIM_BINARY=build/tim node benchmarks/serve/screenshot.mjs DB OUT.png [QUERY_STRING]
import { launchBrowser, missingTools, startServer } from '../../tests/server/browser/harness.mjs';

const [db, out, query = 'q=dam+phan+hoa+binh'] = process.argv.slice(2);
if (!db || !out) throw new Error('usage: screenshot.mjs DB OUT.png [QUERY_STRING]');
const missing = missingTools();
if (missing) throw new Error(missing);

const server = await startServer(db);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${server.url}?${query}`);
  await page.locator('#summary', { hasText: 'kết quả' }).waitFor();
  await page.screenshot({ path: out });
} finally {
  await browser.close();
  await server.stop();
}
