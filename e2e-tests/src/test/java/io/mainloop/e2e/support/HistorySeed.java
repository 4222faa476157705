package io.mainloop.e2e.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A year of a thread's history written straight into memory-service's tables, for the benchmarks. */
public final class HistorySeed {

    private HistorySeed() {
    }

    /**
     * Seeds one year of {@code thread}'s history in memory-service's schema: {@code count}
     * messages spread evenly over 365 days (alternating USER and ASSISTANT), the daily, weekly and
     * monthly summaries of that year, and 300 memories (every 30th pinned); then ANALYZE.
     */
    public static void year(Connection db, String thread, int count) throws SQLException {
        db.setAutoCommit(false);
        exec(db, thread, """
                INSERT INTO memory.message (id, thread_id, turn_id, role, text, created_at)
                SELECT gen_random_uuid(), ?, gen_random_uuid(), CASE WHEN g % 2 = 0 THEN 'USER' ELSE 'ASSISTANT' END,
                       'Message ' || g || ': ' || repeat('we looked at the plan and the numbers again. ', 1 + g % 4),
                       now() - interval '10 minutes' - (? - g) * (interval '365 days' / ?)
                FROM generate_series(1, ?) g""", count, count, count);
        exec(db, thread, """
                INSERT INTO memory.summary (id, thread_id, granularity, period_start, period_end, status, text, tokens,
                    covers_from, covers_to, source_count, attempts, requested_at, retry_at, completed_at)
                SELECT gen_random_uuid(), ?, 'DAILY', d::date, d::date + 1, 'DONE',
                       'Day ' || d::date || E':\\n## What was done\\n' || repeat('Reviewed the plan, fixed two bugs. ', 20)
                       || E'\\n[decision] Day ' || d::date || ' decision.', 200, d, d + interval '1 day', 2740, 1,
                       now(), now(), now()
                FROM generate_series(current_date - 366, current_date - 1, interval '1 day') d""");
        exec(db, thread, """
                INSERT INTO memory.summary (id, thread_id, granularity, period_start, period_end, status, text, tokens,
                    covers_from, covers_to, source_count, attempts, requested_at, retry_at, completed_at)
                SELECT gen_random_uuid(), ?, 'WEEKLY', w::date, w::date + 7, 'DONE',
                       'Week of ' || w::date || E':\\n' || repeat('Shipped the release, planned the next. ', 30),
                       300, w, w + interval '7 days', 7, 1, now(), now(), now()
                FROM generate_series(date_trunc('week', current_date - 366), current_date - 7, interval '1 week') w""");
        exec(db, thread, """
                INSERT INTO memory.summary (id, thread_id, granularity, period_start, period_end, status, text, tokens,
                    covers_from, covers_to, source_count, attempts, requested_at, retry_at, completed_at)
                SELECT gen_random_uuid(), ?, 'MONTHLY', m::date, (m + interval '1 month')::date, 'DONE',
                       'Month ' || to_char(m, 'YYYY-MM') || E':\\n' || repeat('A month of steady work on the project. ', 40),
                       400, m, m + interval '1 month', 4, 1, now(), now(), now()
                FROM generate_series(date_trunc('month', current_date - 366), date_trunc('month', current_date)
                    - interval '1 month', interval '1 month') m""");
        exec(db, thread, """
                INSERT INTO memory.memory (id, thread_id, kind, text, origin, created_at, pinned)
                SELECT gen_random_uuid(), ?, (ARRAY['DECISION','FACT','PREFERENCE','INSIGHT','HANDOFF'])[1 + g % 5],
                       'Memory ' || g || ': the owner settled detail number ' || g || '.', 'SUMMARY',
                       now() - g * interval '1 day', g % 30 = 0
                FROM generate_series(1, 300) g""");
        db.commit();
        try (var st = db.createStatement()) {
            st.execute("ANALYZE memory.message");
            st.execute("ANALYZE memory.summary");
        }
    }

    private static void exec(Connection db, String thread, String sql, Object... more) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setString(1, thread);
            for (int i = 0; i < more.length; i++) {
                st.setObject(i + 2, more[i]);
            }
            st.executeUpdate();
        }
    }

}
