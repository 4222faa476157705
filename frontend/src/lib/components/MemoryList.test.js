import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeMemory, forgetMemory, memories, remember, supersede } from '../api.js';
import MemoryList from './MemoryList.svelte';

vi.mock('../api.js', async (original) => ({
  ...(await original()), memories: vi.fn(), remember: vi.fn(), supersede: vi.fn(), changeMemory: vi.fn(), forgetMemory: vi.fn()
}));

const tea = { id: 'a', kind: 'PREFERENCE', text: 'Likes green tea', createdAt: '2026-03-02T10:00:00Z', pinned: false, supersededBy: null };
const old = { id: 'b', kind: 'FACT', text: 'Lives in Paris', createdAt: '2026-03-01T10:00:00Z', pinned: false, supersededBy: 'c' };

describe('the memory list', () => {
  afterEach(() => vi.clearAllMocks());

  it('shows kinds, greys superseded ones and adds a memory', async () => {
    memories.mockResolvedValue({ memories: [tea, old] });
    remember.mockResolvedValue({ ...tea, id: 'n' });
    render(MemoryList);
    const items = await screen.findAllByTestId('memory-item');
    expect(memories).toHaveBeenCalledWith({ superseded: true });
    expect(items[0].textContent).toContain('preference');
    expect(items[1].textContent).toContain('superseded');
    expect(items[1].className).toContain('opacity-60');
    expect(within(items[1]).queryByRole('button', { name: 'Edit' })).toBeNull();

    await fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'DECISION' } });
    await fireEvent.input(screen.getByLabelText('New memory'), { target: { value: 'Use PostgreSQL' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add memory' }));
    expect(remember).toHaveBeenCalledWith({ kind: 'DECISION', text: 'Use PostgreSQL', pinned: false });
    await waitFor(() => expect(memories).toHaveBeenCalledTimes(2));
  });

  it('pins, and forgets only after a confirmation', async () => {
    memories.mockResolvedValue({ memories: [tea] });
    changeMemory.mockResolvedValue({ ...tea, pinned: true });
    forgetMemory.mockResolvedValue(null);
    render(MemoryList);
    const item = await screen.findByTestId('memory-item');
    await fireEvent.click(within(item).getByRole('button', { name: 'Pin' }));
    expect(changeMemory).toHaveBeenCalledWith('a', { pinned: true });

    await fireEvent.click(within(item).getByRole('button', { name: 'Forget' }));
    expect(forgetMemory).not.toHaveBeenCalled();
    await fireEvent.click(within(item).getByRole('button', { name: 'Yes, forget' }));
    expect(forgetMemory).toHaveBeenCalledWith('a');
  });

  it('supersedes a memory by writing its replacement', async () => {
    memories.mockResolvedValue({ memories: [tea] });
    supersede.mockResolvedValue({ ...tea, id: 'n', supersedes: 'a' });
    render(MemoryList);
    const item = await screen.findByTestId('memory-item');
    await fireEvent.click(within(item).getByRole('button', { name: 'Supersede' }));
    await fireEvent.input(within(item).getByLabelText('Replacement'), { target: { value: 'Likes black tea' } });
    await fireEvent.click(within(item).getByRole('button', { name: 'Save replacement' }));
    expect(supersede).toHaveBeenCalledWith('a', 'PREFERENCE', 'Likes black tea'); // POST with "supersedes" (api test)
    await waitFor(() => expect(memories).toHaveBeenCalledTimes(2));
  });
});
