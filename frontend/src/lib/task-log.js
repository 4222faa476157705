/**
 * A sub-agent's log as people read it: the Claude Code CLI's stream-json lines (one JSON object a
 * line: `system`, `assistant`, `user`, `result`, ...) turned into entries {kind, text}:
 * `start` (the session began), `text` (what the assistant wrote), `tool` (a tool call, one line),
 * `tool-result` / `tool-error` (what it returned, one short line), `result` / `error` (the end),
 * `raw` (a line that is no JSON). Lines of other types (partial messages, rate limits) make none.
 */
const MAX_LINE = 160;

/** One line of at most `max` characters: whitespace folded, cut with an ellipsis. */
export function oneLine(text, max = MAX_LINE) {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The one line a tool call shows: its name and its most telling argument. */
export function toolLine(name, input) {
  const args = input && typeof input === 'object' ? input : {};
  const key = ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt', 'question']
    .find((k) => typeof args[k] === 'string' && args[k]);
  const what = key ? args[key] : Object.keys(args).length ? JSON.stringify(args) : '';
  return oneLine(what ? `${name}: ${what}` : String(name ?? 'tool'));
}

/** The text of a tool result's content (a string, or blocks of which the text ones count). */
function resultText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c) => (c?.type === 'text' ? c.text : '')).filter(Boolean).join(' ');
  return content == null ? '' : JSON.stringify(content);
}

/** The entries one stream-json line makes (none, one or several). */
export function logEntries(line) {
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    return String(line ?? '').trim() ? [{ kind: 'raw', text: String(line) }] : [];
  }
  if (!event || typeof event !== 'object') return [];
  switch (event.type) {
    case 'system':
      return event.subtype === 'init' ? [{ kind: 'start', text: `Started${event.model ? ` (${event.model})` : ''}` }] : [];
    case 'assistant': {
      const out = [];
      for (const block of event.message?.content ?? []) {
        if (block?.type === 'text' && block.text?.trim()) out.push({ kind: 'text', text: block.text });
        else if (block?.type === 'tool_use') out.push({ kind: 'tool', text: toolLine(block.name, block.input) });
      }
      return out;
    }
    case 'user': {
      const content = event.message?.content;
      if (!Array.isArray(content)) return [];
      return content.filter((b) => b?.type === 'tool_result').map((b) => ({
        kind: b.is_error ? 'tool-error' : 'tool-result',
        text: oneLine(resultText(b.content)) || (b.is_error ? 'failed' : '(no output)')
      }));
    }
    case 'result': {
      const failed = event.is_error || (event.subtype && event.subtype !== 'success');
      const text = event.result ?? (Array.isArray(event.errors) ? event.errors.join('; ') : '') ?? '';
      return [{ kind: failed ? 'error' : 'result', text: text || event.subtype || (failed ? 'failed' : 'done') }];
    }
    default:
      return [];
  }
}
