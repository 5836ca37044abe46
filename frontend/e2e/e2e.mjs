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
import { EXPECTED, letterboxdZip } from './letterboxd-export.mjs';

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

/** Ids of the rendered cards, in page order (numbers). */
async function cardIds(page) {
  const ids = await page
    .locator('[data-testid^="card-"][data-item-id]')
    .evaluateAll((els) => els.map((el) => el.dataset.itemId));
  return ids.map(Number);
}

/** Ids of an API answer's items, in order. */
function bodyIds(body) {
  check(body && Array.isArray(body.items), `unexpected response body: ${JSON.stringify(body).slice(0, 200)}`);
  return body.items.map((item) => item.id);
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Fails when `ids` repeats an id. */
function checkDistinct(ids, what) {
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  check(dupes.length === 0, `${what} repeats ids ${[...new Set(dupes)].join(',')}`);
}

/** Waits until the cards on screen are exactly `ids`, in that order. */
async function waitForCards(page, ids) {
  await page.waitForFunction(
    (expected) => {
      const shown = [...document.querySelectorAll('[data-testid^="card-"][data-item-id]')].map((el) => el.dataset.itemId);
      return shown.join(',') === expected.join(',');
    },
    ids.map(String),
    { timeout: TIMEOUT },
  );
}

/**
 * Clicks "Get Recommendations", waits for the API answer and for the cards to show exactly
 * what it returned; resolves to `{ url, body, ids }`.
 */
async function runSearch(page, { debug = false } = {}) {
  const path = debug ? '/debug/recommend' : '/recommend';
  const responsePromise = page.waitForResponse(
    (r) => new URL(r.url()).pathname === path && !new URL(r.url()).searchParams.has('cursor'),
    { timeout: TIMEOUT },
  );
  await page.getByTestId('submit-button').click();
  const response = await responsePromise;
  check(response.status() === 200, `GET ${path} answered ${response.status()}: ${await response.text()}`);
  const body = await response.json();
  const ids = bodyIds(body);
  // The button is re-enabled in the same render that shows the new results.
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="submit-button"]')?.hasAttribute('disabled'),
    null,
    { timeout: TIMEOUT },
  );
  await waitForCards(page, ids);
  return { url: new URL(response.url()), body, ids };
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

    // The title added to history by name; it must never come back as a recommendation.
    let watchedId = null;
    await step('add "Toy Story" as watched through the title picker', async () => {
      await page.getByTestId('title-picker-input').pressSequentially('Toy Story', { delay: 20 });
      const option = page.getByTestId('title-picker-option').filter({ hasText: /^Toy Story \(/ }).first();
      await option.waitFor();
      watchedId = Number(await option.getAttribute('data-item-id'));
      check(Number.isInteger(watchedId) && watchedId > 0, 'the picked option has no item id');
      const picked = (await option.textContent())?.trim();
      await option.click();
      await page.getByTestId('history-event-select').selectOption('watched');
      const posted = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/user/history' && r.request().method() === 'POST',
      );
      await page.getByTestId('add-history-button').click();
      const response = await posted;
      check(response.ok(), `POST /user/history answered ${response.status()}: ${await response.text()}`);
      const sent = response.request().postDataJSON();
      check(sent.user_id === userId, `history was posted for ${sent.user_id}, not ${userId}`);
      check(
        Array.isArray(sent.items) && sent.items.includes(watchedId) && sent.event_type === 'watched',
        `history body ${JSON.stringify(sent)} does not record item ${watchedId} as watched`,
      );
      await page.getByTestId('history-status').filter({ hasText: 'Added "Toy Story" as watched' }).waitFor();
      return `${picked}, id ${watchedId}`;
    });

    let defaultIds = [];
    await step('get recommendations: cards with explanations, history excluded', async () => {
      const { body, ids } = await runSearch(page);
      defaultIds = ids;
      check(ids.length >= 10, `only ${ids.length} cards`);
      checkDistinct(ids, 'the first page');
      check(!ids.includes(watchedId), `the watched title ${watchedId} was recommended`);
      // Every card shows the API's explanation, verbatim.
      const explanations = await page.getByTestId('card-explanation').allTextContents();
      check(explanations.length === ids.length, `${explanations.length} of ${ids.length} cards show an explanation`);
      body.items.forEach((item, i) => {
        check(
          typeof item.explanation === 'string' && item.explanation.trim() !== '',
          `the API sent no explanation for item ${item.id}`,
        );
        check(
          explanations[i].trim() === item.explanation.trim(),
          `card ${i + 1} shows "${explanations[i]}", the API sent "${item.explanation}"`,
        );
      });
      return `${ids.length} cards, first: ${(await page.getByTestId('card-title').first().textContent())?.trim()}`;
    });

    let mixedIds = [];
    await step('moving mixer sliders (popularity max, ANN min) changes the order', async () => {
      await page.getByTestId('switch-customize-mixer').check();
      const popularity = page.getByTestId('slider-mixer_popularity_weight');
      const ann = page.getByTestId('slider-mixer_ann_weight');
      await popularity.focus();
      await page.keyboard.press('End');
      await ann.focus();
      await page.keyboard.press('Home');
      check((await popularity.inputValue()) === '2', `popularity slider is ${await popularity.inputValue()}, not 2`);
      check((await ann.inputValue()) === '0', `ANN slider is ${await ann.inputValue()}, not 0`);
      await page.getByTestId('mixer-panel').getByText('Popularity (2.00)').waitFor();
      const { url, ids } = await runSearch(page);
      const sent = url.searchParams;
      check(
        sent.get('mixer_popularity_weight') === '2' && sent.get('mixer_ann_weight') === '0',
        `the request did not carry the slider values: ${url.search}`,
      );
      mixedIds = ids;
      check(ids.length >= 10, `only ${ids.length} cards after re-weighting`);
      check(!sameList(ids, defaultIds), `order unchanged: ${ids.slice(0, 10).join(',')}`);
      check(!ids.includes(watchedId), `the watched title ${watchedId} was recommended after re-weighting`);
      return `first ids ${defaultIds.slice(0, 3).join(',')} -> ${ids.slice(0, 3).join(',')}`;
    });

    await step('"More" fetches page 2 with the cursor: new titles, no repeats', async () => {
      let note = '';
      let firstPage = mixedIds;
      if ((await page.getByTestId('more-button').count()) === 0) {
        // With diversify on, MMR may cut the ranking to one page; without it the API pages.
        await page.getByTestId('switch-diversify').uncheck();
        firstPage = (await runSearch(page)).ids;
        note = 'diversify off; ';
      }
      check((await page.getByTestId('more-button').count()) === 1, 'no "More" button: the API sent no next_cursor');
      const responsePromise = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/recommend' && new URL(r.url()).searchParams.has('cursor'),
      );
      await page.getByTestId('more-button').click();
      const response = await responsePromise;
      check(response.ok(), `GET /recommend with cursor answered ${response.status()}: ${await response.text()}`);
      const sent = new URL(response.url()).searchParams;
      check(sent.get('mixer_popularity_weight') === '2', `page 2 was asked with other weights: ${sent}`);
      const secondPage = bodyIds(await response.json());
      check(secondPage.length >= 1, 'page 2 is empty');
      checkDistinct(secondPage, 'page 2');
      const repeated = secondPage.filter((id) => firstPage.includes(id));
      check(repeated.length === 0, `page 2 repeats page 1's ids ${repeated.join(',')}`);
      check(!secondPage.includes(watchedId), `the watched title ${watchedId} is on page 2`);
      // The UI appends page 2 under page 1, in API order.
      await waitForCards(page, [...firstPage, ...secondPage]);
      return `${note}${firstPage.length} + ${secondPage.length} cards`;
    });

    let debugBody = null;
    await step('debug panel shows path, intent and stage timings for a query', async () => {
      await page.getByTestId('query-input').fill('funny animated movies for kids');
      await page.getByTestId('debug-toggle').check();
      const { body, ids } = await runSearch(page, { debug: true });
      debugBody = body;
      check(body.debug && typeof body.debug === 'object', '/debug/recommend sent no debug object');
      check(!ids.includes(watchedId), `the watched title ${watchedId} was recommended for an animation query`);
      const panel = page.getByTestId('debug-panel');
      await panel.waitFor();
      const path = (await page.getByTestId('debug-path').textContent())?.trim() ?? '';
      check(path === body.debug.path && path.includes('query'), `the debug panel shows path "${path}"`);
      const intentText = (await page.getByTestId('debug-intent').textContent()) ?? '';
      check(/Animation/.test(intentText), `the parsed intent does not mention Animation: ${intentText}`);
      const source = (await page.getByTestId('debug-intent-source').textContent())?.trim();
      const stageNames = await page
        .locator('[data-testid="debug-stages"] tr:not(.total) td:first-child')
        .allTextContents();
      check(stageNames.length >= 3, `the debug panel lists ${stageNames.length} stage timings`);
      check(
        sameList(stageNames, body.debug.stages.map((s) => s.name)),
        `stage rows ${stageNames.join(',')} differ from the API's`,
      );
      return `path ${path}, intent from ${source}, stages ${stageNames.join(',')}`;
    });

    await step('"Why this title" opens on a card', async () => {
      const card = page.locator('[data-testid^="card-"][data-item-id]').first();
      const id = await card.getAttribute('data-item-id');
      const trace = debugBody.debug.items?.[id];
      check(trace, `the debug answer has no trace for item ${id}`);
      const why = card.getByTestId('why-this-title');
      await why.locator('summary').click();
      const annValue = why.getByTestId('component-ann').locator('.bar-value');
      await annValue.waitFor({ state: 'visible' });
      const shown = (await annValue.textContent())?.trim();
      check(shown === Number(trace.components.ann).toFixed(3), `ANN bar shows ${shown}, trace has ${trace.components.ann}`);
      return `item ${id}, ANN ${shown}`;
    });

    await step('import a Letterboxd export through the UI and see its summary', async () => {
      await page.getByTestId('import-format-select').selectOption('letterboxd');
      await page.getByTestId('import-file-input').setInputFiles({
        name: 'letterboxd-e2e.zip',
        mimeType: 'application/zip',
        buffer: letterboxdZip(),
      });
      const posted = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/user/import' && r.request().method() === 'POST',
      );
      await page.getByTestId('import-submit').click();
      const response = await posted;
      check(response.ok(), `POST /user/import answered ${response.status()}: ${await response.text()}`);
      const summary = await response.json();
      check(summary.user_id === userId, `imported for ${summary.user_id}, not ${userId}`);
      await page.getByTestId('import-summary').waitFor();
      const matched = (await page.getByTestId('import-matched').textContent())?.trim();
      check(matched === String(EXPECTED.matched), `the summary shows ${matched} matched, expected ${EXPECTED.matched}`);
      const unmatched = await page.getByTestId('import-unmatched').locator('li').count();
      check(unmatched === EXPECTED.unmatched, `the summary lists ${unmatched} unmatched rows, expected ${EXPECTED.unmatched}`);
      return `${matched} matched, ${unmatched} unmatched, ${summary.written} written`;
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
