// The search page in a real headless Chromium (Debian's), as a reader uses
// it: type `dam phan`, see the seed articles and the accent suggestion, tick
// a publisher and see hits and counts change, go back. Run by CTest with
// TIM_BINARY and TIM_SEEDS set; TIM_SCREENSHOT=FILE also saves a picture.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, missingTools, scratch, startServer, tim } from './harness.mjs';

const missing = missingTools();
if (missing) {
  // CI installs both: there, a missing tool is a failure, not a skip.
  if (process.env.CI) throw new Error(`browser test cannot run in CI: ${missing}`);
  console.log(`browser test skipped: ${missing}`);
  process.exit(0);
}

// Besides the seeds (no publisher), articles from two publishers.
function publisherArticles() {
  const article = (id, source, date, title, body) => JSON.stringify({ id, source, date, title, body, category: 'Thế giới' });
  return [
    article('vne-1', 'VnExpress', '2025-03-02', 'Mỹ và Nga nối lại đàm phán ở Riyadh', 'Theo Reuters, hai phái đoàn đàm phán suốt 12 giờ.'),
    article('vne-2', 'VnExpress', '2024-11-20', 'Vòng đàm phán mới về ngừng bắn', 'Các bên đàm phán về lệnh ngừng bắn trên biển Đen.'),
    article('vne-3', 'VnExpress', '2024-06-15', 'Hội nghị hoà bình ở Thuỵ Sĩ', 'Hơn 90 nước dự hội nghị; Nga không được mời đàm phán.'),
    article('dt-1', 'Dân trí', '2025-01-10', 'Châu Âu muốn có ghế trong đàm phán', 'Theo AFP, EU đề nghị tham gia đàm phán về an ninh.'),
    article('dt-2', 'Dân trí', '2023-09-05', 'Thổ Nhĩ Kỳ đề nghị làm trung gian đàm phán', 'Ankara sẵn sàng tổ chức vòng đàm phán mới.'),
  ].join('\n') + '\n';
}

let files, server, browser;

before(async () => {
  files = scratch();
  const db = `${files.dir}/db`;
  tim(['ingest', '--db', db, process.env.TIM_SEEDS]);
  tim(['ingest', '--db', db, files.write('publishers.jsonl', publisherArticles())]);
  server = await startServer(db);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  files?.remove();
});

// The number in "N kết quả ...".
async function total(page) {
  const text = await page.locator('#summary').textContent();
  return Number(text.match(/^([\d.]+) kết quả/)[1].replace(/\./g, ''));
}

function facetValue(page, facet, name) {
  return page.locator(`.facet[data-facet="${facet}"] label`).filter({
    has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }),
  });
}

test('search, suggestion, facets and the back button', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

  await page.goto(server.url);
  await page.locator('#q').fill('dam phan');
  await page.locator('#q').press('Enter');
  await page.locator('#summary', { hasText: 'kết quả cho «dam phan»' }).waitFor();
  assert.match(page.url(), /\?q=dam\+phan$/);

  // The seed articles, with highlighted snippets, and the suggestion.
  const titles = await page.locator('.hit h3').allTextContents();
  assert.ok(titles.some((t) => t.startsWith('Phái đoàn đàm phán Ukraine')), titles.join('\n'));
  assert.equal(await page.locator('.hit .snippet mark').first().textContent(), 'đàm');
  assert.equal(await page.locator('#suggestion').textContent(), 'Có phải bạn muốn tìm: đàm phán');
  const before = await total(page);
  assert.equal(before, 10);

  // Tick a publisher: fewer hits, and the other publisher's count stays.
  const dantri = await facetValue(page, 'source', 'Dân trí').locator('.count').textContent();
  await facetValue(page, 'source', 'VnExpress').locator('input').check();
  await page.waitForURL(/source=VnExpress/);
  await page.locator('#summary', { hasText: /^3 kết quả/ }).waitFor();
  assert.equal(await total(page), 3);
  assert.equal(await facetValue(page, 'source', 'Dân trí').locator('.count').textContent(), dantri);
  assert.ok(await facetValue(page, 'source', 'VnExpress').locator('input').isChecked());
  const filtered = await page.locator('.hit .source').allTextContents();
  assert.deepEqual([...new Set(filtered)], ['VnExpress']);
  assert.equal(await page.locator('.chip').count(), 1);

  // Back: the search before the tick, box unticked.
  await page.goBack();
  await page.locator('#summary', { hasText: `${before} kết quả` }).waitFor();
  assert.match(page.url(), /\?q=dam\+phan$/);
  assert.equal(await facetValue(page, 'source', 'VnExpress').locator('input').isChecked(), false);

  // The date histogram narrows to a year.
  await page.locator('.bar[aria-label^="2024:"]').click();
  await page.waitForURL(/from=2024&to=2024/);
  await page.locator('#summary', { hasText: /^2 kết quả/ }).waitFor();

  // An article, and back to the hits.
  await page.locator('.hit h3 a').first().click();
  await page.locator('#article-view:not([hidden]) #article-title').waitFor();
  assert.match(page.url(), /\?article=/);
  assert.ok((await page.locator('#article-body p').count()) > 0);
  await page.locator('#back').click();
  await page.locator('#summary', { hasText: /^2 kết quả/ }).waitFor();

  if (process.env.TIM_SCREENSHOT) await page.screenshot({ path: process.env.TIM_SCREENSHOT });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a phone reads it without sideways scrolling', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(`${server.url}?q=dam+phan&source=VnExpress`);
  await page.locator('#summary', { hasText: /^3 kết quả/ }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await page.close();
});
