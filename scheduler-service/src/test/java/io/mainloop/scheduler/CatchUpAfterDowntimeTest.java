package io.mainloop.scheduler;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.scheduler.service.QuartzSchedules;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;

/**
 * A restart after three hours of downtime: the scheduler stands still (standby) while the triggers'
 * next fire times lie three hours back, as they would after an outage, then runs again. Each
 * schedule fires once to catch up, never once per missed slot, and moves on to its next slot.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class CatchUpAfterDowntimeTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Scheduler scheduler;

    @Inject
    QuartzSchedules quartz;

    @Inject
    EntityManager em;

    @Test
    void afterAThreeHourGapEachScheduleFiresOnceNotOncePerMissedSlot() throws Exception {
        // every 10 minutes, at a minute offset whose next slot is 4-5 minutes away (no regular firing during the test)
        Instant now = Instant.now();
        int offset = (now.atZone(ZoneOffset.UTC).getMinute() + 5) % 10;
        String cron = "0 " + offset + "/10 * * * ?";
        UUID recurring = create(Map.of("title", "Every ten minutes", "prompt", "Check the build.", "cron", cron,
                "timeZone", "UTC", "threadId", "catch-up"));
        UUID oneShot = create(Map.of("title", "Tomorrow", "prompt", "Call the bank.",
                "runAt", now.plus(Duration.ofDays(1)).toString(), "threadId", "catch-up"));

        Instant downSince = now.minus(Duration.ofHours(3));
        scheduler.standby();
        Instant restart;
        try {
            // the first missed slot of the recurring schedule three hours ago: 18 slots missed since
            Instant firstMissed = slotAtOrAfter(downSince, offset);
            setNextFireTime(recurring, firstMissed);
            setNextFireTime(oneShot, downSince);
            restart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        } finally {
            scheduler.start();
        }

        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            for (UUID id : List.of(recurring, oneShot)) {
                String record = kafka.await(Topics.SCHEDULE_FIRED, v -> v.contains(id.toString()), 1, Duration.ofSeconds(30))
                        .getFirst();
                ScheduleFired fired = EventJson.mapper().readValue(record, ScheduleFired.class);
                // caught up now, not for one of the missed slots
                assertFalse(fired.scheduledFor().isBefore(restart), fired.scheduledFor() + " is before " + restart);
            }
            // the recurring trigger moved past every missed slot to its next regular one; the one-shot is done
            Instant next = Eventually.await("the recurring trigger's next slot", Duration.ofSeconds(10),
                    () -> quartz.nextFireTime(recurring));
            assertTrue(next.isAfter(Instant.now()), "next fire time " + next + " is in the future");
            assertEquals(offset, next.atZone(ZoneOffset.UTC).getMinute() % 10);
            Eventually.await("the one-shot disabled", Duration.ofSeconds(10),
                    () -> given().get("/api/schedules/{id}", oneShot).<Boolean>path("enabled") ? null : true);
            assertEquals(1, kafka.readAll(Topics.SCHEDULE_FIRED, v -> v.contains(recurring.toString())).size());
            assertEquals(1, kafka.readAll(Topics.SCHEDULE_FIRED, v -> v.contains(oneShot.toString())).size());
        }
        given().delete("/api/schedules/{id}", recurring).then().statusCode(204);
        given().delete("/api/schedules/{id}", oneShot).then().statusCode(204);
    }

    private static UUID create(Map<String, Object> body) {
        return UUID.fromString(given().contentType("application/json").body(body).post("/api/schedules")
                .then().statusCode(201).extract().path("id"));
    }

    private static Instant slotAtOrAfter(Instant t, int offset) {
        Instant minute = t.truncatedTo(ChronoUnit.MINUTES);
        while (minute.isBefore(t) || minute.atZone(ZoneOffset.UTC).getMinute() % 10 != offset) {
            minute = minute.plus(Duration.ofMinutes(1));
        }
        return minute;
    }

    private void setNextFireTime(UUID schedule, Instant at) {
        int updated = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE qrtz_triggers SET next_fire_time = ?1
                        WHERE trigger_group = 'schedule' AND trigger_name = ?2 AND trigger_state = 'WAITING'""")
                .setParameter(1, at.toEpochMilli()).setParameter(2, schedule.toString()).executeUpdate());
        if (updated != 1) {
            throw new IllegalStateException("no waiting trigger for " + schedule);
        }
    }
}
