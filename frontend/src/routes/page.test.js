import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, hasSession, history, inbox, postMessage, tasks } from '$lib/api.js';
import { FakeEventSource } from '$lib/testing/fake-event-source.js';
import Page from './+page.svelte';

vi.mock('$lib/api.js', async (original) => ({
  ...(await original()),
  hasSession: vi.fn(),
  history: vi.fn(),
  postMessage: vi.fn(),
  cancelTurn: vi.fn(),
  logout: vi.fn(),
  tasks: vi.fn(),
  inbox: vi.fn()
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
  tasks.mockResolvedValue({ tasks: [] });
  inbox.mockResolvedValue({ items: [] });
}

function serverUnreachable() {
  hasSession.mockImplementation(unreachable);
  history.mockImplementation(unreachable);
  postMessage.mockImplementation(unreachable);
  tasks.mockImplementation(unreachable);
  inbox.mockImplementation(unreachable);
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

  it('shows a message stored before the stream was subscribed, which the stream itself never carries', async () => {
    serverUp();
    online = false;
    render(Page); // opened offline: no history yet
    await screen.findByLabelText('Message');
    await write('sent as the network came back');
    await waitFor(() => expect(pendingBubbles('sent as the network came back')).toHaveLength(1));

    setOnline(true); // the message is posted and stored while the new stream is still connecting
    await waitFor(() => expect(postMessage).toHaveBeenCalledTimes(1));
    const [[text, id]] = postMessage.mock.calls;
    await waitFor(() => expect(history).toHaveBeenCalled());
    history.mockResolvedValue({ messages: [{ id: `m-${id}`, role: 'USER', text, createdAt: at(3) }], nextBefore: null });
    FakeEventSource.latest.accept();
    FakeEventSource.latest.send('stream.ready', 'c2-a5', { type: 'stream.ready' });

    await waitFor(() => expect(userBubbles('sent as the network came back')).toHaveLength(1));
    expect(pendingBubbles('sent as the network came back')).toHaveLength(0);
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

  it('shows a task\'s events from the thread stream in the Tasks list and counts its question in the header', async () => {
    serverUp();
    render(Page);
    await waitFor(() => expect(FakeEventSource.latest).toBeDefined());
    const stream = FakeEventSource.latest;
    stream.accept();
    await screen.findByText('No sub-agent tasks yet.');
    expect(screen.queryByTestId('inbox-badge')).toBeNull();

    const task = { threadId: 'main', taskId: 't1', title: 'Tidy the repo', occurredAt: at(3) };
    const question = { kind: 'question', taskId: 't1', title: 'Tidy the repo', text: 'Which branch?', at: at(4) };
    tasks.mockResolvedValue({ tasks: [{ id: 't1', title: 'Tidy the repo', phase: 'NeedsInput', question: 'Which branch?' }] });
    inbox.mockResolvedValue({ items: [question] });
    stream.send('task.created', 'c1-a0-t1', { ...task, eventId: 'k1', model: 'sonnet', source: 'assistant' });
    stream.send('task.needs-input', 'c1-a0-t2', { ...task, eventId: 'k2', question: 'Which branch?' });
    const badge = await screen.findByTestId('inbox-badge');
    expect(badge.textContent).toContain('1');
    expect(screen.getByTestId('task-phase').textContent).toBe('Needs input');
    expect(document.querySelectorAll('[data-role="assistant-live"]')).toHaveLength(0); // not a turn

    // the header button opens the panel where something waits: the inbox
    await fireEvent.click(screen.getByTestId('tasks-button'));
    expect(screen.getByRole('tab', { name: /Inbox/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('side-panel').className).toContain('fixed');
    await screen.findByTestId('inbox-item');
    expect(document.activeElement.id).toBe('panel-tab-inbox');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByTestId('side-panel').className).not.toContain('fixed');
    expect(document.activeElement).toBe(screen.getByTestId('tasks-button'));
  });
});
