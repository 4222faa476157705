package io.mainloop.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.support.ledger.ProcessedEventPruner;
import io.mainloop.support.ledger.ProcessedEventRepository;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.UUID;

import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** memory-service starts against devstack's real PostgreSQL and Kafka and reports itself ready. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class MemoryServiceReadinessTest {

    @Test
    void isReadyWhenItsDependenciesAreUp() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));
    }

    @Test
    void servesMetricsAndOpenApi() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", is("mainloop memory-service"));
    }

    @Inject
    ProcessedEventRepository processedEvents;

    @Test
    @Transactional
    void flywayMigratedTheServiceSchemaAndTheLedgerDedupes() {
        UUID eventId = UUID.randomUUID();
        assertTrue(processedEvents.markProcessed(eventId, "test.topic"), "first delivery is new");
        assertFalse(processedEvents.markProcessed(eventId, "test.topic"), "redelivery is recognised");
        assertEquals("memory", processedEvents.getEntityManager()
                .createNativeQuery("SELECT table_schema FROM information_schema.tables WHERE table_name = 'processed_event'")
                .getSingleResult());
    }

    @Inject
    ProcessedEventPruner pruner;

    @Test
    @Transactional
    void thePrunerDeletesLedgerRowsOlderThanTheRetention() {
        UUID expired = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        processedEvents.markProcessed(expired, "test.topic");
        processedEvents.markProcessed(recent, "test.topic");
        processedEvents.getEntityManager()
                .createNativeQuery("UPDATE processed_event SET processed_at = now() - interval '8 days' WHERE event_id = ?1")
                .setParameter(1, expired).executeUpdate();
        pruner.prune();
        assertNull(processedEvents.findById(expired), "older than the 7-day retention");
        assertNotNull(processedEvents.findById(recent), "within the retention");
    }
}
