// What the browser tests of the side panel share (memory.test.mjs, tasks.test.mjs): the stack's
// address and owner token (passed by e2e-tests' BrowserE2ETest), a Chromium with a logged-in phone
// page (375x667, light) and laptop page (1280x800, dark), and the 44 px touch-target check.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const BASE = process.env.MAINLOOP_URL ?? 'http://localhost:8080';
export const TOKEN = process.env.MAINLOOP_TOKEN;
export const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/screenshots';
export const WAIT = { timeout: 60_000 };

/** A short unique word, e.g. `tidy-k3j9x1`. */
export const word = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/** Logs {@code page} in with the owner token and waits until the thread is live. */
export async function logIn(page) {
  await page.goto(BASE);
  await page.getByLabel('Owner token').fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Message').waitFor(WAIT);
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor(WAIT);
}

/** Starts Chromium with a logged-in phone page and laptop page: {@code { browser, phone, laptop }}. */
export async function openPages() {
  assert.ok(TOKEN, 'MAINLOOP_TOKEN is required');
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  });
  const phoneContext = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 2, colorScheme: 'light' });
  const laptopContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  const phone = await phoneContext.newPage();
  const laptop = await laptopContext.newPage();
  await logIn(phone);
  await logIn(laptop);
  return { browser, phone, laptop };
}

/** Every visible control matching {@code selector} in {@code scope} is a touch target of at least 44x44 px. */
export async function assertTouchTargets(scope, selector = 'button:visible, textarea:visible, select:visible') {
  for (const control of await scope.locator(selector).all()) {
    const box = await control.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44,
      `${await control.evaluate((e) => e.outerHTML.slice(0, 80))} is ${box.width}x${box.height}`);
  }
}
