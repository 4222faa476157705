import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { heartbeat, heartbeatRuns, writeHeartbeat } from '../api.js';
import HeartbeatPanel from './HeartbeatPanel.svelte';

vi.mock('../api.js', async (original) => ({
  ...(await original()), heartbeat: vi.fn(), writeHeartbeat: vi.fn(), heartbeatRuns: vi.fn()
}));

const runs = {
  runs: [
    { id: 'r3', firedAt: '2026-11-20T11:00:00Z', outcome: 'POSTED', reason: 'a task failed', turnId: 't3',
      inputTokens: 1500, outputTokens: 80, costUsd: 0.0031 },
    { id: 'r2', firedAt: '2026-11-20T10:30:00Z', outcome: 'SILENT', reason: 'HEARTBEAT_OK', inputTokens: 1400,
      outputTokens: 4, costUsd: 0.0012 },
    { id: 'r1', firedAt: '2026-11-20T10:00:00Z', outcome: 'SKIPPED', reason: 'nothing new, empty checklist' }
  ],
  today: { beats: 3, modelCalls: 2, inputTokens: 2900, outputTokens: 84, costUsd: 0.0043, budgetTokens: 100000, budgetUsd: 0.25 }
};

describe('the heartbeat panel', () => {
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('edits HEARTBEAT.md and saves it', async () => {
    heartbeat.mockResolvedValue({ checklist: '- inbox', updatedAt: '2026-11-20T08:00:00Z' });
    heartbeatRuns.mockResolvedValue(runs);
    render(HeartbeatPanel);
    const box = screen.getByLabelText('HEARTBEAT.md');
    await waitFor(() => expect(box.value).toBe('- inbox'));
    const save = screen.getByRole('button', { name: 'Save checklist' });
    expect(save.disabled).toBe(true);

    await fireEvent.input(box, { target: { value: '- inbox\n- failed tasks' } });
    expect(save.disabled).toBe(false);
    writeHeartbeat.mockResolvedValue({ checklist: '- inbox\n- failed tasks', updatedAt: '2026-11-20T09:00:00Z' });
    await fireEvent.click(save);
    expect(writeHeartbeat).toHaveBeenCalledWith('- inbox\n- failed tasks');
    await screen.findByText('Saved.');
    expect(save.disabled).toBe(true);

    writeHeartbeat.mockRejectedValue(Object.assign(new Error('at most 8000 characters'), { status: 413 }));
    await fireEvent.input(box, { target: { value: 'x'.repeat(9000) } });
    await fireEvent.click(save);
    await screen.findByText('Not saved: at most 8000 characters');
  });

  it('shows today\'s usage against the budget and the recent beats with outcome and reason', async () => {
    heartbeat.mockResolvedValue({ checklist: '' });
    heartbeatRuns.mockResolvedValue(runs);
    render(HeartbeatPanel);
    const usage = await screen.findByTestId('heartbeat-usage');
    expect(usage.textContent).toContain('3 beats, 2 model calls');
    expect(usage.textContent).toMatch(/2,984 of 100,000 tokens/);
    expect(usage.textContent).toContain('$0.0043 of $0.25');
    expect(screen.getByRole('meter').getAttribute('aria-valuenow')).toBe('3');
    const listed = screen.getAllByTestId('heartbeat-run');
    expect(listed.map((r) => r.dataset.outcome)).toEqual(['POSTED', 'SILENT', 'SKIPPED']);
    expect(listed[1].textContent).toContain('nothing to say');
    expect(listed[1].textContent).toContain('HEARTBEAT_OK');
    expect(listed[1].textContent).toContain('1,404 tokens · $0.0012');
    expect(listed[2].textContent).toContain('nothing new, empty checklist');
  });

  it('says when the heartbeat cannot be loaded', async () => {
    heartbeat.mockRejectedValue(new Error('memory-service is unavailable'));
    heartbeatRuns.mockRejectedValue(new Error('memory-service is unavailable'));
    render(HeartbeatPanel);
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    expect(screen.getByLabelText('HEARTBEAT.md').disabled).toBe(true);
  });
});
