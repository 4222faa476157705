// Browser tests of the Tasks and Inbox views (docs/tasks.md) against the real stack, like chat.test.mjs
// (run by e2e-tests' BrowserE2ETest, which passes MAINLOOP_URL, MAINLOOP_TOKEN and SCREENSHOT_DIR):
// on a laptop the owner starts a task by hand, watches it go Running -> Succeeded in the Tasks list,
// opens its live log, finds its result in the Inbox and marks it seen, and the assistant reports it in
// the thread; on a phone the Tasks and
// Inbox drawer opens from the header, whose badge counts what waits in the inbox. The demo
// stand-in CLI answers a prompt containing [[reply:TEXT]] with TEXT at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SHOTS, WAIT, assertTouchTargets as touchTargets, openPages, word } from './support.mjs';

let browser;
let phone;
let laptop;

/** Shows a view of the side panel (opening the drawer first on a phone) and waits until it has loaded. */
async function openView(page, name) {
  const panel = page.getByTestId('side-panel');
  if (!(await panel.isVisible())) await page.getByTestId('tasks-button').click();
  await panel.waitFor(WAIT);
  await panel.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  await panel.getByRole('tab', { name: new RegExp(`^${name}`), selected: true }).waitFor(WAIT);
  await panel.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', ...WAIT });
  return panel;
}

/** Starts a task with the New task form of the Tasks view; returns its item in the list. */
async function startTask(page, title, prompt) {
  const panel = await openView(page, 'Tasks');
  await panel.getByRole('button', { name: 'New task' }).click();
  await panel.getByLabel('Title').fill(title);
  await panel.getByLabel('Prompt').fill(prompt);
  await panel.getByRole('button', { name: 'Start task' }).click();
  const item = panel.getByTestId('task-item').filter({ hasText: title });
  await item.waitFor(WAIT);
  return item;
}

const assertTouchTargets = (scope) => touchTargets(scope, 'button:visible, textarea:visible, select:visible, input:visible:not([type="checkbox"])');

before(async () => {
  ({ browser, phone, laptop } = await openPages());
});

after(async () => {
  await browser?.close();
});

test('on a laptop, a task started by hand runs, logs, lands in the inbox and is marked seen', async () => {
  const title = word('tidy');
  const reply = word('tidied');
  // every phase a task of this title shows, in order (recorded in the page: no phase is missed between polls)
  await laptop.evaluate((t) => {
    window.__phases = [];
    const record = () => {
      const item = [...document.querySelectorAll('[data-testid="task-item"]')].find((e) => e.textContent.includes(t));
      const phase = item?.dataset.phase;
      if (phase && window.__phases.at(-1) !== phase) window.__phases.push(phase);
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true,
      attributeFilter: ['data-phase'] });
  }, title);

  const item = await startTask(laptop, title, `Tidy up, then say so. [[reply:${reply}]]`);
  assert.ok(await laptop.getByLabel('Message').isVisible(), 'the thread stays visible beside the Tasks panel');
  await laptop.locator('[data-testid="task-item"][data-phase="Succeeded"]').filter({ hasText: title }).waitFor(WAIT);
  const phases = await laptop.evaluate(() => window.__phases);
  assert.ok(phases.includes('Running'), `it was seen running: ${phases}`);
  assert.equal(phases.at(-1), 'Succeeded', `it ended succeeded: ${phases}`);
  assert.ok(phases.lastIndexOf('Running') < phases.lastIndexOf('Succeeded'), `Running before Succeeded: ${phases}`);
  assert.match(await item.getByTestId('task-facts').innerText(), /\$\d/, 'its cost is shown');
  assert.equal(await item.getByRole('button', { name: 'Cancel' }).count(), 0, 'an ended task cannot be cancelled');
  await laptop.screenshot({ path: `${SHOTS}/tasks-desktop-list.png` });

  // its log, from the start, readable; the raw stream-json behind a toggle
  await item.getByTestId('task-toggle').click();
  const log = item.getByTestId('task-log');
  await log.getByTestId('log-entry').filter({ hasText: reply }).first().waitFor(WAIT);
  await log.getByTestId('task-log-state').filter({ hasText: 'Ended' }).waitFor(WAIT);
  await item.getByTestId('task-result').filter({ hasText: reply }).waitFor(WAIT);
  await laptop.screenshot({ path: `${SHOTS}/tasks-desktop-log.png` });
  await log.getByLabel('Raw JSON').check();
  const raw = await log.getByTestId('log-raw').allInnerTexts();
  assert.ok(raw.length > 0 && raw.every((l) => l.trim().startsWith('{')), `stream-json lines: ${raw.slice(0, 3)}`);
  await log.getByLabel('Raw JSON').uncheck();

  // its result waits in the inbox until it is marked seen
  const panel = await openView(laptop, 'Inbox');
  const result = panel.locator('[data-testid="inbox-item"][data-kind="result"]').filter({ hasText: title });
  await result.waitFor(WAIT);
  assert.match(await result.getByTestId('inbox-text').innerText(), new RegExp(reply));
  await laptop.getByTestId('inbox-badge').waitFor(WAIT);
  await laptop.screenshot({ path: `${SHOTS}/tasks-desktop-inbox.png` });
  await result.getByRole('button', { name: 'Mark seen' }).click();
  await result.waitFor({ state: 'detached', ...WAIT });

  // the assistant reports the result in the thread (and no turn of this test is left running for the next)
  await laptop.locator('[data-role="assistant"]').filter({ hasText: title }).waitFor(WAIT);
});

test('on a phone, the drawer opens from the header, whose badge counts the inbox', async () => {
  const title = word('phone-task');
  const reply = word('done');
  await startTask(phone, title, `Quick one. [[reply:${reply}]]`);
  await phone.locator('[data-testid="task-item"][data-phase="Succeeded"]').filter({ hasText: title }).waitFor(WAIT);
  await phone.getByRole('button', { name: 'Close panel' }).click();
  await phone.getByLabel('Message').waitFor(WAIT);

  // the header's badge counts what waits in the inbox (this task's result, and anything older)
  const badge = phone.getByTestId('inbox-badge');
  await badge.waitFor(WAIT);
  assert.ok(Number((await badge.innerText()).replace(/\D/g, '')) >= 1, `the badge counts: ${await badge.innerText()}`);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow} px`);
  await phone.screenshot({ path: `${SHOTS}/tasks-phone-badge.png` });

  // tapping it opens the drawer on the inbox
  await phone.getByTestId('tasks-button').click();
  const panel = phone.getByTestId('side-panel');
  await panel.getByRole('tab', { name: /^Inbox/, selected: true }).waitFor(WAIT);
  const box = await panel.boundingBox();
  assert.ok(box.width >= 370 && box.height >= 600, `the drawer covers the phone: ${JSON.stringify(box)}`);
  const result = panel.locator('[data-testid="inbox-item"][data-kind="result"]').filter({ hasText: title });
  await result.waitFor(WAIT);
  await assertTouchTargets(panel);
  await phone.screenshot({ path: `${SHOTS}/tasks-phone-inbox.png` });
  await result.getByRole('button', { name: 'Mark seen' }).click();
  await result.waitFor({ state: 'detached', ...WAIT });

  await openView(phone, 'Tasks');
  await panel.getByTestId('task-item').filter({ hasText: title }).waitFor(WAIT);
  await assertTouchTargets(panel);
  await phone.screenshot({ path: `${SHOTS}/tasks-phone-tasks.png` });
  await phone.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden', ...WAIT });
  await phone.locator('[data-role="assistant"]').filter({ hasText: title }).waitFor(WAIT);
});
