// Browser end-to-end check of the debug UI, driven by playwright-core with Debian's Chromium.
//
//   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/e2e.mjs
//
// Env: E2E_BASE_URL (required: where the UI and API are served, one origin),
//      E2E_OUTPUT_DIR (screenshots; default ../test-output from this folder's parent),
//      E2E_CHROMIUM (default /usr/bin/chromium), E2E_TIMEOUT_MS (per wait; default 60000).
// Prints one line per step and "N passed, M failed" last; exits 1 at the first failure.
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const FRONTEND = fileURLToPath(new URL('..', import.meta.url));
const BASE_URL = (process.env.E2E_BASE_URL ?? '').replace(/\/+$/, '');
const OUTPUT_DIR = process.env.E2E_OUTPUT_DIR
  ? resolve(process.env.E2E_OUTPUT_DIR)
  : resolve(FRONTEND, '..', 'test-output');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 60000);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let passed = 0;
let failed = 0;

class StepError extends Error {}

/** Throws a step failure with a message that says what was expected. */
function check(condition, message) {
  if (!condition) throw new StepError(message);
}

async function step(name, fn) {
  try {
    const result = await fn();
    passed += 1;
    console.log(`ok ${passed} - ${name}${typeof result === 'string' ? ` (${result})` : ''}`);
    return result;
  } catch (err) {
    failed += 1;
    console.error(`FAIL - ${name}: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

/** Ids of the rendered cards, in page order. */
async function cardIds(page) {
  return page.locator('[data-testid^="card-"][data-item-id]').evaluateAll((els) => els.map((el) => el.dataset.itemId));
}

/** Clicks "Get Recommendations" and waits until the answer is rendered; returns its status. */
async function runSearch(page, { debug = false } = {}) {
  const path = debug ? '/debug/recommend' : '/recommend';
  const responsePromise = page.waitForResponse((r) => new URL(r.url()).pathname === path, { timeout: TIMEOUT });
  await page.getByTestId('submit-button').click();
  const response = await responsePromise;
  // The button is re-enabled in the same render that shows the new results (or the error).
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="submit-button"]')?.hasAttribute('disabled'),
    null,
    { timeout: TIMEOUT },
  );
  return response.status();
}

async function main() {
  if (!BASE_URL) throw new StepError('E2E_BASE_URL is not set (e.g. http://127.0.0.1:8000)');
  if (!existsSync(CHROMIUM)) {
    throw new StepError(`${CHROMIUM} not found: install it with "apt-get install -y chromium"`);
  }
  await mkdir(OUTPUT_DIR, { recursive: true });

  // launch() gives Chromium a fresh temporary profile (user-data-dir) of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  try {
    await step('open the UI', async () => {
      const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'load' });
      check(response && response.ok(), `GET ${BASE_URL}/ answered ${response?.status()}`);
      await page.getByRole('heading', { level: 1, name: "Seen'emAll" }).waitFor();
    });

    const userId = `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    await step('set a fresh user id', async () => {
      await page.getByTestId('user-id-input').fill(userId);
      return userId;
    });

    await step('add "Toy Story" as watched through the title picker', async () => {
      await page.getByTestId('title-picker-input').pressSequentially('Toy Story', { delay: 20 });
      const first = page.getByTestId('title-picker-option').first();
      await first.waitFor();
      const picked = (await first.textContent())?.trim();
      await first.click();
      await page.getByTestId('history-event-select').selectOption('watched');
      const posted = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/user/history' && r.request().method() === 'POST',
      );
      await page.getByTestId('add-history-button').click();
      const response = await posted;
      check(response.ok(), `POST /user/history answered ${response.status()}: ${await response.text()}`);
      await page.getByTestId('history-status').filter({ hasText: 'Added' }).waitFor();
      return picked;
    });

    let defaultOrder = [];
    await step('get recommendations (at least one card)', async () => {
      const status = await runSearch(page);
      check(status === 200, `GET /recommend answered ${status}`);
      defaultOrder = await cardIds(page);
      check(defaultOrder.length >= 1, 'no card was rendered');
      check(
        (await page.getByTestId('card-explanation').count()) >= 1,
        'no card shows an explanation',
      );
      return `${defaultOrder.length} cards`;
    });

    let mixedOrder = [];
    await step('custom mixer weights (popularity max, ANN min) change the order', async () => {
      await page.getByTestId('switch-customize-mixer').check();
      const popularity = page.getByTestId('slider-mixer_popularity_weight');
      const ann = page.getByTestId('slider-mixer_ann_weight');
      await popularity.focus();
      await page.keyboard.press('End');
      await ann.focus();
      await page.keyboard.press('Home');
      check((await popularity.inputValue()) === '2', `popularity slider is ${await popularity.inputValue()}, not 2`);
      check((await ann.inputValue()) === '0', `ANN slider is ${await ann.inputValue()}, not 0`);
      const status = await runSearch(page);
      check(status === 200, `GET /recommend answered ${status}`);
      mixedOrder = await cardIds(page);
      check(mixedOrder.length >= 1, 'no card was rendered after re-weighting');
      check(
        mixedOrder.join(',') !== defaultOrder.join(','),
        `order unchanged: ${mixedOrder.slice(0, 10).join(',')}`,
      );
      return `first ids ${defaultOrder.slice(0, 3).join(',')} -> ${mixedOrder.slice(0, 3).join(',')}`;
    });

    await step('"More" appends new distinct cards', async () => {
      let note = '';
      if ((await page.getByTestId('more-button').count()) === 0) {
        // With diversify on, MMR may cut the ranking to one page; without it the API pages.
        await page.getByTestId('switch-diversify').uncheck();
        const status = await runSearch(page);
        check(status === 200, `GET /recommend (diversify=false) answered ${status}`);
        note = 'diversify off; ';
      }
      check((await page.getByTestId('more-button').count()) === 1, 'no "More" button: the API sent no next_cursor');
      const before = await cardIds(page);
      const responsePromise = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/recommend' && new URL(r.url()).searchParams.has('cursor'),
      );
      await page.getByTestId('more-button').click();
      const response = await responsePromise;
      check(response.ok(), `GET /recommend with cursor answered ${response.status()}`);
      await page.waitForFunction(
        (count) => document.querySelectorAll('[data-testid^="card-"][data-item-id]').length > count,
        before.length,
        { timeout: TIMEOUT },
      );
      const after = await cardIds(page);
      check(after.slice(0, before.length).join(',') === before.join(','), 'the first page changed instead of growing');
      check(new Set(after).size === after.length, 'duplicate cards after "More"');
      return `${note}${before.length} -> ${after.length} cards`;
    });

    await step('debug panel shows the path and stage timings', async () => {
      await page.getByTestId('debug-toggle').check();
      const status = await runSearch(page, { debug: true });
      check(status === 200, `GET /debug/recommend answered ${status}`);
      const panel = page.getByTestId('debug-panel');
      await panel.waitFor();
      const path = (await page.getByTestId('debug-path').textContent())?.trim() ?? '';
      check(path && path !== 'unknown', 'the debug panel shows no path');
      const stageRows = await page.locator('[data-testid="debug-stages"] tr:not(.total)').count();
      check(stageRows >= 1, 'the debug panel lists no stage timings');
      return `path ${path}, ${stageRows} stages`;
    });

    await step('"Why this title" opens on a card', async () => {
      const why = page.getByTestId('why-this-title').first();
      await why.waitFor();
      await why.locator('summary').click();
      await why.getByTestId('component-ann').waitFor();
    });

    await step('no uncaught errors in the page', async () => {
      check(pageErrors.length === 0, pageErrors.join(' | '));
    });

    await step('save a screenshot', async () => {
      const file = join(OUTPUT_DIR, 'e2e.png');
      await page.screenshot({ path: file, fullPage: true });
      return file;
    });
  } catch (err) {
    const file = join(OUTPUT_DIR, 'e2e-failure.png');
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.error(`failure screenshot: ${file}`);
    if (!(err instanceof StepError) && !failed) failed += 1;
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (err) {
  failed = Math.max(failed, 1);
  console.error(`FAIL - setup: ${err instanceof Error ? err.message : String(err)}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
