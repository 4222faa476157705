// Browser tests of the Schedules and Heartbeat views (issue 12), run like the others by e2e-tests'
// BrowserE2ETest against the real stack (login, the gateway serving the built app, the real session).
// scheduler-service's schedule API and memory-service's heartbeat API are answered in the page by
// stand-ins (playwright routes holding their state) with the JSON shapes of the gateway's proxies
// (gateway-service ScheduleResource and HeartbeatResource, tested against fake services there), so
// these tests check the views, not those services: on a laptop a schedule is added, listed, switched
// off and deleted; on a phone the Heartbeat checklist is edited and saved and today's usage shows.
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

/** A JSON answer for a route. */
const json = (route, status, body) => route.fulfill({ status, contentType: status >= 400 ? 'application/problem+json' : 'application/json',
  body: body === null ? '' : JSON.stringify(body) });

/**
 * scheduler-service's schedules for {@code page}, kept here: the built-in heartbeat to start with;
 * records every request the page makes ({@code requests}: "METHOD path" and the JSON body).
 */
async function standInSchedules(page) {
  const state = {
    requests: [],
    list: [{ id: '00000000-0000-4000-8000-000000000001', threadId: 'main', kind: 'HEARTBEAT', title: 'Heartbeat',
      prompt: 'heartbeat', cron: '0 0/30 * * * ?', timeZone: 'Europe/Paris', enabled: true, activeHoursStart: '08:00',
      activeHoursEnd: '22:00', target: 'THREAD', createdBy: 'SYSTEM', builtIn: true, nextFireAt: '2030-01-07T08:00:00Z' }]
  };
  await page.route(/\/api\/schedules(\/[^?]*)?(\?.*)?$/, async (route) => {
    const request = route.request();
    const path = new URL(request.url()).pathname;
    const body = request.postData() ? JSON.parse(request.postData()) : null;
    state.requests.push({ line: `${request.method()} ${path}`, body });
    const [, , , id, action] = path.split('/'); // '', 'api', 'schedules', id, action
    const found = state.list.find((s) => s.id === id);
    if (request.method() === 'GET' && !id) return json(route, 200, { schedules: state.list });
    if (request.method() === 'POST' && !id) {
      if (!body?.prompt || !(body.cron || body.runAt)) return json(route, 400, { status: 400, detail: 'prompt and cron or runAt' });
      const created = { id: crypto.randomUUID(), threadId: 'main', kind: body.cron ? 'PROMPT' : 'REMINDER', enabled: true,
        target: 'THREAD', createdBy: 'OWNER', builtIn: false, nextFireAt: '2030-01-07T07:00:00Z', ...body };
      state.list.push(created);
      return json(route, 201, created);
    }
    if (!found) return json(route, 404, { status: 404, detail: 'no such schedule' });
    if (request.method() === 'PUT') {
      Object.keys(found).forEach((k) => ['id', 'createdBy', 'builtIn', 'nextFireAt'].includes(k) || delete found[k]);
      Object.assign(found, body);
      return json(route, 200, found);
    }
    if (request.method() === 'DELETE') {
      state.list = state.list.filter((s) => s !== found);
      return json(route, 204, null);
    }
    if (request.method() === 'POST' && action === 'run') {
      return json(route, 202, { scheduleId: id, firingId: crypto.randomUUID(), firedAt: new Date().toISOString() });
    }
    return json(route, 405, { status: 405, detail: 'not here' });
  });
  return state;
}

/** memory-service's heartbeat for {@code page}: the checklist as last saved, and a day of beats. */
async function standInHeartbeat(page) {
  const state = { checklist: '', saves: [] };
  await page.route(/\/api\/heartbeat(\?.*)?$/, async (route) => {
    if (route.request().method() === 'PUT') {
      state.checklist = JSON.parse(route.request().postData()).checklist;
      state.saves.push(state.checklist);
    }
    return json(route, 200, { checklist: state.checklist, updatedAt: '2030-01-06T09:00:00Z' });
  });
  await page.route(/\/api\/heartbeat\/runs(\?.*)?$/, (route) => json(route, 200, {
    runs: [
      { id: 'r2', firedAt: '2030-01-06T09:30:00Z', outcome: 'SILENT', reason: 'HEARTBEAT_OK', inputTokens: 1400,
        outputTokens: 4, costUsd: 0.0012 },
      { id: 'r1', firedAt: '2030-01-06T09:00:00Z', outcome: 'SKIPPED', reason: 'nothing new' }
    ],
    today: { beats: 2, modelCalls: 1, inputTokens: 1400, outputTokens: 4, costUsd: 0.0012, budgetTokens: 100000, budgetUsd: 0.25 }
  }));
  return state;
}

