import { inbox as loadInbox, tasks as loadTasks } from './api.js';

/** The task events of the thread stream (docs/tasks.md; their `type` is the SSE event name). */
export const TASK_EVENT_TYPES = ['task.created', 'task.started', 'task.needs-input', 'task.finished'];

/** The phases of a task (docs/tasks.md), with how the page names them. */
export const PHASE_LABELS = {
  Pending: 'Pending', Running: 'Running', NeedsInput: 'Needs input', Succeeded: 'Succeeded', Failed: 'Failed',
  Cancelled: 'Cancelled'
};

/** Whether a task in `phase` can be cancelled (it has not ended). */
export const cancellable = (phase) => phase === 'Pending' || phase === 'Running' || phase === 'NeedsInput';

/** Whether a task in `phase` can run again. */
export const retryable = (phase) => phase === 'Failed' || phase === 'Cancelled';

/** How many inbox items wait for the owner (one per task and kind, however often it was listed). */
export function countInbox(items) {
  return new Set((items ?? []).map((i) => `${i.kind}:${i.taskId}`)).size;
}

/** A cost in US dollars as the page shows it ('' when unknown). */
export function formatCost(usd) {
  if (usd === null || usd === undefined || usd === '') return '';
  const n = Number(usd);
  if (!Number.isFinite(n)) return '';
  return `$${n > 0 && n < 0.1 ? n.toFixed(4) : n.toFixed(2)}`;
}

/** A duration in ms as the page shows it: 850 ms, 12 s, 3 min 5 s, 1 h 2 min ('' when unknown). */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(Number(ms)) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/**
 * The owner's sub-agent tasks and inbox as the page shows them: loaded from GET /api/tasks and
 * GET /api/inbox, changed at once by the thread stream's task events and by the answers of the
 * owner's own actions, then reloaded (coalesced: one reload at a time, one more if asked meanwhile)
 * so the server's view wins.
 */
export class TaskBoard {
  /** Tasks, newest first (the `Task` of docs/tasks.md). */
  tasks = $state([]);
  /** Inbox items, newest first: {kind, taskId, title, text, at}. */
  items = $state([]);
  loaded = $state(false);
  /** Why the last load failed ('' when it did not). */
  problem = $state('');

  #loading = null;
  #again = false;

  /** Items waiting for the owner (the header's badge). */
  get inboxCount() {
    return countInbox(this.items);
  }

  /** Reloads tasks and inbox; a call while a load runs makes one more load after it. */
  refresh() {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#again = false;
        await this.#load();
      } while (this.#again);
      this.#loading = null;
    })();
    return this.#loading;
  }

  async #load() {
    try {
      const [t, i] = await Promise.all([loadTasks(), loadInbox()]);
      this.tasks = t?.tasks ?? [];
      this.items = i?.items ?? [];
      this.loaded = true;
      this.problem = '';
    } catch (e) {
      this.problem = e.message;
    }
  }

  /** A task as the server answered it (start, cancel, retry, answer, a log's end): replaces or adds it. */
  upsert(task) {
    if (!task?.id) return;
    const i = this.tasks.findIndex((t) => t.id === task.id);
    if (i >= 0) this.tasks[i] = { ...this.tasks[i], ...task };
    else this.tasks.unshift(task);
  }

  /** Drops the inbox items of a task (all, or of one kind). */
  dropItems(taskId, kind = null) {
    this.items = this.items.filter((i) => i.taskId !== taskId || (kind && i.kind !== kind));
  }

  /** Applies a task event of the thread stream ({type, ...TaskEvent}); returns whether it was one. */
  apply(event) {
    if (!TASK_EVENT_TYPES.includes(event?.type)) return false;
    const at = event.occurredAt ?? new Date().toISOString();
    const id = event.taskId;
    const existing = this.tasks.find((t) => t.id === id);
    switch (event.type) {
      case 'task.created':
        if (!existing) {
          this.tasks.unshift({ id, title: event.title, model: event.model ?? null, source: event.source ?? null,
            phase: 'Pending', attempt: 1, createdAt: at, threadId: event.threadId });
        }
        break;
      case 'task.started':
        this.#change(id, event, { phase: 'Running', attempt: event.attempt, startedAt: at, question: null,
          completedAt: null, result: null, error: null });
        this.dropItems(id);
        break;
      case 'task.needs-input':
        this.#change(id, event, { phase: 'NeedsInput', question: event.question });
        this.#addItem({ kind: 'question', taskId: id, title: event.title, text: event.question, at });
        break;
      case 'task.finished':
        this.#change(id, event, { phase: event.phase, attempt: event.attempt, result: event.result ?? null,
          error: event.error ?? null, usage: event.usage ?? null, costUsd: event.costUsd ?? null,
          durationMs: event.durationMs ?? null, completedAt: at, question: null });
        this.dropItems(id);
        if (event.phase === 'Succeeded') this.#addItem({ kind: 'result', taskId: id, title: event.title, text: event.result ?? '', at });
        else if (event.phase === 'Failed') this.#addItem({ kind: 'failed', taskId: id, title: event.title, text: event.error ?? '', at });
        break;
      default:
        break;
    }
    return true;
  }

  #change(id, event, changes) {
    const t = this.tasks.find((x) => x.id === id);
    if (t) Object.assign(t, changes);
    else this.tasks.unshift({ id, title: event.title, threadId: event.threadId, ...changes });
  }

  #addItem(item) {
    this.items = [item, ...this.items.filter((i) => !(i.taskId === item.taskId && i.kind === item.kind))];
  }
}
