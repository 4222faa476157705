import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerTask, inbox, markSeen, retryTask, tasks } from '../api.js';
import { TaskBoard } from '../tasks.svelte.js';
import InboxPanel from './InboxPanel.svelte';

vi.mock('../api.js', async (original) => ({
  ...(await original()), tasks: vi.fn(), inbox: vi.fn(), markSeen: vi.fn(), retryTask: vi.fn(), answerTask: vi.fn()
}));

const items = [
  { kind: 'question', taskId: 'q', title: 'Pick a branch', text: 'Which branch?', at: '2026-11-28T10:03:00Z' },
  { kind: 'failed', taskId: 'f', title: 'Write docs', text: 'timed out', at: '2026-11-28T10:02:00Z' },
  { kind: 'result', taskId: 'r', title: 'Tidy the repo', text: 'All **tidy**.', at: '2026-11-28T10:01:00Z' }
];

async function showInbox(list) {
  tasks.mockResolvedValue({ tasks: [] });
  inbox.mockResolvedValue({ items: list });
  const board = new TaskBoard();
  render(InboxPanel, { board });
  await board.refresh();
  return board;
}

const item = (kind) => within(screen.getAllByTestId('inbox-item').find((e) => e.dataset.kind === kind));

describe('the inbox', () => {
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('shows a question with an answer box, a failure with Retry and a result with Mark seen', async () => {
    const board = await showInbox(items);
    await screen.findAllByTestId('inbox-item');
    expect(board.inboxCount).toBe(3);
    expect(item('question').getByTestId('task-question').textContent).toBe('Which branch?');
    expect(item('failed').getByTestId('inbox-text').textContent).toBe('timed out');
    expect(item('result').getByTestId('inbox-text').innerHTML).toContain('<strong>tidy</strong>');
    expect(item('question').queryByRole('button', { name: 'Mark seen' })).toBeNull();

    answerTask.mockResolvedValue({ id: 'q', phase: 'Running' });
    inbox.mockResolvedValue({ items: items.slice(1) });
    await fireEvent.input(item('question').getByLabelText('Your answer'), { target: { value: 'main' } });
    await fireEvent.click(item('question').getByRole('button', { name: 'Send answer' }));
    expect(answerTask).toHaveBeenCalledWith('q', 'main');
    await waitFor(() => expect(screen.getAllByTestId('inbox-item')).toHaveLength(2));
  });

  it('marks a result seen and retries a failure', async () => {
    const board = await showInbox(items.slice(1));
    await screen.findAllByTestId('inbox-item');
    markSeen.mockResolvedValue(null);
    inbox.mockResolvedValue({ items: [items[1]] });
    await fireEvent.click(item('result').getByRole('button', { name: 'Mark seen' }));
    expect(markSeen).toHaveBeenCalledWith('r');
    await waitFor(() => expect(screen.getAllByTestId('inbox-item')).toHaveLength(1));

    const retried = { id: 'f', title: 'Write docs', phase: 'Pending', attempt: 2 };
    retryTask.mockResolvedValue(retried);
    tasks.mockResolvedValue({ tasks: [retried] });
    inbox.mockResolvedValue({ items: [] });
    await fireEvent.click(item('failed').getByRole('button', { name: 'Retry' }));
    expect(retryTask).toHaveBeenCalledWith('f');
    await screen.findByText('Nothing waiting for you.');
    expect(board.inboxCount).toBe(0);
    expect(board.tasks[0]).toMatchObject({ id: 'f', phase: 'Pending' });
  });

  it('says when marking seen failed', async () => {
    await showInbox([items[2]]);
    await screen.findAllByTestId('inbox-item');
    markSeen.mockRejectedValue(new Error('the inbox is unavailable right now'));
    await fireEvent.click(item('result').getByRole('button', { name: 'Mark seen' }));
    expect((await screen.findByRole('alert')).textContent).toContain('unavailable');
  });
});
