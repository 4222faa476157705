package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.gateway.service.ThreadStreamHealthCheck;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** gateway-service starts against devstack's real PostgreSQL and Kafka and reports itself ready. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class GatewayServiceReadinessTest {

    @Test
    void isReadyWhenItsDependenciesAreUp() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("Kafka connection health check", "Database connections health check",
                        ThreadStreamHealthCheck.NAME));
    }

    @Test
    void servesMetricsAndOpenApiToTheOwner() {
        given().auth().oauth2(ThreadApiTest.TOKEN).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().auth().oauth2(ThreadApiTest.TOKEN).accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", is("mainloop gateway-service"));
    }
}
