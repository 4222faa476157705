/**
 * The owner's thread as the page shows it, built from the history API and the SSE events
 * (docs/events.md): stored messages (deduplicated by message id, ordered by creation time),
 * messages still being sent, and the live state of each turn (streamed text, tool calls,
 * failure). Pure state: no network here, so it is unit-tested directly.
 */
export class ThreadState {
  /**
   * Stored messages, oldest first: {id, role, text, createdAt, turnId, usage, costUsd, durationMs, toolCalls, blocks,
   * turnKind (CHAT|HEARTBEAT|SCHEDULED or null), proactive (a heartbeat's or schedule's answer)}.
   */
  messages = $state([]);
  /** Messages not yet stored: {clientMessageId, text, messageId, state: 'sending'|'retrying'|'failed', error}. */
  pending = $state([]);
  /**
   * Live turns by id: {turnId, status: 'thinking'|'writing'|'tool'|'completed'|'failed', text, tools,
   * blocks, error, reason, lastSequence}; blocks are the text blocks ({type: 'text', block, text})
   * and tool calls ({type: 'tool', ...the call}) in the order they came.
   */
  turns = $state({});
  /** Passing conditions shown above the thread (e.g. storing delayed), by key: {key, text}. */
  notices = $state({});
  /** The turn that is running, if any. */
  activeTurnId = $state(null);
  /** Cursor for older history (null when the beginning is reached). */
  nextBefore = $state(null);
  historyLoaded = $state(false);

  /** Adds a page of history (oldest first); older pages may come later and go on top. */
  addHistory(page) {
    for (const m of page.messages ?? []) this.#upsert({ ...m, turnKind: m.turnKind ?? null, proactive: m.proactive ?? false });
    this.nextBefore = page.nextBefore ?? null; // pages are asked for newest first
    this.historyLoaded = true;
  }

  /**
   * Adds the newest page of history again (e.g. once the stream is subscribed): its messages are
   * merged by id; the cursor for older pages stays where earlier pages left it.
   */
  addLatest(page) {
    if (!this.historyLoaded) return this.addHistory(page);
    for (const m of page.messages ?? []) this.#upsert({ ...m, turnKind: m.turnKind ?? null, proactive: m.proactive ?? false });
  }

  /** Whether older messages can be loaded. */
  get hasOlder() {
    return !this.historyLoaded || this.nextBefore !== null;
  }

  /** A message the owner just sent (shown at once, before the server stored it). */
  addPending(clientMessageId, text) {
    this.pending.push({ clientMessageId, text, messageId: null, state: 'sending', error: null });
  }

  /** Updates a pending message: the id the gateway assigned, or its sending state. */
  updatePending(clientMessageId, changes) {
    const p = this.pending.find((x) => x.clientMessageId === clientMessageId);
    if (!p) return;
    Object.assign(p, changes);
    if (p.messageId && this.messages.some((m) => m.id === p.messageId)) this.#dropPending(p);
  }

  /** Heartbeat turns: not shown live (a silent HEARTBEAT_OK is never shown; another answer shows once stored). */
  #quiet = new Set();

