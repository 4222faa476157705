import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, hasSession, history, postMessage } from '$lib/api.js';
import { FakeEventSource } from '$lib/testing/fake-event-source.js';
import Page from './+page.svelte';

vi.mock('$lib/api.js', async (original) => ({
  ...(await original()),
  hasSession: vi.fn(),
  history: vi.fn(),
  postMessage: vi.fn(),
  cancelTurn: vi.fn(),
  logout: vi.fn()
}));

const unreachable = () => Promise.reject(new ApiError(0, 'The server cannot be reached.'));
const at = (s) => `2026-11-21T10:00:${String(s).padStart(2, '0')}.000Z`;
let online = true;

function setOnline(value) {
  online = value;
  window.dispatchEvent(new Event(value ? 'online' : 'offline'));
}

function serverUp() {
  hasSession.mockResolvedValue(true);
  history.mockResolvedValue({ messages: [], nextBefore: null });
  postMessage.mockImplementation(async (text, clientMessageId) => ({ messageId: `m-${clientMessageId}`, clientMessageId }));
}

function serverUnreachable() {
  hasSession.mockImplementation(unreachable);
  history.mockImplementation(unreachable);
  postMessage.mockImplementation(unreachable);
}

async function write(text) {
  const box = screen.getByLabelText('Message');
  await fireEvent.input(box, { target: { value: text } });
  await fireEvent.keyDown(box, { key: 'Enter' });
}

const userBubbles = (text) => [...document.querySelectorAll('[data-role="user"]')].filter((e) => e.textContent.includes(text));
const pendingBubbles = (text) => [...document.querySelectorAll('[data-role="user-pending"]')].filter((e) => e.textContent.includes(text));

describe('the chat page', () => {
  beforeEach(() => {
    FakeEventSource.install();
    localStorage.clear();
    vi.clearAllMocks();
    online = true;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  });
  afterEach(() => cleanup());

  it('after a network loss asks for the events after the last one it saw and shows a repeated event once', async () => {
    serverUp();
    render(Page);
    await waitFor(() => expect(FakeEventSource.latest).toBeDefined());
    const first = FakeEventSource.latest;
    first.accept();
    first.send('stream.ready', 'c7-a3', { type: 'stream.ready' });
    await screen.findByText('live');

    setOnline(false);
    await screen.findByText(/You are offline/);
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    setOnline(true);
    const resumed = FakeEventSource.latest;
    expect(resumed).not.toBe(first);
    expect(resumed.url).toBe('/api/thread/stream?lastEventId=c7-a3');

    // what happened meanwhile; the replay overlaps what a racing live delivery already sent
    resumed.accept();
    const stored = { eventId: 'e1', messageId: 'm1', role: 'USER', text: 'sent from the phone', createdAt: at(1) };
    resumed.send('message.stored', 'c8-a3', stored);
    resumed.send('message.stored', 'c8-a3', stored);
    resumed.send('turn.started', 'c8-a4', { eventId: 'e2', turnId: 't1' });
    resumed.send('text.delta', 'c8-a5', { eventId: 'e3', turnId: 't1', sequence: 0, text: 'Half an answer' });
    resumed.send('turn.started', 'c8-a4', { eventId: 'e2', turnId: 't1' });
    await waitFor(() => expect(userBubbles('sent from the phone')).toHaveLength(1));
    expect(document.querySelector('[data-role="assistant-live"]').textContent).toContain('Half an answer');

    setOnline(false);
    setOnline(true);
    expect(FakeEventSource.latest.url).toBe('/api/thread/stream?lastEventId=c8-a5');
  });

  it('keeps a message written offline across a reload and sends it once, with the same clientMessageId', async () => {
    serverUnreachable();
    online = false;
    const firstPage = render(Page);
    await screen.findByLabelText('Message');
    await write('written on the train');
    await waitFor(() => expect(screen.getByText('Waiting to send…')).toBeDefined());
    firstPage.unmount(); // the reload

    render(Page);
    await waitFor(() => expect(pendingBubbles('written on the train')).toHaveLength(1));
    expect(screen.getByText(/You are offline/)).toBeDefined();

    serverUp();
    setOnline(true);
    await waitFor(() => expect(postMessage).toHaveBeenLastCalledWith('written on the train', expect.any(String)));
    const ids = new Set(postMessage.mock.calls.map(([, id]) => id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    FakeEventSource.latest.accept();
    FakeEventSource.latest.send('message.stored', 'c1-a0',
      { eventId: 'e9', messageId: `m-${id}`, role: 'USER', text: 'written on the train', createdAt: at(2) });
    await waitFor(() => expect(userBubbles('written on the train')).toHaveLength(1));
    expect(pendingBubbles('written on the train')).toHaveLength(0);
    expect(postMessage.mock.calls.filter(([text]) => text === 'written on the train').length)
      .toBe(postMessage.mock.calls.length); // nothing else was posted
    expect(localStorage.length).toBe(0);
  });

  it('shows two identical messages sent in a row twice', async () => {
    serverUp();
    render(Page);
    await screen.findByLabelText('Message');
    await write('ok');
    await write('ok');
    await waitFor(() => expect(postMessage).toHaveBeenCalledTimes(2));
    FakeEventSource.latest.accept();
    postMessage.mock.calls.forEach(([text, id], i) => FakeEventSource.latest.send('message.stored', `c${i + 1}-a0`,
      { eventId: `e${i}`, messageId: `m-${id}`, role: 'USER', text, createdAt: at(i + 1) }));
    await waitFor(() => expect(userBubbles('ok')).toHaveLength(2));
    expect(pendingBubbles('ok')).toHaveLength(0);
  });
});
