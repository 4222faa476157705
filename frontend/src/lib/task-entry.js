/**
 * Whether a stored message is a sub-agent task's entry (memory-service writes a task's end or
 * question into the thread as a SYSTEM message: `Task "<title>" (<id>) succeeded: ...`), as
 * opposed to a failed turn's explanation, which offers Retry.
 */
export function isTaskEntry(message) {
  return message?.role === 'SYSTEM' && /^Task ".*" \([0-9a-f-]{36}\) /s.test(message.text ?? '');
}