  /** Applies one SSE event ({type, ...fields} as published). */
  apply(event) {
    if (event.type === 'turn.started' && event.kind === 'HEARTBEAT') {
      this.#quiet.add(event.turnId);
      return;
    }
    if (event.type !== 'message.stored' && event.turnId && this.#quiet.has(event.turnId)) return;
    switch (event.type) {
      case 'message.stored':
        this.#upsert({
          id: event.messageId, role: event.role, text: event.text, createdAt: event.createdAt,
          turnId: event.turnId ?? null, usage: event.usage ?? null, costUsd: event.costUsd ?? null,
          durationMs: event.durationMs ?? null, toolCalls: event.toolCalls ?? [], blocks: event.blocks ?? [],
          turnKind: event.turnKind ?? null, proactive: event.proactive ?? false
        });
        if (event.role !== 'USER' && event.turnId && this.activeTurnId === event.turnId) this.activeTurnId = null;
        break;
      case 'turn.started':
        // a second turn.started for the same turn: it runs again after a restart; start over
        this.turns[event.turnId] = newTurn(event.turnId);
        this.activeTurnId = event.turnId;
        break;
      case 'text.delta': {
        const t = this.#turn(event.turnId);
        if (event.sequence <= t.lastSequence) break; // replayed
        t.lastSequence = event.sequence;
        const index = event.block ?? 0;
        let block = t.blocks.find((b) => b.type === 'text' && b.block === index);
        if (!block) {
          // a new text block (the assistant narrated, ran a tool, and goes on): keep them apart
          if (t.text) t.text += '\n\n';
          block = { type: 'text', block: index, text: '' };
          t.blocks.push(block);
        }
        block.text += event.text;
        t.text += event.text;
        t.status = 'writing';
        break;
      }
      case 'tool.call': {
        const t = this.#turn(event.turnId);
        if (!t.tools.some((x) => x.toolUseId === event.toolUseId)) {
          t.tools.push({ toolUseId: event.toolUseId, name: event.name, input: event.input, output: null, isError: false });
          t.blocks.push({ type: 'tool', toolUseId: event.toolUseId });
        }
        t.status = 'tool';
        break;
      }
      case 'tool.result': {
        const t = this.#turn(event.turnId);
        const call = t.tools.find((x) => x.toolUseId === event.toolUseId);
        if (call) {
          call.output = event.output;
          call.isError = event.isError;
        }
        t.status = 'thinking';
        break;
      }
      case 'turn.completed': {
        const t = this.#turn(event.turnId);
        t.status = 'completed';
        t.text = event.text ?? t.text;
        break;
      }
      case 'thread.notice':
        if (event.resolved) delete this.notices[event.key];
        else this.notices[event.key] = { key: event.key, text: event.text };
        break;
      case 'turn.failed': {
        const t = this.#turn(event.turnId);
        t.status = 'failed';
        t.error = event.message;
        t.reason = event.reason;
        if (this.activeTurnId === event.turnId) this.activeTurnId = null;
        break;
      }
      default:
        break;
    }
  }

  /** The running turn's live state, or null. */
  get liveTurn() {
    const t = this.activeTurnId ? this.turns[this.activeTurnId] : null;
    if (!t) return null;
    // once the reply is stored, the stored message shows it
    return this.messages.some((m) => m.turnId === t.turnId && m.role !== 'USER') ? null : t;
  }

  /** The owner's messages just before {@code messageId} (what a failed turn answered; for "retry"). */
  questionsBefore(messageId) {
    const i = this.messages.findIndex((m) => m.id === messageId);
    const out = [];
    for (let j = i - 1; j >= 0 && this.messages[j].role === 'USER'; j--) out.unshift(this.messages[j]);
    return out;
  }

  #turn(turnId) {
    if (!this.turns[turnId]) {
      this.turns[turnId] = newTurn(turnId);
    }
    return this.turns[turnId];
  }

  #upsert(message) {
    const i = this.messages.findIndex((m) => m.id === message.id);
    if (i >= 0) {
      this.messages[i] = { ...this.messages[i], ...message };
    } else {
      // insert in createdAt order (history pages and live events may interleave)
      let at = this.messages.length;
      const t = Date.parse(message.createdAt);
      while (at > 0 && Date.parse(this.messages[at - 1].createdAt) > t) at--;
      this.messages.splice(at, 0, message);
    }
    if (message.role === 'USER') {
      // by id only: two messages with the same text are two messages (a pending one whose POST
      // answer is still on its way is matched by updatePending when the answer brings the id)
      const p = this.pending.find((x) => x.messageId === message.id);
      if (p) this.#dropPending(p);
    }
  }

  #dropPending(p) {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
  }
}

/** A live turn before anything streamed. */
function newTurn(turnId) {
  return { turnId, status: 'thinking', text: '', tools: [], blocks: [], error: null, reason: null, lastSequence: -1 };
}

/**
 * The parts of a live turn in order, each tool block resolved to its call (with its output once
 * it returned): what TurnBlocks renders.
 */
export function liveBlocks(turn) {
  return turn.blocks.map((b) => (b.type === 'tool' ? { type: 'tool', ...turn.tools.find((t) => t.toolUseId === b.toolUseId) } : b));
}
