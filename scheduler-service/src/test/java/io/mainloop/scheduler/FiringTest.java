package io.mainloop.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mainloop.contracts.CompactionRequested;
import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.scheduler.config.TimeSource;
import io.mainloop.scheduler.messaging.OutboxRelay;
import io.mainloop.scheduler.service.QuartzSchedules;
import io.mainloop.scheduler.service.ScheduleFiring;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Firings: a one-shot fires once by Quartz, a slot fired twice is recorded once, active hours, compaction triggers. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class FiringTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ScheduleFiring firing;

    @Inject
    OutboxRelay relay;

    @Inject
    QuartzSchedules quartz;

    @Inject
    TimeSource time;

    @Inject
    EntityManager em;

    @Test
    void aOneShotFiresOnceAtItsTimeAndIsThenDisabled() throws Exception {
        given().get("/api/schedules").then().statusCode(200); // the first call of a run warms up the client
        Instant runAt = Instant.now().plusMillis(10_000).truncatedTo(ChronoUnit.MILLIS);
        String id = given().contentType("application/json")
                .body(Map.of("prompt", "Remind the owner to call Bob.", "runAt", runAt.toString(), "threadId", "firing-test"))
                .post("/api/schedules").then().statusCode(201).body("kind", is("REMINDER"))
                .body("nextFireAt", is(runAt.toString())).extract().path("id");
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            String record = kafka.await(Topics.SCHEDULE_FIRED, v -> v.contains(id), 1, Duration.ofSeconds(30)).getFirst();
            ScheduleFired fired = EventJson.mapper().readValue(record, ScheduleFired.class);
            assertEquals(runAt, fired.scheduledFor());
            assertEquals(ScheduleFired.firingId(UUID.fromString(id), runAt), fired.firingId());
            assertEquals(fired.firingId(), fired.eventId());
            assertEquals(ScheduleKind.REMINDER, fired.kind());
            assertEquals("firing-test", fired.threadId());
            Eventually.await("the one-shot disabled after firing", Duration.ofSeconds(10),
                    () -> given().get("/api/schedules/{id}", id).<Boolean>path("enabled") ? null : true);
            // its trigger is done: nothing can fire it again, and it fired once
            assertNull(quartz.nextFireTime(UUID.fromString(id)));
            assertEquals(1, kafka.readAll(Topics.SCHEDULE_FIRED, v -> v.contains(id)).size());
        }
        given().get("/api/schedules/{id}", id).then().body("lastFiredAt", notNullValue());
    }

    @Test
    void theSameSlotFiredTwiceIsRecordedAndPublishedOnce() {
        UUID id = UUID.fromString(given().contentType("application/json")
                .body(Map.of("prompt", "Water the plants.", "cron", "0 0 7 * * ?", "threadId", "twice-test"))
                .post("/api/schedules").then().statusCode(201).extract().path("id"));
        Instant slot = Instant.parse("2026-11-23T07:00:00Z");
        ScheduleFiring.Firing first = firing.fire(id, slot, null, false);
        ScheduleFiring.Firing second = firing.fire(id, slot, null, false);
        assertEquals(ScheduleFiring.Outcome.FIRED, first.outcome());
        assertEquals(ScheduleFiring.Outcome.DUPLICATE, second.outcome());
        assertEquals(first.eventId(), second.eventId());
        relay.tryPublish("twice-test");
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            kafka.await(Topics.SCHEDULE_FIRED, v -> v.contains(first.eventId().toString()), 1, Duration.ofSeconds(30));
            assertEquals(1, kafka.readAll(Topics.SCHEDULE_FIRED, v -> v.contains(first.eventId().toString())).size());
        }
        assertEquals(1L, outboxRows(first.eventId()));
        given().get("/q/metrics").then().body(containsString(
                "mainloop_scheduler_firings_total{kind=\"PROMPT\",outcome=\"duplicate\""));
        given().delete("/api/schedules/{id}", id).then().statusCode(204);
        assertEquals(ScheduleFiring.Outcome.GONE, firing.fire(id, slot.plusSeconds(86400), null, false).outcome());
    }

    @Test
    void aSlotOutsideTheActiveHoursIsSkipped() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        UUID id = UUID.fromString(given().contentType("application/json")
                .body(Map.of("prompt", "Stretch.", "cron", "0 0 * * * ?", "timeZone", "Europe/Paris",
                        "activeHoursStart", "09:00", "activeHoursEnd", "17:00", "threadId", "hours-test"))
                .post("/api/schedules").then().statusCode(201).extract().path("id"));
        Instant night = LocalDate.parse("2026-11-24").atTime(3, 0).atZone(paris).toInstant();
        Instant evening = LocalDate.parse("2026-11-24").atTime(17, 0).atZone(paris).toInstant();
        Instant morning = LocalDate.parse("2026-11-24").atTime(9, 0).atZone(paris).toInstant();
        assertEquals(ScheduleFiring.Outcome.SKIPPED_INACTIVE_HOURS, firing.fire(id, night, null, false).outcome());
        assertEquals(ScheduleFiring.Outcome.SKIPPED_INACTIVE_HOURS, firing.fire(id, evening, null, false).outcome());
        assertEquals(0L, outboxRows(ScheduleFired.firingId(id, night)));
        assertEquals(ScheduleFiring.Outcome.FIRED, firing.fire(id, morning, null, false).outcome());
        assertEquals(1L, outboxRows(ScheduleFired.firingId(id, morning)));
        given().delete("/api/schedules/{id}", id).then().statusCode(204);
    }

    @Test
    void compactionTriggersRequestTheEndedPeriodOnceWithADeterministicId() throws Exception {
        ZoneId zone = time.zone();
        // Tuesday 2027-03-02 00:05: Monday's day ended; Monday 2027-03-08: the week of 03-01; 2027-04-01: March
        Instant tuesday = LocalDate.parse("2027-03-02").atTime(0, 5).atZone(zone).toInstant();
        Instant monday = LocalDate.parse("2027-03-08").atTime(0, 5).atZone(zone).toInstant();
        Instant firstOfApril = LocalDate.parse("2027-04-01").atTime(0, 5).atZone(zone).toInstant();
        List<Object[]> cases = List.of(
                new Object[] {Granularity.DAILY, tuesday, LocalDate.parse("2027-03-01")},
                new Object[] {Granularity.WEEKLY, monday, LocalDate.parse("2027-03-01")},
                new Object[] {Granularity.MONTHLY, firstOfApril, LocalDate.parse("2027-03-01")});
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            for (Object[] c : cases) {
                Granularity granularity = (Granularity) c[0];
                UUID expected = EventIds.named("compaction", granularity, c[2]);
                ScheduleFiring.Firing fired = firing.fireCompaction(granularity, (Instant) c[1]);
                assertEquals(ScheduleFiring.Outcome.FIRED, fired.outcome());
                assertEquals(expected, fired.eventId());
                // fired again for the same period (a second replica, a catch-up): recorded once
                assertEquals(ScheduleFiring.Outcome.DUPLICATE, firing.fireCompaction(granularity, (Instant) c[1]).outcome());
                relay.tryPublish("main");
                String record = kafka.await(Topics.MEMORY_COMPACTION, v -> v.contains(expected.toString()), 1,
                        Duration.ofSeconds(30)).getFirst();
                CompactionRequested request = EventJson.mapper().readValue(record, CompactionRequested.class);
                assertEquals(granularity, request.granularity());
                assertEquals("main", request.threadId());
                assertEquals(expected, request.eventId());
                assertEquals(1, kafka.readAll(Topics.MEMORY_COMPACTION, v -> v.contains(expected.toString())).size());
            }
        }
        // the three triggers are scheduled in Quartz, at 00:05 in the owner's zone
        assertEquals(Map.of("DAILY", "0 5 0 * * ? " + zone.getId(), "WEEKLY", "0 5 0 ? * MON " + zone.getId(),
                "MONTHLY", "0 5 0 1 * ? " + zone.getId()), triggerCrons());
    }

    long outboxRows(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox WHERE event_id = ?1").setParameter(1, eventId).getSingleResult()).longValue());
    }

    /**
     * The compaction triggers Quartz will fire, by name: waiting, or taken by Quartz in the half
     * minute before they fire (ACQUIRED, as at 00:04:30-00:05) or firing.
     */
    @SuppressWarnings("unchecked")
    Map<String, String> triggerCrons() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        SELECT t.trigger_name, c.cron_expression || ' ' || c.time_zone_id FROM qrtz_triggers t
                        JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)
                        WHERE t.trigger_group = 'compaction'
                          AND t.trigger_state IN ('WAITING', 'ACQUIRED', 'EXECUTING')""").getResultList());
        Map<String, String> crons = new java.util.HashMap<>();
        rows.forEach(r -> crons.put((String) r[0], (String) r[1]));
        return crons;
    }
}
