// Browser tests of the Schedules and Heartbeat views (issue 12), run like the others by e2e-tests'
// BrowserE2ETest against the real stack (the gateway, scheduler-service, memory-service, the real
// CLI against the stand-in): on a laptop a schedule is added, listed in its time zone, switched off
// and deleted; on a phone the Heartbeat checklist is edited and saved, a heartbeat run now answers
// HEARTBEAT_OK, and today's beat shows, silent, against the budget.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SHOTS, WAIT, assertTouchTargets as touchTargets, openPages, word } from './support.mjs';

let browser;
let phone;
let laptop;

const assertTouchTargets = (scope) => touchTargets(scope, 'button:visible, textarea:visible, select:visible, input:visible:not([type="checkbox"]):not([type="radio"])');

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

/** The gateway's answer to {@code method path} (with a JSON body) in {@code page}'s session: {status, body}. */
async function api(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const response = await fetch(p, { method: m, headers: b ? { 'Content-Type': 'application/json' } : {},
      body: b ? JSON.stringify(b) : undefined });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }, [method, path, body]);
}

before(async () => {
  ({ browser, phone, laptop } = await openPages());
});

after(async () => {
  await browser?.close();
});

test('on a laptop, a schedule is added, listed with its time zone, switched off and deleted', async () => {
  const title = word('plan');
  const panel = await openView(laptop, 'Schedules');
  await panel.getByTestId('schedule-item').filter({ hasText: 'Heartbeat' }).waitFor(WAIT);

  await panel.getByRole('button', { name: 'New schedule' }).click();
  await panel.getByLabel('Title').fill(title);
  await panel.getByLabel('Prompt').fill('Plan my week');
  await panel.getByLabel('Cron', { exact: true }).fill('0 8 * * 1');
  await panel.getByLabel('Time zone').fill('America/New_York');
  await panel.getByRole('button', { name: 'Add schedule' }).click();

  const item = panel.getByTestId('schedule-item').filter({ hasText: title });
  await item.waitFor(WAIT);
  const stored = (await api(laptop, 'GET', '/api/schedules')).body.schedules.find((x) => x.title === title);
  assert.equal(stored.prompt, 'Plan my week');
  assert.equal(stored.timeZone, 'America/New_York');
  assert.equal(stored.createdBy, 'OWNER');
  assert.match(await item.getByTestId('schedule-when').innerText(), /cron 0 8 \* \* 1 · America\/New_York/);
  assert.match(await item.getByTestId('schedule-facts').innerText(), /^next .*8:00.* · by you/,
    'the next firing, Monday 08:00, in its own time zone');
  assert.ok(await laptop.getByLabel('Message').isVisible(), 'the thread stays visible beside the panel');
  await laptop.screenshot({ path: `${SHOTS}/schedules-desktop.png` });

  await item.getByLabel('Enabled').uncheck();
  await panel.locator(`[data-testid="schedule-item"][data-enabled="false"]`).filter({ hasText: title }).waitFor(WAIT);
  const changed = (await api(laptop, 'GET', `/api/schedules/${stored.id}`)).body;
  assert.equal(changed.enabled, false);
  assert.equal(changed.prompt, 'Plan my week', 'a change keeps every field');

  await item.getByRole('button', { name: 'Delete' }).click();
  await item.getByRole('button', { name: 'Yes, delete' }).click();
  await item.waitFor({ state: 'detached', ...WAIT });
  assert.equal((await api(laptop, 'GET', `/api/schedules/${stored.id}`)).status, 404, 'deleted in scheduler-service');
  const heartbeat = panel.getByTestId('schedule-item').filter({ hasText: 'Heartbeat' });
  assert.equal(await heartbeat.count(), 1, 'the built-in heartbeat stays');
  assert.equal(await heartbeat.getByRole('button', { name: 'Delete' }).count(), 0,
    'the built-in heartbeat cannot be deleted');
});

test('on a phone, HEARTBEAT.md is edited and saved, and today\'s beats show against the budget', async () => {
  // the notifications offer shows once after the login; Not now dismisses it for good on this device
  const banner = phone.getByTestId('push-banner');
  await banner.waitFor(WAIT);
  await banner.getByRole('button', { name: 'Not now' }).click();
  await banner.waitFor({ state: 'detached', ...WAIT });

  const panel = await openView(phone, 'Heartbeat');
  const box = await panel.boundingBox();
  assert.ok(box.width >= 370 && box.height >= 600, `the drawer covers the phone: ${JSON.stringify(box)}`);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow} px`);

  // the stand-in API answers what a directive in the checklist says: nothing needs the owner
  const checklist = `- Did a task fail?\n- ${word('check')} [[reply:HEARTBEAT_OK]]`;
  await panel.getByLabel('HEARTBEAT.md').fill(checklist);
  await panel.getByRole('button', { name: 'Save checklist' }).click();
  await panel.getByText('Saved.').waitFor(WAIT);
  assert.equal((await api(phone, 'GET', '/api/heartbeat')).body.checklist, checklist);

  // a beat now (the built-in heartbeat run by hand): the real CLI answers HEARTBEAT_OK, kept silent
  const heartbeat = (await api(phone, 'GET', '/api/schedules')).body.schedules.find((x) => x.kind === 'HEARTBEAT');
  assert.equal((await api(phone, 'POST', `/api/schedules/${heartbeat.id}/run`)).status, 202);
  let runs;
  for (let i = 0; i < 600; i++) {
    runs = (await api(phone, 'GET', '/api/heartbeat/runs')).body;
    if (runs.runs.some((r) => r.outcome === 'SILENT')) break;
    await phone.waitForTimeout(100); // polling the beat's outcome
  }
  assert.ok(runs.runs.some((r) => r.outcome === 'SILENT'), JSON.stringify(runs));
  const usage = await openView(phone, 'Memory').then(() => openView(phone, 'Heartbeat'));
  await usage.getByTestId('heartbeat-run').first().waitFor(WAIT);
  assert.match(await usage.getByTestId('heartbeat-usage').innerText(), /1 beat, 1 model call/);
  assert.match(await usage.getByTestId('heartbeat-run').first().innerText(), /nothing to say/i);
  await assertTouchTargets(usage);
  await phone.screenshot({ path: `${SHOTS}/heartbeat-phone.png` });

  // a reload shows what was saved
  await phone.reload();
  await phone.getByTestId('connection').filter({ hasText: 'live' }).waitFor(WAIT);
  assert.equal(await phone.getByTestId('push-banner').count(), 0, 'the offer is not made again');
  const again = await openView(phone, 'Heartbeat');
  await again.getByLabel('HEARTBEAT.md').and(phone.locator(':enabled')).waitFor(WAIT);
  assert.equal(await again.getByLabel('HEARTBEAT.md').inputValue(), checklist);
});
