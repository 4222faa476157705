import { describe, expect, it } from 'vitest';
import { logEntries, oneLine, toolLine } from './task-log.js';

const line = (o) => JSON.stringify(o);

describe('a task log line, readably', () => {
  it('shows the start, what the assistant wrote and its tool calls one line each', () => {
    expect(logEntries(line({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-5', tools: ['Bash'] })))
      .toEqual([{ kind: 'start', text: 'Started (claude-sonnet-4-5)' }]);
    expect(logEntries(line({ type: 'assistant', message: { content: [
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls -la\n  src', description: 'List files' } },
      { type: 'tool_use', id: 't2', name: 'mcp__tasks__ask_owner', input: { question: 'Which branch?' } },
      { type: 'thinking', thinking: 'hmm' }
    ] } }))).toEqual([
      { kind: 'text', text: 'Let me look.' },
      { kind: 'tool', text: 'Bash: ls -la src' },
      { kind: 'tool', text: 'mcp__tasks__ask_owner: Which branch?' }
    ]);
  });

  it('folds tool results to one short line and marks errors', () => {
    const long = 'x'.repeat(500);
    const [ok, failed] = logEntries(line({ type: 'user', message: { content: [
      { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: long }] },
      { type: 'tool_result', tool_use_id: 't2', content: 'No such file', is_error: true }
    ] } }));
    expect(ok.kind).toBe('tool-result');
    expect(ok.text.length).toBe(160);
    expect(ok.text.endsWith('…')).toBe(true);
    expect(failed).toEqual({ kind: 'tool-error', text: 'No such file' });
    expect(logEntries(line({ type: 'user', message: { content: 'a plain prompt' } }))).toEqual([]);
  });

  it('shows the result, or why it failed', () => {
    expect(logEntries(line({ type: 'result', subtype: 'success', is_error: false, result: 'All tidy.', total_cost_usd: 0.01 })))
      .toEqual([{ kind: 'result', text: 'All tidy.' }]);
    expect(logEntries(line({ type: 'result', subtype: 'error_max_turns', is_error: true })))
      .toEqual([{ kind: 'error', text: 'error_max_turns' }]);
  });

  it('keeps a line that is no JSON as it is and skips kinds it does not show', () => {
    expect(logEntries('Killed')).toEqual([{ kind: 'raw', text: 'Killed' }]);
    expect(logEntries('')).toEqual([]);
    expect(logEntries(line({ type: 'stream_event', event: {} }))).toEqual([]);
    expect(logEntries('42')).toEqual([]);
  });

  it('names a tool call by its most telling argument', () => {
    expect(toolLine('Read', { file_path: '/src/a.js' })).toBe('Read: /src/a.js');
    expect(toolLine('TodoWrite', { todos: [1] })).toBe('TodoWrite: {"todos":[1]}');
    expect(toolLine('Noop', {})).toBe('Noop');
    expect(oneLine('a\n\n b   c')).toBe('a b c');
  });
});
