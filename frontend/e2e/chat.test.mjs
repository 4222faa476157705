// Browser tests of the web chat against the real stack (./mainloop up --demo equivalent, started by
// e2e-tests' BrowserE2ETest, which passes MAINLOOP_URL, MAINLOOP_TOKEN and SCREENSHOT_DIR).
// Debian's Chromium driven by playwright-core (shared/reference/offline-infrastructure.md).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = process.env.MAINLOOP_URL ?? 'http://localhost:8080';
const TOKEN = process.env.MAINLOOP_TOKEN;
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/screenshots';
const WAIT = { timeout: 60_000 };

let browser;
let phone;
let laptop;
let phoneContext;
let laptopContext;
const streamRequests = [];

async function logIn(page) {
  await page.goto(BASE);
  await page.getByLabel('Owner token').fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Message').waitFor(WAIT);
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor(WAIT);
}

async function send(page, text) {
  await page.getByLabel('Message').fill(text);
  await page.getByLabel('Message').press('Enter');
}

const word = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

before(async () => {
  assert.ok(TOKEN, 'MAINLOOP_TOKEN is required');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  });
  phoneContext = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 2, colorScheme: 'light' });
  laptopContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  phone = await phoneContext.newPage();
  laptop = await laptopContext.newPage();
  laptop.on('request', (r) => {
    if (r.url().includes('/api/thread/stream')) streamRequests.push({ url: r.url(), lastEventId: r.headers()['last-event-id'] });
  });
});

after(async () => {
  await browser?.close();
});

test('without a session the login screen shows, never a blank page', async () => {
  await phone.goto(BASE);
  await phone.getByLabel('Owner token').waitFor(WAIT);
  await phone.screenshot({ path: `${SHOTS}/phone-login.png` });
  await phone.getByLabel('Owner token').fill('not-the-token');
  await phone.getByRole('button', { name: 'Log in' }).click();
  await phone.getByText('That is not the owner token.').waitFor(WAIT);
});

test('the phone logs in, sends, and watches the answer stream in; the laptop sees both live', async () => {
  await logIn(phone);
  await logIn(laptop);
  const marker = word('table');
  const reply = `Here is **bold** text and a list:\n\n- one\n- two\n\n| name | value |\n|---|---|\n| ${marker} | 42 |\n\n`
    + '```js\nconst answer = 42;\n```';
  await send(phone, `Show me markdown [[slow:30]] [[reply:${reply}]]`);

  // live: the streaming bubble shows before the stored answer replaces it
  await phone.locator('[data-role="assistant-live"]').waitFor(WAIT);
  const answer = phone.locator('[data-role="assistant"]').filter({ hasText: marker });
  await answer.waitFor(WAIT);
  assert.equal(await answer.locator('strong').first().textContent(), 'bold');
  assert.equal(await answer.locator('li').count(), 2);
  assert.equal(await answer.locator('td').first().textContent(), marker);
  assert.ok(await answer.locator('pre code.language-js .hljs-keyword').count() > 0, 'code is highlighted');
  assert.equal(await answer.getByRole('button', { name: 'Copy code' }).count(), 1);

  // the laptop saw the question and the answer without reloading
  await laptop.locator('[data-role="user"]').filter({ hasText: 'Show me markdown' }).last().waitFor(WAIT);
  await laptop.locator('[data-role="assistant"]').filter({ hasText: marker }).locator('table').waitFor(WAIT);
  assert.equal(await laptop.locator('[data-role="assistant"]').filter({ hasText: marker }).count(), 1, 'shown once');

  // phone layout: no horizontal scrolling, touch targets of at least 44 px
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow} px`);
  for (const control of await phone.locator('button:visible, textarea:visible').all()) {
    const box = await control.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44,
      `${await control.evaluate((e) => e.outerHTML.slice(0, 80))} is ${box.width}x${box.height}`);
  }
  await phone.screenshot({ path: `${SHOTS}/phone-chat.png` });
  await laptop.screenshot({ path: `${SHOTS}/desktop-chat.png` });
});

test('a script or onerror handler in model output does not run', async () => {
  const marker = word('safe');
  await send(phone, `[[reply:<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2"> ${marker}]]`);
  const answer = phone.locator('[data-role="assistant"]').filter({ hasText: marker });
  await answer.waitFor(WAIT);
  await laptop.locator('[data-role="assistant"]').filter({ hasText: marker }).waitFor(WAIT);
  for (const page of [phone, laptop]) {
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'model output ran script');
    const img = page.locator('[data-role="assistant"]').filter({ hasText: marker }).locator('img');
    assert.equal(await img.getAttribute('onerror'), null);
    assert.equal(await page.locator('[data-role="assistant"] script').count(), 0);
  }
});

