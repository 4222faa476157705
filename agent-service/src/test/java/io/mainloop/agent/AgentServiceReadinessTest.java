package io.mainloop.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.support.ledger.ProcessedEventRepository;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.UUID;

import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** agent-service starts against devstack's real PostgreSQL and Kafka and reports itself ready. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class AgentServiceReadinessTest {

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
                .then().statusCode(200).body("info.title", is("mainloop agent-service"));
    }

    @Inject
    ProcessedEventRepository processedEvents;

    @Test
    @Transactional
    void flywayMigratedTheServiceSchemaAndTheLedgerDedupes() {
        UUID eventId = UUID.randomUUID();
        assertTrue(processedEvents.markProcessed(eventId, "test.topic"), "first delivery is new");
        assertFalse(processedEvents.markProcessed(eventId, "test.topic"), "redelivery is recognised");
        assertEquals("agent", processedEvents.getEntityManager()
                .createNativeQuery("SELECT table_schema FROM information_schema.tables WHERE table_name = 'processed_event'")
                .getSingleResult());
    }
}
