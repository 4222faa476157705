import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MessageItem from './MessageItem.svelte';

const reply = {
  id: 'r1', role: 'ASSISTANT', text: 'Done: `ok`', createdAt: '2026-11-21T10:00:00Z', turnId: 't1',
  usage: { inputTokens: 1200, outputTokens: 34, cacheReadInputTokens: 0 }, costUsd: 0.0123, durationMs: 2100,
  toolCalls: [{ toolUseId: 'u1', name: 'Bash', input: { command: 'echo hello' }, output: 'hello', isError: false }]
};

describe('MessageItem', () => {
  it('shows tool calls collapsed as one line, with input and output inside', () => {
    const { container } = render(MessageItem, { message: reply });
    expect(screen.getByText('ran Bash: echo hello')).toBeTruthy();
    expect(container.querySelector('details').open).toBe(false);
    expect(container.querySelector('details pre').textContent).toContain('echo hello');
  });

  it('opens tool details in verbose mode', () => {
    const { container } = render(MessageItem, { message: reply, verbose: true });
    expect(container.querySelector('details').open).toBe(true);
  });

  it('shows usage and cost on demand', async () => {
    render(MessageItem, { message: reply });
    expect(screen.queryByTestId('usage')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'usage' }));
    expect(screen.getByTestId('usage').textContent).toBe('1200 in / 34 out tokens · $0.0123 · 2.1 s');
  });

  it('shows a stored answer as it was seen live: narration, the tool call, then the answer', () => {
    const { container } = render(MessageItem, { message: { ...reply, text: 'Done.', blocks: [
      { type: 'text', text: 'I will run a command.' },
      { type: 'tool', toolUseId: 'u1', name: 'Bash', input: { command: 'echo hello' }, output: 'hello', isError: false },
      { type: 'text', text: 'Done.' }] } });
    const text = container.textContent;
    expect(text.indexOf('I will run a command.')).toBeLessThan(text.indexOf('ran Bash: echo hello'));
    expect(text.indexOf('ran Bash: echo hello')).toBeLessThan(text.indexOf('Done.'));
  });

  it('reads a tool input stored as a JSON string by older versions', () => {
    render(MessageItem, { message: { ...reply, toolCalls: [{ ...reply.toolCalls[0], input: '{"command":"echo old"}' }] } });
    expect(screen.getByText('ran Bash: echo old')).toBeTruthy();
  });

  it('marks a scheduled turn with a clock and a heartbeat\'s answer with a heart, and a chat answer with neither', () => {
    const { unmount } = render(MessageItem, { message: { ...reply, turnKind: 'SCHEDULED', proactive: true } });
    const clock = screen.getByTestId('turn-kind');
    expect(clock.dataset.kind).toBe('SCHEDULED');
    expect(clock.getAttribute('title')).toBe('scheduled');
    expect(clock.querySelector('svg')).not.toBeNull();
    unmount();

    render(MessageItem, { message: { id: 'u1', role: 'USER', text: 'Plan my week', createdAt: reply.createdAt, turnKind: 'SCHEDULED' } });
    expect(screen.getByTestId('turn-kind').dataset.kind).toBe('SCHEDULED');
    cleanup();

    render(MessageItem, { message: { ...reply, turnKind: 'HEARTBEAT', proactive: true } });
    expect(screen.getByTestId('turn-kind').getAttribute('title')).toBe('heartbeat');
    cleanup();

    render(MessageItem, { message: { ...reply, turnKind: 'CHAT' } });
    expect(screen.queryByTestId('turn-kind')).toBeNull();
    render(MessageItem, { message: reply }); // from before turn kinds: none
    expect(screen.queryByTestId('turn-kind')).toBeNull();
  });
});
