package io.mainloop.scheduler.service;

import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.scheduler.config.SchedulerConfig;
import io.mainloop.scheduler.config.TimeSource;
import io.mainloop.scheduler.repository.ScheduleEntity;
import io.mainloop.scheduler.repository.ScheduleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Creates, changes, deletes and runs schedules, keeping each one's Quartz trigger in the same
 * transaction ({@link QuartzSchedules}). Validation: exactly one of a cron and a one-shot time; a
 * cron that parses (see {@link CronSyntax}), fires again and not more often than
 * {@code mainloop.scheduler.min-interval}; a one-shot in the future; a known time zone; a prompt of
 * 1 to 8,000 characters; active hours for crons only. Built-in schedules (the heartbeat) are
 * configured, so they cannot be changed or deleted here (409).
 */
@ApplicationScoped
public class ScheduleService {

    /** Longest prompt, in characters. */
    public static final int PROMPT_MAX_CHARS = 8000;

    /** Longest title, in characters. */
    public static final int TITLE_MAX_CHARS = 200;

    /** The thread a schedule runs in when none is given. */
    public static final String DEFAULT_THREAD = "main";

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]]{1,100}");

    @Inject
    ScheduleRepository schedules;

    @Inject
    QuartzSchedules quartz;

    @Inject
    ScheduleFiring firing;

    @Inject
    TimeSource time;

    @Inject
    SchedulerConfig config;

    /** All schedules (of {@code threadId} if not null), oldest first. */
    @Transactional
    public List<ScheduleEntity> list(String threadId) {
        return schedules.list(threadId);
    }

    /**
     * The schedule {@code id}.
     *
     * @throws ScheduleRequestException 404 if there is none
     */
    @Transactional
    public ScheduleEntity get(UUID id) {
        ScheduleEntity s = schedules.findById(id);
        if (s == null) {
            throw new ScheduleRequestException(404, "no schedule " + id);
        }
        return s;
    }

    /** When {@code schedule} fires next, as Quartz has it now (null: disabled, done or unscheduled). */
    public Instant nextFireAt(ScheduleEntity schedule) {
        return schedule.enabled ? quartz.nextFireTime(schedule.id) : null;
    }

    /**
     * Creates a schedule from {@code input} and schedules it.
     *
     * @param createdBy OWNER or ASSISTANT
     * @throws ScheduleRequestException 400 if the input is invalid
     */
    @Transactional
    public ScheduleEntity create(ScheduleInput input, ScheduleEntity.CreatedBy createdBy) {
        ScheduleEntity s = new ScheduleEntity();
        s.id = UUID.randomUUID();
        s.createdBy = createdBy;
        s.createdAt = time.now().truncatedTo(ChronoUnit.MILLIS);
        apply(s, input);
        schedules.persist(s);
        s.nextFireAt = quartz.sync(s);
        return s;
    }

    /**
     * Replaces schedule {@code id} with {@code input} (all fields; enabled false disables it) and reschedules it.
     *
     * @throws ScheduleRequestException 400 if the input is invalid, 404 if there is no such
     *     schedule, 409 if it is built in
     */
    @Transactional
    public ScheduleEntity update(UUID id, ScheduleInput input) {
        ScheduleEntity s = requireEditable(schedules.lock(id), id);
        apply(s, input);
        s.nextFireAt = quartz.sync(s);
        return s;
    }

    /**
     * Deletes schedule {@code id} and its trigger; when {@code threadId} is not null, only a
     * schedule of that thread.
     *
     * @return the deleted schedule
     * @throws ScheduleRequestException 404 if there is no such schedule, 409 if it is built in
     */
    @Transactional
    public ScheduleEntity delete(UUID id, String threadId) {
        ScheduleEntity s = schedules.lock(id);
        if (s != null && threadId != null && !s.threadId.equals(threadId)) {
            s = null;
        }
        requireEditable(s, id);
        quartz.remove(id);
        schedules.delete(s);
        return s;
    }

    /**
     * Fires schedule {@code id} now, once (even when disabled or outside its active hours; a
     * one-shot stays as it is). Publish the result's thread after this returns.
     *
     * @throws ScheduleRequestException 404 if there is no such schedule
     */
    public ScheduleFiring.Firing runNow(UUID id) {
        ScheduleFiring.Firing fired = firing.fire(id, time.now().truncatedTo(ChronoUnit.MILLIS), null, true);
        if (fired.outcome() == ScheduleFiring.Outcome.GONE) {
            throw new ScheduleRequestException(404, "no schedule " + id);
        }
        return fired;
    }

    /**
     * Parses an instant: ISO-8601 with {@code Z} or an offset, or a local date-time read in {@code zone}.
     *
     * @throws ScheduleRequestException 400 if it is neither
     */
    public static Instant parseInstant(String text, ZoneId zone) {
        String t = text == null ? "" : text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                throw ScheduleRequestException.badRequest("'" + text + "' is not an ISO-8601 instant "
                        + "(2026-11-23T08:00:00Z) or local date-time (2026-11-23T09:00)");
            }
        }
    }

    /**
     * Reads a time zone id.
     *
     * @throws ScheduleRequestException 400 if it is not a known zone
     */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id.strip());
        } catch (DateTimeException e) {
            throw ScheduleRequestException.badRequest("unknown time zone '" + id + "' (use an IANA id such as Europe/Paris)");
        }
    }

    /** Validates {@code in} and writes it into {@code s}. */
    private void apply(ScheduleEntity s, ScheduleInput in) {
        if (in == null) {
            throw ScheduleRequestException.badRequest("a JSON body with a prompt and a cron or runAt is required");
        }
        Instant now = time.now().truncatedTo(ChronoUnit.MILLIS);
        String prompt = in.prompt() == null ? "" : in.prompt().strip();
        if (prompt.isEmpty()) {
            throw ScheduleRequestException.badRequest("prompt is required");
        }
        if (prompt.length() > PROMPT_MAX_CHARS) {
            throw ScheduleRequestException.badRequest("prompt is " + prompt.length() + " characters; at most "
                    + PROMPT_MAX_CHARS + " are allowed");
        }
        boolean hasCron = present(in.cron());
        boolean hasRunAt = present(in.runAt());
        if (hasCron == hasRunAt) {
            throw ScheduleRequestException.badRequest("give exactly one of cron (recurring) and runAt (one-shot)");
        }
        ZoneId zone = present(in.timeZone()) ? zone(in.timeZone()) : time.zone();
        boolean enabled = in.enabled() == null || in.enabled();
        String cron = null;
        Instant runAt = null;
        if (hasCron) {
            try {
                cron = CronSyntax.toQuartz(in.cron());
                CronSyntax.requireSensible(cron, zone, now, config.minInterval());
            } catch (IllegalArgumentException e) {
                throw ScheduleRequestException.badRequest(e.getMessage());
            }
        } else {
            runAt = parseInstant(in.runAt(), zone).truncatedTo(ChronoUnit.MILLIS);
            if (enabled && !runAt.isAfter(now)) {
                throw ScheduleRequestException.badRequest("runAt " + runAt + " is not in the future (now is " + now + ")");
            }
        }
        LocalTime activeStart = time("activeHoursStart", in.activeHoursStart());
        LocalTime activeEnd = time("activeHoursEnd", in.activeHoursEnd());
        if ((activeStart == null) != (activeEnd == null)) {
            throw ScheduleRequestException.badRequest("give both activeHoursStart and activeHoursEnd, or neither");
        }
        if (activeStart != null && activeStart.equals(activeEnd)) {
            throw ScheduleRequestException.badRequest("activeHoursStart and activeHoursEnd must differ (leave both out: always)");
        }
        if (activeStart != null && !hasCron) {
            throw ScheduleRequestException.badRequest("active hours apply to recurring (cron) schedules only");
        }
        ScheduleKind kind = hasCron ? ScheduleKind.PROMPT : ScheduleKind.REMINDER;
        if (present(in.kind())) {
            kind = enumValue(ScheduleKind.class, "kind", in.kind());
            if (kind == ScheduleKind.HEARTBEAT) {
                throw ScheduleRequestException.badRequest("a HEARTBEAT cannot be created: the heartbeat is built in "
                        + "(mainloop.scheduler.heartbeat.*)");
            }
        }
        ScheduleTarget target = present(in.target()) ? enumValue(ScheduleTarget.class, "target", in.target())
                : ScheduleTarget.THREAD;
        String model = present(in.model()) ? in.model().strip() : null;
        if (model != null && !MODEL.matcher(model).matches()) {
            throw ScheduleRequestException.badRequest("model '" + in.model() + "' is not a model name");
        }
        String title = present(in.title()) ? in.title().strip() : defaultTitle(prompt);
        if (title.length() > TITLE_MAX_CHARS) {
            throw ScheduleRequestException.badRequest("title is longer than " + TITLE_MAX_CHARS + " characters");
        }
        String thread = present(in.threadId()) ? in.threadId().strip() : DEFAULT_THREAD;
        if (thread.length() > 200) {
            throw ScheduleRequestException.badRequest("threadId is longer than 200 characters");
        }
        s.threadId = thread;
        s.kind = kind;
        s.title = title;
        s.prompt = prompt;
        s.model = model;
        s.cron = cron == null ? null : in.cron().strip().replaceAll("\\s+", " "); // as written; Quartz gets its form
        s.runAt = runAt;
        s.timeZone = zone.getId();
        s.enabled = enabled;
        s.activeHoursStart = activeStart;
        s.activeHoursEnd = activeEnd;
        s.target = target;
        s.updatedAt = now;
    }

    private static ScheduleEntity requireEditable(ScheduleEntity s, UUID id) {
        if (s == null) {
            throw new ScheduleRequestException(404, "no schedule " + id);
        }
        if (s.builtIn()) {
            throw new ScheduleRequestException(409, "schedule " + id + " (" + s.title + ") is built in: it is configured "
                    + "with mainloop.scheduler.heartbeat.* (enabled, every, active-hours, model), not through the API");
        }
        return s;
    }

    private static String defaultTitle(String prompt) {
        String line = prompt.lines().findFirst().orElse(prompt).strip();
        return line.length() <= 60 ? line : line.substring(0, 59).strip() + "…";
    }

    private static LocalTime time(String field, String value) {
        if (!present(value)) {
            return null;
        }
        try {
            return LocalTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ScheduleRequestException.badRequest(field + " '" + value + "' is not a time of day (HH:mm)");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ScheduleRequestException.badRequest(field + " '" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
