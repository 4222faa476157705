package io.mainloop.memory.backup;

import java.util.List;

/**
 * The tables that hold a thread's data in memory-service's schema, each with the order its rows are
 * written in (a restore inserts them in that order): the messages (in the order they were stored),
 * summaries, memories, core blocks, what each turn saw, the heartbeat's checklist and runs, and
 * the task changes the heartbeat reads. Not included: what only serves delivery (the outbox, the
 * idempotency ledger, the search feed, a running turn's state).
 */
final class ThreadTables {

    /**
     * A table of a thread's data.
     *
     * @param name the table
     * @param orderBy the row order
     */
    record Table(String name, String orderBy) {
    }

    static final List<Table> ALL = List.of(
            new Table("message", "seq"),
            new Table("summary", "period_start, granularity"),
            new Table("memory", "created_at, id"),
            new Table("core_block", "name"),
            new Table("turn_context", "assembled_at, turn_id"),
            new Table("heartbeat_checklist", "thread_id"),
            new Table("heartbeat_run", "fired_at, id"),
            new Table("task_change", "changed_at, task_id"));

    private ThreadTables() {
    }
}
