package io.mainloop.scheduler.mcp;

import io.mainloop.scheduler.config.TimeSource;
import io.mainloop.scheduler.repository.ScheduleEntity;
import io.mainloop.scheduler.service.ScheduleInput;
import io.mainloop.scheduler.service.ScheduleRequestException;
import io.mainloop.scheduler.service.ScheduleService;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The assistant's schedule tools (MCP, streamable HTTP at {@code /mcp}; the CLI sees them as
 * {@code mcp__scheduler__<name>}): schedule (a reminder or a recurring prompt), list_schedules
 * and cancel_schedule. Each acts on the calling thread only ({@link McpCaller}); a bad argument is
 * a tool error the model can read and fix. A heartbeat never schedules anything: kind HEARTBEAT is
 * refused, and so is any {@code schedule} call from a heartbeat turn ({@code Mainloop-Turn-Kind: HEARTBEAT}).
 */
@ApplicationScoped
public class ScheduleTools {

    @Inject
    McpCaller caller;

    @Inject
    ScheduleService schedules;

    @Inject
    TimeSource time;

    @Tool(name = "schedule", description = "Schedule a prompt for later: a one-shot reminder (give 'in', e.g. PT2M or "
            + "PT1H30M, or 'at', e.g. 2026-11-23T09:00 in the owner's time zone or 2026-11-23T08:00:00Z) or a recurring "
            + "prompt (give 'cron', e.g. '0 8 * * 1' for Mondays at 8:00, or Quartz form '0 0 8 ? * MON'). Give exactly "
            + "one of in, at and cron. When it fires, the prompt runs as a turn in this thread (or as a sub-agent task "
            + "with target TASK). Returns the schedule's id and when it fires.")
    public String schedule(
            @ToolArg(description = "What to do or say when it fires, as an instruction to yourself "
                    + "(e.g. 'Remind the owner to call Bob.'), at most 8,000 characters") String prompt,
            @ToolArg(description = "Recurring: a cron expression (5-field Unix or Quartz with seconds)", defaultValue = "")
            String cron,
            @ToolArg(description = "One-shot at this time: ISO-8601 instant, or local date-time in the time zone",
                    defaultValue = "") String at,
            @ToolArg(name = "in", description = "One-shot after this ISO-8601 duration from now, e.g. PT2M, PT3H, P1D",
                    defaultValue = "") String in,
            @ToolArg(description = "A short title for the owner", defaultValue = "") String title,
            @ToolArg(description = "Model to run it with, or empty for the default", defaultValue = "") String model,
            @ToolArg(name = "timeZone", description = "IANA time zone (e.g. Europe/Paris), or empty for the owner's",
                    defaultValue = "") String timeZone,
            @ToolArg(description = "THREAD (a turn in this thread) or TASK (a sub-agent task)", defaultValue = "THREAD")
            String target,
            @ToolArg(description = "REMINDER or PROMPT, or empty to choose by shape (one-shot: REMINDER, cron: PROMPT)",
                    defaultValue = "") String kind) {
        String thread = caller.threadId();
        if (caller.heartbeatTurn()) {
            throw new ToolCallException("not allowed: a heartbeat turn cannot schedule anything (no heartbeat schedules "
                    + "more heartbeats); tell the owner instead");
        }
        return call(() -> {
            int given = (blank(cron) ? 0 : 1) + (blank(at) ? 0 : 1) + (blank(in) ? 0 : 1);
            if (given != 1) {
                throw new ToolCallException("give exactly one of 'in' (a duration such as PT2M), 'at' (a time) and 'cron'");
            }
            String runAt = blank(at) ? null : at;
            if (!blank(in)) {
                runAt = time.now().plus(duration(in)).truncatedTo(ChronoUnit.MILLIS).toString();
            }
            ScheduleEntity s = schedules.create(new ScheduleInput(thread, kind, title, prompt, model, blank(cron) ? null : cron,
                    runAt, timeZone, true, null, null, target), ScheduleEntity.CreatedBy.ASSISTANT);
            return "Scheduled " + s.kind + " " + s.id + " \"" + s.title + "\": " + when(s, s.nextFireAt) + ".";
        });
    }

    @Tool(name = "list_schedules", description = "List this thread's schedules (reminders, recurring prompts, the "
            + "heartbeat) with their ids, when they fire next and whether they are enabled.")
    public String listSchedules() {
        String thread = caller.threadId();
        return call(() -> {
            List<ScheduleEntity> found = schedules.list(thread);
            if (found.isEmpty()) {
                return "No schedules.";
            }
            StringBuilder out = new StringBuilder();
            for (ScheduleEntity s : found) {
                Instant next = schedules.nextFireAt(s);
                out.append("- [").append(s.kind.name().toLowerCase()).append(", id ").append(s.id)
                        .append(s.enabled ? "" : ", disabled").append(s.builtIn() ? ", built in" : "")
                        .append(", by ").append(s.createdBy.name().toLowerCase()).append("] ")
                        .append(s.title).append(": ").append(when(s, next))
                        .append(s.lastFiredAt == null ? "" : "; last fired " + s.lastFiredAt).append('\n');
            }
            return out.toString().strip();
        });
    }

    @Tool(name = "cancel_schedule", description = "Cancel (delete) one of this thread's schedules by its id, e.g. "
            + "when the owner no longer wants a reminder. The built-in heartbeat cannot be cancelled.")
    public String cancelSchedule(@ToolArg(description = "The schedule's id (from list_schedules)") String id) {
        String thread = caller.threadId();
        return call(() -> {
            ScheduleEntity s = schedules.delete(uuid(id), thread);
            return "Cancelled " + s.kind + " " + s.id + " \"" + s.title + "\".";
        });
    }

    private static String when(ScheduleEntity s, Instant next) {
        ZoneId zone = ZoneId.of(s.timeZone);
        String schedule = s.cron != null ? "cron '" + s.cron + "' in " + zone
                : "once at " + s.runAt.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS) + " " + zone;
        return schedule + (next == null ? (s.enabled ? "" : ", not firing") : ", next "
                + next.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS) + " " + zone);
    }

    private static Duration duration(String text) {
        try {
            Duration d = Duration.parse(text.strip().toUpperCase());
            if (d.isNegative() || d.isZero()) {
                throw new ToolCallException("'in' must be a positive duration such as PT2M");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ToolCallException("'" + text + "' is not an ISO-8601 duration (PT2M, PT1H30M, P1D)");
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id == null ? "" : id.strip());
        } catch (IllegalArgumentException e) {
            throw new ToolCallException("'" + id + "' is not a schedule id");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String call(Supplier<String> action) {
        try {
            return action.get();
        } catch (ScheduleRequestException e) {
            throw new ToolCallException(e.getMessage());
        }
    }
}