test('a reload shows the answer as it was seen live: narration, the tool call, then the answer', async () => {
  const marker = word('narrated');
  await send(phone, `[[say:I will run a command.]] [[tool:Bash:echo ${marker}]]`);
  const live = phone.locator('[data-role="assistant"]').filter({ hasText: `The tool said: ${marker}` });
  await live.waitFor(WAIT);
  await phone.reload();
  const stored = phone.locator('[data-role="assistant"]').filter({ hasText: `The tool said: ${marker}` });
  await stored.waitFor(WAIT);
  const text = await stored.innerText();
  const narration = text.indexOf('I will run a command.');
  const tool = text.indexOf(`ran Bash: echo ${marker}`);
  const answer = text.indexOf(`The tool said: ${marker}`);
  assert.ok(narration >= 0 && narration < tool && tool < answer, `in order after a reload: ${text}`);
});

test('a page that lost the network catches up with no gap when it is back', async () => {
  const before = streamRequests.length;
  await laptopContext.setOffline(true);
  await laptop.getByText('You are offline').waitFor(WAIT);
  const marker = word('missed');
  await send(phone, `while the laptop is away [[reply:${marker}]]`);
  await phone.locator('[data-role="assistant"]').filter({ hasText: marker }).waitFor(WAIT);
  await laptopContext.setOffline(false);
  await laptop.locator('[data-role="assistant"]').filter({ hasText: marker }).waitFor(WAIT);
  await laptop.locator('[data-role="user"]').filter({ hasText: 'while the laptop is away' }).waitFor(WAIT);
  assert.equal(await laptop.locator('[data-role="assistant"]').filter({ hasText: marker }).count(), 1);
  const resumed = streamRequests.slice(before);
  assert.ok(resumed.some((r) => r.lastEventId || r.url.includes('lastEventId=')),
    `the stream was resumed from the last event: ${JSON.stringify(resumed)}`);
  await laptop.screenshot({ path: `${SHOTS}/desktop-after-reconnect.png` });
});

test('a message written offline survives a reload and is sent once when the network is back', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 2 });
  const page = await context.newPage();
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/thread/messages')) posts.push(r.postDataJSON());
  });
  await logIn(page);
  // the service worker, which caches the app shell, controls the page: it opens offline too
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, WAIT);

  await context.setOffline(true);
  await page.getByText('You are offline').waitFor(WAIT);
  const marker = word('offline');
  await send(page, `written offline ${marker} [[reply:got ${marker}]]`);
  const pending = page.locator('[data-role="user-pending"]').filter({ hasText: marker });
  await pending.getByText('Waiting to send…').waitFor(WAIT);

  await page.reload();
  await pending.waitFor(WAIT); // still there after the reload, still offline
  await page.getByText('You are offline').waitFor(WAIT);

  await context.setOffline(false);
  await page.locator('[data-role="assistant"]').filter({ hasText: `got ${marker}` }).waitFor(WAIT);
  const question = page.locator('[data-role="user"]').filter({ hasText: marker });
  assert.equal(await question.count(), 1, 'the message shows once');
  assert.equal(await pending.count(), 0, 'and no longer as waiting');
  const stored = await page.evaluate(async () => (await (await fetch('/api/thread/messages?limit=50')).json()).messages);
  assert.equal(stored.filter((m) => m.role === 'USER' && m.text.includes(marker)).length, 1, 'stored once');
  const ids = new Set(posts.filter((p) => p.text.includes(marker)).map((p) => p.clientMessageId));
  assert.equal(ids.size, 1, `every attempt, before and after the reload, used one clientMessageId: ${[...ids]}`);
  await page.screenshot({ path: `${SHOTS}/phone-sent-after-reload.png` });
  await context.close();
});

test('an owner on a phone in dark mode gets a readable page', async () => {
  const dark = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 2, colorScheme: 'dark' });
  const page = await dark.newPage();
  await logIn(page);
  await page.locator('[data-role="assistant"]').first().waitFor(WAIT);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)', 'dark mode follows the system setting');
  await page.screenshot({ path: `${SHOTS}/phone-dark.png` });
  await dark.close();
});
