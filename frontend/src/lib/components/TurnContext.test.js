import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, turnContext } from '../api.js';
import MessageItem from './MessageItem.svelte';

vi.mock('../api.js', async (original) => ({ ...(await original()), turnContext: vi.fn() }));

const answer = { id: 'r1', role: 'ASSISTANT', text: 'Hi.', createdAt: '2026-03-02T10:00:00Z', turnId: 't1', blocks: [] };
const context = {
  turnId: 't1', assembledAt: '2026-03-02T10:00:00Z', budgetTokens: 8000, estimatedTokens: 1234, reportedInputTokens: 1300,
  layers: [
    { name: 'core', label: 'Core blocks', tokens: 200, items: [{ kind: 'CORE', id: 'persona', label: 'persona', text: 'You are calm.', tokens: 200 }] },
    { name: 'prompt', label: 'Prompt', tokens: 12, items: [] }
  ],
  dropped: [{ kind: 'MESSAGE', id: 'm0', label: 'an old message', text: 'old', tokens: 300 }]
};

describe('what it saw', () => {
  afterEach(() => vi.clearAllMocks());

  it('opens under an answer with the layers, their tokens, the budget and what was dropped', async () => {
    turnContext.mockResolvedValue(context);
    render(MessageItem, { message: answer });
    expect(turnContext).not.toHaveBeenCalled(); // only when asked
    await fireEvent.click(screen.getByRole('button', { name: 'what it saw' }));
    expect(turnContext).toHaveBeenCalledWith('t1');
    const layers = await screen.findAllByTestId('context-layer');
    expect(layers.map((l) => l.dataset.layer)).toEqual(['core', 'prompt']);
    expect(screen.getAllByTestId('layer-tokens').map((e) => e.textContent)).toEqual(['200 tokens', '12 tokens']);
    expect(screen.getByTestId('context-total').textContent).toMatch(/1,234\s+of 8,000 tokens \(estimated\).*1,300 input tokens/s);
    expect(screen.getByText('You are calm.')).toBeTruthy();
    expect(screen.getByTestId('context-dropped').textContent).toContain('an old message');
  });

  it('says so when nothing was recorded for the turn', async () => {
    turnContext.mockRejectedValue(new ApiError(404, 'unknown turn'));
    render(MessageItem, { message: answer });
    await fireEvent.click(screen.getByRole('button', { name: 'what it saw' }));
    expect(await screen.findByText('Nothing was recorded for this turn.')).toBeTruthy();
  });

  it('is not offered for a message without a turn', () => {
    render(MessageItem, { message: { ...answer, turnId: null } });
    expect(screen.queryByRole('button', { name: 'what it saw' })).toBeNull();
  });
});
