import { describe, expect, it } from 'vitest';
import { ThreadState, liveBlocks } from './thread.svelte.js';

const at = (s) => `2026-11-21T10:00:${String(s).padStart(2, '0')}.000Z`;
const stored = (id, role, text, s, turnId = null) => ({ type: 'message.stored', messageId: id, role, text, createdAt: at(s), turnId });

describe('ThreadState', () => {
  it('shows a sent message at once and replaces it by the stored one, once', () => {
    const t = new ThreadState();
    t.addPending('c1', 'hello');
    expect(t.pending).toHaveLength(1);
    t.updatePending('c1', { messageId: 'm1' });
    t.apply(stored('m1', 'USER', 'hello', 1));
    t.apply(stored('m1', 'USER', 'hello', 1)); // a replay after reconnect
    expect(t.pending).toHaveLength(0);
    expect(t.messages.map((m) => m.id)).toEqual(['m1']);
  });

  it('matches pending messages to stored ones by id, so two identical texts sent in a row both show', () => {
    const t = new ThreadState();
    t.addPending('c1', 'ok');
    t.addPending('c2', 'ok');
    t.apply(stored('m1', 'USER', 'ok', 1)); // stored before the POST answer came back
    expect(t.pending.map((p) => p.clientMessageId)).toEqual(['c1', 'c2']);
    t.updatePending('c1', { messageId: 'm1' }); // the late 202 brings the id
    expect(t.pending.map((p) => p.clientMessageId)).toEqual(['c2']);
    t.updatePending('c2', { messageId: 'm2' });
    t.apply(stored('m2', 'USER', 'ok', 2));
    expect(t.pending).toHaveLength(0);
    expect(t.messages.map((m) => [m.id, m.text])).toEqual([['m1', 'ok'], ['m2', 'ok']]);
  });

  it('does not show a heartbeat turn live; a silent one never shows, another answer shows once stored', () => {
    const t = new ThreadState();
    t.apply({ type: 'turn.started', turnId: 'hb1', kind: 'HEARTBEAT' });
    t.apply({ type: 'text.delta', turnId: 'hb1', sequence: 0, text: 'HEARTBEAT_OK' });
    t.apply({ type: 'turn.completed', turnId: 'hb1', text: 'HEARTBEAT_OK' });
    expect(t.liveTurn).toBeNull();
    expect(t.activeTurnId).toBeNull();
    expect(t.messages).toHaveLength(0);

    t.apply({ type: 'turn.started', turnId: 'hb2', kind: 'HEARTBEAT' });
    t.apply({ type: 'text.delta', turnId: 'hb2', sequence: 0, text: 'The backup did not run.' });
    expect(t.liveTurn).toBeNull();
    t.apply({ ...stored('m9', 'ASSISTANT', 'The backup did not run.', 9, 'hb2'), turnKind: 'HEARTBEAT', proactive: true });
    expect(t.messages.map((m) => [m.text, m.turnKind, m.proactive])).toEqual([['The backup did not run.', 'HEARTBEAT', true]]);

    // an owner's turn right after streams as usual
    t.apply({ type: 'turn.started', turnId: 't2', kind: 'CHAT' });
    t.apply({ type: 'text.delta', turnId: 't2', sequence: 0, text: 'Hi' });
    expect(t.liveTurn.text).toBe('Hi');
  });

  it('streams a turn: deltas in order, replays ignored, tool calls with results, then the stored reply', () => {
    const t = new ThreadState();
    t.apply({ type: 'turn.started', turnId: 't1' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 0, text: 'Hel' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 1, text: 'lo' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 1, text: 'lo' });
    expect(t.liveTurn.text).toBe('Hello');
    expect(t.liveTurn.status).toBe('writing');
    t.apply({ type: 'tool.call', turnId: 't1', toolUseId: 'u1', name: 'Bash', input: { command: 'echo hi' } });
    expect(t.liveTurn.status).toBe('tool');
    t.apply({ type: 'tool.result', turnId: 't1', toolUseId: 'u1', output: 'hi', isError: false });
    expect(t.liveTurn.tools[0].output).toBe('hi');
    t.apply({ type: 'turn.completed', turnId: 't1', text: 'Hello' });
    t.apply(stored('r1', 'ASSISTANT', 'Hello', 5, 't1'));
    expect(t.liveTurn).toBeNull();
    expect(t.activeTurnId).toBeNull();
    expect(t.messages.map((m) => m.text)).toEqual(['Hello']);
  });

  it('keeps two text blocks of one turn apart, with the tool call between them in order', () => {
    const t = new ThreadState();
    t.apply({ type: 'turn.started', turnId: 't1' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 0, block: 0, text: 'I will run a command.' });
    t.apply({ type: 'tool.call', turnId: 't1', toolUseId: 'u1', name: 'Bash', input: { command: 'echo hi' } });
    t.apply({ type: 'tool.result', turnId: 't1', toolUseId: 'u1', output: 'hi', isError: false });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 1, block: 1, text: 'Tool said ' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 2, block: 1, text: 'hi.' });
    expect(t.liveTurn.text).toBe('I will run a command.\n\nTool said hi.');
    expect(liveBlocks(t.liveTurn).map((b) => [b.type, b.text ?? b.output])).toEqual([
      ['text', 'I will run a command.'], ['tool', 'hi'], ['text', 'Tool said hi.']]);
  });

  it('keeps the stored blocks of an answer, and shows and clears a notice', () => {
    const t = new ThreadState();
    const blocks = [{ type: 'text', text: 'I will run it.' }, { type: 'tool', toolUseId: 'u1', name: 'Bash',
      input: { command: 'echo hi' }, output: 'hi', isError: false }, { type: 'text', text: 'Done.' }];
    t.apply({ ...stored('r1', 'ASSISTANT', 'Done.', 3, 't1'), blocks });
    expect(t.messages[0].blocks).toEqual(blocks);
    t.apply({ type: 'thread.notice', key: 'storage-delayed', text: 'Storing is delayed.', resolved: false });
    expect(Object.values(t.notices).map((n) => n.text)).toEqual(['Storing is delayed.']);
    t.apply({ type: 'thread.notice', key: 'storage-delayed', text: 'Back.', resolved: true });
    expect(Object.keys(t.notices)).toEqual([]);
  });

  it('starts over when a turn runs again after a restart', () => {
    const t = new ThreadState();
    t.apply({ type: 'turn.started', turnId: 't1' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 0, text: 'half an ans' });
    t.apply({ type: 'turn.started', turnId: 't1' });
    t.apply({ type: 'text.delta', turnId: 't1', sequence: 0, text: 'A whole answer' });
    expect(t.liveTurn.text).toBe('A whole answer');
  });

  it('keeps a failure with its explanation and finds the question to retry', () => {
    const t = new ThreadState();
    t.apply(stored('m1', 'USER', 'question', 1));
    t.apply({ type: 'turn.started', turnId: 't1' });
    t.apply({ type: 'turn.failed', turnId: 't1', reason: 'API_ERROR', message: 'API Error: 529 overloaded' });
    expect(t.turns.t1.status).toBe('failed');
    expect(t.activeTurnId).toBeNull();
    t.apply(stored('s1', 'SYSTEM', 'The turn failed (API_ERROR): API Error: 529 overloaded', 3, 't1'));
    expect(t.questionsBefore('s1').map((m) => m.text)).toEqual(['question']);
  });

  it('merges history pages and live events in time order without duplicates', () => {
    const t = new ThreadState();
    t.apply(stored('m3', 'USER', 'newest', 30));
    t.addHistory({ messages: [
      { id: 'm2', role: 'ASSISTANT', text: 'b', createdAt: at(20) },
      { id: 'm3', role: 'USER', text: 'newest', createdAt: at(30) }
    ], nextBefore: 2 });
    expect(t.hasOlder).toBe(true);
    t.addHistory({ messages: [{ id: 'm1', role: 'USER', text: 'a', createdAt: at(10) }], nextBefore: null });
    expect(t.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(t.hasOlder).toBe(false);
  });

  it('merges the newest page loaded again without losing the way to older pages already shown', () => {
    const t = new ThreadState();
    t.addLatest({ messages: [{ id: 'm2', role: 'USER', text: 'b', createdAt: at(20) }], nextBefore: 2 });
    t.addHistory({ messages: [{ id: 'm1', role: 'USER', text: 'a', createdAt: at(10) }], nextBefore: null });
    t.addLatest({ messages: [
      { id: 'm2', role: 'USER', text: 'b', createdAt: at(20) },
      { id: 'm3', role: 'USER', text: 'c', createdAt: at(30) }
    ], nextBefore: 2 });
    expect(t.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(t.hasOlder).toBe(false); // the beginning was reached before
  });

  it('keeps why a turn ran and whether its answer was proactive, absent meaning a chat answer', () => {
    const t = new ThreadState();
    t.addHistory({ messages: [
      { id: 'h1', role: 'ASSISTANT', text: 'old answer', createdAt: at(1) },
      { id: 'h2', role: 'ASSISTANT', text: 'a beat', createdAt: at(2), turnKind: 'HEARTBEAT', proactive: true }
    ], nextBefore: null });
    t.apply({ ...stored('m3', 'USER', 'Plan my week', 3), turnKind: 'SCHEDULED' });
    t.apply({ ...stored('m4', 'ASSISTANT', 'Your week', 4, 't4'), turnKind: 'SCHEDULED', proactive: true });
    t.apply(stored('m5', 'ASSISTANT', 'plain', 5, 't5'));
    expect(t.messages.map((m) => [m.id, m.turnKind, m.proactive])).toEqual([
      ['h1', null, false], ['h2', 'HEARTBEAT', true], ['m3', 'SCHEDULED', false], ['m4', 'SCHEDULED', true],
      ['m5', null, false]
    ]);
  });
});
