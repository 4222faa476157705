import { afterEach, describe, expect, it, vi } from 'vitest';
import { inbox, tasks } from './api.js';
import { TaskBoard, cancellable, countInbox, formatCost, formatDuration, retryable } from './tasks.svelte.js';

vi.mock('./api.js', async (original) => ({ ...(await original()), tasks: vi.fn(), inbox: vi.fn() }));

const T = 'task-1';
const ev = (type, fields) => ({ type, eventId: `${type}-${Math.random()}`, threadId: 'main', taskId: T, title: 'Tidy',
  occurredAt: '2026-11-28T10:00:00Z', ...fields });

describe('the task board', () => {
  afterEach(() => vi.clearAllMocks());

  it('follows a task through its events, with the inbox alongside', () => {
    const board = new TaskBoard();
    expect(board.apply({ type: 'text.delta' })).toBe(false);
    board.apply(ev('task.created', { model: 'sonnet', source: 'api' }));
    expect(board.tasks).toMatchObject([{ id: T, title: 'Tidy', phase: 'Pending', model: 'sonnet' }]);
    board.apply(ev('task.created', {})); // again: still one
    expect(board.tasks).toHaveLength(1);

    board.apply(ev('task.started', { attempt: 1 }));
    expect(board.tasks[0].phase).toBe('Running');
    board.apply(ev('task.needs-input', { question: 'Which branch?' }));
    expect(board.tasks[0]).toMatchObject({ phase: 'NeedsInput', question: 'Which branch?' });
    expect(board.items).toMatchObject([{ kind: 'question', taskId: T, text: 'Which branch?' }]);
    expect(board.inboxCount).toBe(1);

    board.apply(ev('task.started', { attempt: 1 })); // answered: it runs again
    expect(board.inboxCount).toBe(0);
    board.apply(ev('task.finished', { attempt: 1, phase: 'Succeeded', result: 'All tidy.', costUsd: 0.0123, durationMs: 65000 }));
    expect(board.tasks[0]).toMatchObject({ phase: 'Succeeded', result: 'All tidy.', costUsd: 0.0123, durationMs: 65000, question: null });
    expect(board.items).toMatchObject([{ kind: 'result', text: 'All tidy.' }]);

    board.apply(ev('task.finished', { taskId: 'task-2', title: 'Other', attempt: 2, phase: 'Failed', error: 'timed out' }));
    expect(board.tasks.map((t) => t.id)).toEqual(['task-2', T]);
    expect(board.inboxCount).toBe(2);
    board.dropItems(T, 'result');
    expect(board.items).toMatchObject([{ kind: 'failed', taskId: 'task-2', text: 'timed out' }]);
  });

  it('loads tasks and inbox, one load at a time and one more when asked meanwhile', async () => {
    let release;
    tasks.mockImplementationOnce(() => new Promise((r) => (release = r)));
    tasks.mockResolvedValue({ tasks: [{ id: T, phase: 'Running' }] });
    inbox.mockResolvedValue({ items: [{ kind: 'question', taskId: T }] });
    const board = new TaskBoard();
    const first = board.refresh();
    board.refresh();
    board.refresh();
    release({ tasks: [] });
    await first;
    expect(tasks).toHaveBeenCalledTimes(2);
    expect(board.loaded).toBe(true);
    expect(board.tasks).toEqual([{ id: T, phase: 'Running' }]);
    expect(board.inboxCount).toBe(1);
  });

  it('keeps what it had and says why when loading fails', async () => {
    tasks.mockRejectedValue(new Error('tasks is unavailable right now'));
    inbox.mockResolvedValue({ items: [] });
    const board = new TaskBoard();
    board.upsert({ id: T, title: 'Tidy', phase: 'Running' });
    await board.refresh();
    expect(board.problem).toBe('tasks is unavailable right now');
    expect(board.tasks).toHaveLength(1);
  });
});

describe('task helpers', () => {
  it('counts each task and kind in the inbox once', () => {
    expect(countInbox([])).toBe(0);
    expect(countInbox(undefined)).toBe(0);
    expect(countInbox([{ kind: 'question', taskId: 'a' }, { kind: 'question', taskId: 'a' }, { kind: 'result', taskId: 'b' }])).toBe(2);
  });

  it('formats cost and duration', () => {
    expect(formatCost(null)).toBe('');
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost('1.5')).toBe('$1.50');
    expect(formatCost(0.45)).toBe('$0.45');
    expect(formatCost(0)).toBe('$0.00');
    expect(formatDuration(undefined)).toBe('');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });

  it('knows which phases can be cancelled or retried', () => {
    expect(['Pending', 'Running', 'NeedsInput', 'Succeeded', 'Failed', 'Cancelled'].map(cancellable))
      .toEqual([true, true, true, false, false, false]);
    expect(['Pending', 'Running', 'NeedsInput', 'Succeeded', 'Failed', 'Cancelled'].map(retryable))
      .toEqual([false, false, false, false, true, true]);
  });
});
