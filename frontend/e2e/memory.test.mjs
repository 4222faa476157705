// Browser tests of the Memory view (docs/memory.md) against the real stack, like chat.test.mjs
// (run by e2e-tests' BrowserE2ETest, which passes MAINLOOP_URL, MAINLOOP_TOKEN and SCREENSHOT_DIR):
// the timeline and a day's messages, adding and pinning a memory, editing the persona core block,
// and "what it saw" under an answer, on a phone (a drawer) and a laptop (a side panel).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SHOTS, WAIT, assertTouchTargets as touchTargets, openPages, word } from './support.mjs';

/** The context layers in context order (docs/memory.md). */
const LAYERS = ['system', 'core', 'memories', 'summaries', 'unsummarized', 'recent', 'retrieved', 'tasks', 'prompt'];

let browser;
let phone;
let laptop;

async function send(page, text) {
  await page.getByLabel('Message').fill(text);
  await page.getByLabel('Message').press('Enter');
}

/** Opens the Memory view on a tab and waits until that tab has loaded. */
async function openMemory(page, tab) {
  const panel = page.getByTestId('memory-panel');
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Memory', exact: true }).click();
  await panel.waitFor(WAIT);
  await panel.getByRole('tab', { name: tab }).click();
  await panel.getByRole('tab', { name: tab, selected: true }).waitFor(WAIT);
  await panel.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', ...WAIT });
  return panel;
}

const assertTouchTargets = (scope) => touchTargets(scope);

before(async () => {
  ({ browser, phone, laptop } = await openPages());
});

after(async () => {
  await browser?.close();
});

test('on a phone, "what it saw" under an answer shows each layer with its tokens against the budget', async () => {
  const marker = word('context');
  await send(phone, `What do you see? [[reply:I see ${marker}]]`);
  const answer = phone.locator('[data-role="assistant"]').filter({ hasText: `I see ${marker}` });
  await answer.waitFor(WAIT);
  await answer.getByRole('button', { name: 'what it saw' }).click();
  const context = answer.getByTestId('turn-context');
  await context.getByTestId('context-layer').first().waitFor(WAIT);

  assert.match(await context.getByTestId('context-total').innerText(), /^[\d,.\s\u202f]+ of [\d,.\s\u202f]+ tokens \(estimated\)/);
  const layers = context.getByTestId('context-layer');
  const names = await layers.evaluateAll((all) => all.map((e) => e.dataset.layer));
  assert.ok(names.length > 0, 'the turn has layers');
  assert.deepEqual(names, LAYERS.filter((n) => names.includes(n)), `known layers in context order: ${names}`);
  const tokens = await context.getByTestId('layer-tokens').allInnerTexts();
  assert.equal(tokens.length, names.length);
  for (const t of tokens) assert.match(t, /^[\d,.\s\u202f]+ tokens$/, `a token count: ${t}`);
  assert.ok(tokens.some((t) => Number(t.replace(/\D/g, '')) > 0), `some layer has tokens: ${tokens}`);

  // a layer opens to its items
  const withItems = layers.filter({ has: phone.locator('li') }).first();
  await withItems.locator('summary').first().click();
  await withItems.locator('li').first().waitFor(WAIT);
  await phone.screenshot({ path: `${SHOTS}/memory-phone-context.png`, fullPage: false });
});

