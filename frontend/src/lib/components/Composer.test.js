import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import Composer from './Composer.svelte';

describe('Composer', () => {
  it('sends on Enter, keeps Shift+Enter as a new line, and clears after sending', async () => {
    const onSend = vi.fn();
    render(Composer, { onSend });
    const box = screen.getByLabelText('Message');
    await fireEvent.input(box, { target: { value: 'first line' } });
    await fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('first line');
    expect(box.value).toBe('');
  });

  it('does not send blank text', async () => {
    const onSend = vi.fn();
    render(Composer, { onSend });
    const box = screen.getByLabelText('Message');
    await fireEvent.input(box, { target: { value: '   ' } });
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send' }).disabled).toBe(true);
  });
});