before(async () => {
  ({ browser, phone, laptop } = await openPages());
});

after(async () => {
  await browser?.close();
});

test('on a laptop, a schedule is added, listed with its time zone, switched off and deleted', async () => {
  const service = await standInSchedules(laptop);
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
  assert.deepEqual(service.requests.find((r) => r.line === 'POST /api/schedules').body,
    { prompt: 'Plan my week', cron: '0 8 * * 1', title, timeZone: 'America/New_York' });
  assert.match(await item.getByTestId('schedule-when').innerText(), /cron 0 8 \* \* 1 · America\/New_York/);
  assert.match(await item.getByTestId('schedule-facts').innerText(), /^next .*2:00.* · by you/,
    'the next firing in its own time zone (07:00 UTC is 02:00 in New York)');
  assert.ok(await laptop.getByLabel('Message').isVisible(), 'the thread stays visible beside the panel');
  await laptop.screenshot({ path: `${SHOTS}/schedules-desktop.png` });

  await item.getByLabel('Enabled').uncheck();
  await panel.locator(`[data-testid="schedule-item"][data-enabled="false"]`).filter({ hasText: title }).waitFor(WAIT);
  const put = service.requests.find((r) => r.line.startsWith('PUT '));
  assert.equal(put.body.enabled, false);
  assert.equal(put.body.prompt, 'Plan my week', 'a change sends every field');

  await item.getByRole('button', { name: 'Delete' }).click();
  await item.getByRole('button', { name: 'Yes, delete' }).click();
  await item.waitFor({ state: 'detached', ...WAIT });
  assert.equal(await panel.getByTestId('schedule-item').count(), 1, 'only the built-in heartbeat is left');
  assert.equal(await panel.getByTestId('schedule-item').getByRole('button', { name: 'Delete' }).count(), 0,
    'the built-in heartbeat cannot be deleted');
});

test('on a phone, HEARTBEAT.md is edited and saved, and today\'s beats show against the budget', async () => {
  // the notifications offer shows once after the login; Not now dismisses it for good on this device
  const banner = phone.getByTestId('push-banner');
  await banner.waitFor(WAIT);
  await banner.getByRole('button', { name: 'Not now' }).click();
  await banner.waitFor({ state: 'detached', ...WAIT });

  const service = await standInHeartbeat(phone);
  const panel = await openView(phone, 'Heartbeat');
  const box = await panel.boundingBox();
  assert.ok(box.width >= 370 && box.height >= 600, `the drawer covers the phone: ${JSON.stringify(box)}`);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow} px`);

  const checklist = `- Did a task fail?\n- ${word('check')}`;
  await panel.getByLabel('HEARTBEAT.md').fill(checklist);
  await panel.getByRole('button', { name: 'Save checklist' }).click();
  await panel.getByText('Saved.').waitFor(WAIT);
  assert.deepEqual(service.saves, [checklist]);
  assert.match(await panel.getByTestId('heartbeat-usage').innerText(), /2 beats, 1 model call/);
  assert.equal(await panel.getByTestId('heartbeat-run').count(), 2);
  await assertTouchTargets(panel);
  await phone.screenshot({ path: `${SHOTS}/heartbeat-phone.png` });

  // a reload shows what was saved
  await phone.reload();
  await phone.getByTestId('connection').filter({ hasText: 'live' }).waitFor(WAIT);
  assert.equal(await phone.getByTestId('push-banner').count(), 0, 'the offer is not made again');
  const again = await openView(phone, 'Heartbeat');
  await again.getByLabel('HEARTBEAT.md').and(phone.locator(':enabled')).waitFor(WAIT);
  assert.equal(await again.getByLabel('HEARTBEAT.md').inputValue(), checklist);
});