test('on a phone, the Memory drawer zooms from the timeline into today\'s messages', async () => {
  const marker = word('today');
  await send(phone, `[[reply:noted ${marker}]]`);
  await phone.locator('[data-role="assistant"]').filter({ hasText: `noted ${marker}` }).waitFor(WAIT);

  const panel = await openMemory(phone, 'Timeline');
  const box = await panel.boundingBox();
  assert.ok(box.width >= 370 && box.height >= 600, `the drawer covers the phone: ${JSON.stringify(box)}`);
  await assertTouchTargets(panel);
  await phone.screenshot({ path: `${SHOTS}/memory-phone-timeline.png` });

  // today has no daily summary yet (days are summarized after they end): it is among the recent days
  await panel.getByRole('button', { name: 'Today', exact: true }).click();
  const day = panel.getByTestId('day-messages');
  await day.locator('[data-role="assistant"]').filter({ hasText: `noted ${marker}` }).waitFor(WAIT);
  await day.locator('[data-role="user"]').filter({ hasText: marker }).waitFor(WAIT);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow} px`);
  await phone.screenshot({ path: `${SHOTS}/memory-phone-day.png` });

  await panel.getByRole('button', { name: '← Back to the timeline' }).click();
  await panel.getByRole('button', { name: 'Today', exact: true }).waitFor(WAIT);
  await panel.getByRole('button', { name: 'Close memory' }).click();
  await panel.waitFor({ state: 'detached', ...WAIT });
  await phone.getByLabel('Message').waitFor(WAIT);
});

test('on a laptop, a search in the Memory view finds a message and opens its day at it', async () => {
  const marker = word('kayak');
  await send(laptop, `We paddled the kayak ${marker} across the lake at dawn. [[reply:That sounds lovely.]]`);
  await laptop.locator('[data-role="assistant"]').filter({ hasText: 'That sounds lovely.' }).last().waitFor(WAIT);

  const panel = await openMemory(laptop, 'Timeline');
  const box = panel.getByRole('searchbox', { name: 'Search all history' });
  await box.fill(`kayak ${marker}`);
  const hit = panel.getByTestId('search-hit').filter({ hasText: marker }).first();
  // the index takes the message in within moments of its storing: search again until it is there
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    await panel.getByRole('button', { name: 'Search', exact: true }).click();
    await panel.getByTestId('search-results').locator('[aria-busy="true"]').waitFor({ state: 'detached', ...WAIT });
    if (await hit.isVisible()) break;
    assert.ok(Date.now() < deadline, 'the message was never found');
    await laptop.waitForTimeout(250);
  }
  assert.equal(await hit.locator('mark').first().innerText(), 'kayak', 'the matched term is marked');
  await laptop.screenshot({ path: `${SHOTS}/memory-laptop-search.png` });

  await hit.click();
  const shown = panel.getByTestId('day-messages').locator('[data-search-hit="true"]');
  await shown.waitFor(WAIT);
  assert.match(await shown.innerText(), new RegExp(marker));
  await panel.getByRole('button', { name: '← Back to the results' }).click();
  await panel.getByTestId('search-results').waitFor(WAIT);
  await panel.getByRole('button', { name: 'Clear' }).click();
  await panel.getByRole('button', { name: 'Close memory' }).click();
});

test('on a laptop, the owner adds a memory, pins it and edits the persona', async () => {
  const panel = await openMemory(laptop, 'Memories');
  const text = word('remember-tea');
  await panel.getByLabel('Kind').selectOption('PREFERENCE');
  await panel.getByLabel('New memory').fill(`The owner prefers green tea (${text})`);
  await panel.getByRole('button', { name: 'Add memory' }).click();
  const memory = panel.getByTestId('memory-item').filter({ hasText: text });
  await memory.waitFor(WAIT);
  assert.match(await memory.innerText(), /preference/i);
  assert.equal(await memory.getAttribute('data-pinned'), 'false');

  await memory.getByRole('button', { name: 'Pin', exact: true }).click();
  await laptop.locator(`[data-testid="memory-item"][data-pinned="true"]`).filter({ hasText: text }).waitFor(WAIT);
  await memory.getByTestId('pinned').waitFor(WAIT);
  await memory.getByRole('button', { name: 'Unpin', exact: true }).waitFor(WAIT);
  // the chat stays beside the panel on a laptop
  assert.ok(await laptop.getByLabel('Message').isVisible(), 'the thread stays visible beside the Memory panel');
  await laptop.screenshot({ path: `${SHOTS}/memory-desktop-memories.png` });

  await openMemory(laptop, 'Core blocks');
  const persona = panel.getByLabel('Persona');
  await laptop.waitForFunction(() => !document.querySelector('#core-persona')?.disabled, null, WAIT);
  const original = await persona.inputValue();
  const edited = `You are mainloop, calm and brief. ${word('persona')}`;
  try {
    await persona.fill(edited);
    const count = panel.locator('[data-block="persona"]').getByTestId('core-count');
    assert.match(await count.innerText(), new RegExp(`^${edited.length} / \\d+ characters$`));
    await panel.getByRole('button', { name: 'Save persona' }).click();
    await panel.locator('[data-block="persona"]').getByText('Saved.').waitFor(WAIT);
    await laptop.screenshot({ path: `${SHOTS}/memory-desktop-core.png` });

    // it is stored: a reload shows it
    await laptop.reload();
    await laptop.getByLabel('Message').waitFor(WAIT);
    const again = await openMemory(laptop, 'Core blocks');
    await laptop.waitForFunction((value) => document.querySelector('#core-persona')?.value === value, edited, WAIT);
    assert.equal(await again.getByLabel('Persona').inputValue(), edited);
  } finally {
    // leave the persona as it was for whatever runs next
    await laptop.evaluate(async (text) => {
      await fetch('/api/core-blocks/persona', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }) });
    }, original);
  }
});
