import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerTask, cancelTask, inbox, retryTask, startTask, tasks } from '../api.js';
import { TaskBoard } from '../tasks.svelte.js';
import { FakeEventSource } from '../testing/fake-event-source.js';
import TasksPanel from './TasksPanel.svelte';

vi.mock('../api.js', async (original) => ({
  ...(await original()), tasks: vi.fn(), inbox: vi.fn(), startTask: vi.fn(), cancelTask: vi.fn(), retryTask: vi.fn(),
  answerTask: vi.fn()
}));

const running = { id: 'a', title: 'Tidy the repo', prompt: 'tidy up', model: 'sonnet', phase: 'Running', attempt: 1,
  startedAt: '2026-11-28T10:00:00Z' };
const failed = { id: 'b', title: 'Write docs', model: 'opus', phase: 'Failed', attempt: 2, error: 'timed out',
  costUsd: 0.25, durationMs: 65000 };
const asking = { id: 'c', title: 'Pick a branch', model: 'sonnet', phase: 'NeedsInput', question: 'Which branch?' };

async function showBoard(list) {
  tasks.mockResolvedValue({ tasks: list });
  inbox.mockResolvedValue({ items: [] });
  const board = new TaskBoard();
  render(TasksPanel, { board });
  await board.refresh();
  return board;
}

const item = (title) => screen.getAllByTestId('task-item').find((e) => e.textContent.includes(title));

describe('the tasks panel', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('lists tasks with phase, model, cost and duration, and the actions their phase allows', async () => {
    await showBoard([running, failed, asking]);
    await screen.findAllByTestId('task-item');
    const r = within(item('Tidy the repo'));
    expect(r.getByTestId('task-phase').textContent).toBe('Running');
    expect(r.getByTestId('task-facts').textContent).toContain('sonnet');
    expect(r.getByRole('button', { name: 'Cancel' })).toBeDefined();
    expect(r.queryByRole('button', { name: 'Retry' })).toBeNull();

    const f = within(item('Write docs'));
    expect(f.getByTestId('task-phase').textContent).toBe('Failed');
    expect(f.getByTestId('task-facts').textContent).toBe('opus · $0.25 · 1 min 5 s · attempt 2');
    expect(f.queryByRole('button', { name: 'Cancel' })).toBeNull();

    retryTask.mockResolvedValue({ ...failed, phase: 'Pending', attempt: 3 });
    await fireEvent.click(f.getByRole('button', { name: 'Retry' }));
    expect(retryTask).toHaveBeenCalledWith('b');
    await waitFor(() => expect(within(item('Write docs')).getByTestId('task-phase').textContent).toBe('Pending'));

    cancelTask.mockResolvedValue({ ...running, phase: 'Cancelled' });
    await fireEvent.click(r.getByRole('button', { name: 'Cancel' }));
    expect(cancelTask).toHaveBeenCalledWith('a');
    await waitFor(() => expect(within(item('Tidy the repo')).getByTestId('task-phase').textContent).toBe('Cancelled'));
  });

  it('asks a task\'s question and sends the answer', async () => {
    await showBoard([asking]);
    const c = within(await screen.findByTestId('task-item'));
    expect(c.getByTestId('task-question').textContent).toBe('Which branch?');
    answerTask.mockResolvedValue({ ...asking, phase: 'Running', question: null });
    await fireEvent.input(c.getByLabelText('Your answer'), { target: { value: ' main ' } });
    await fireEvent.click(c.getByRole('button', { name: 'Send answer' }));
    expect(answerTask).toHaveBeenCalledWith('c', 'main');
    await waitFor(() => expect(screen.queryByTestId('task-question')).toBeNull());
  });

  it('starts a task by hand with title, prompt and an optional model', async () => {
    await showBoard([]);
    await screen.findByText('No sub-agent tasks yet.');
    await fireEvent.click(screen.getByRole('button', { name: 'New task' }));
    const start = screen.getByRole('button', { name: 'Start task' });
    expect(start.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Check links' } });
    await fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'Find dead links' } });
    startTask.mockResolvedValue({ id: 'n', title: 'Check links', phase: 'Pending', attempt: 1 });
    await fireEvent.click(start);
    expect(startTask).toHaveBeenCalledWith({ title: 'Check links', prompt: 'Find dead links' });
    await waitFor(() => expect(item('Check links')).toBeDefined());
    expect(screen.queryByRole('button', { name: 'Start task' })).toBeNull();
  });

  it('opens a task to its live log, readable or raw, until it ends', async () => {
    const board = await showBoard([running]);
    const r = within(await screen.findByTestId('task-item'));
    const toggle = r.getByTestId('task-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const log = FakeEventSource.latest;
    expect(log.url).toBe('/api/tasks/a/log');
    log.accept();
    log.send('line', undefined, { type: 'system', subtype: 'init', model: 'sonnet' });
    log.send('line', undefined, { type: 'assistant', message: { content: [{ type: 'text', text: 'Looking around.' },
      { type: 'tool_use', name: 'Bash', input: { command: 'git status' } }] } });
    await waitFor(() => expect(r.getAllByTestId('log-entry')).toHaveLength(3));
    expect(r.getAllByTestId('log-entry').map((e) => e.dataset.kind)).toEqual(['start', 'text', 'tool']);
    expect(r.getAllByTestId('log-entry')[2].textContent).toBe('▸ Bash: git status');

    await fireEvent.click(r.getByLabelText('Raw JSON'));
    expect(r.getAllByTestId('log-raw')).toHaveLength(2);
    expect(r.getAllByTestId('log-raw')[0].textContent).toContain('"subtype":"init"');

    log.send('end', undefined, { ...running, phase: 'Succeeded', result: 'Tidy now.' });
    await waitFor(() => expect(r.getByTestId('task-log-state').textContent.trim()).toBe('Ended'));
    expect(log.readyState).toBe(FakeEventSource.CLOSED);
    expect(board.tasks[0].phase).toBe('Succeeded');
    expect(r.getByTestId('task-result').textContent).toBe('Tidy now.');
  });
});
