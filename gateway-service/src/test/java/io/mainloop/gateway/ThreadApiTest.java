package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The owner's API: authentication, posting (idempotent, validated), cancel. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class ThreadApiTest {

    static final String TOKEN = "test-owner-token-0123456789abcdef0123";
    static final ObjectMapper JSON = EventJson.mapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    TopicProbe kafka;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void everyApiCallNeedsTheOwnerToken() {
        given().get("/api/thread/messages").then().statusCode(401)
                .contentType("application/problem+json").body("status", is(401));
        given().auth().oauth2("wrong").get("/api/thread/messages").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"text\":\"hi\"}").post("/api/thread/messages").then().statusCode(401);
        given().cookie("mainloop_token", TOKEN).contentType(ContentType.JSON)
                .body("{\"text\":\"the token is no cookie\",\"clientMessageId\":\"" + UUID.randomUUID() + "\"}")
                .post("/api/thread/messages").then().statusCode(401);
        String session = given().contentType(ContentType.JSON).body("{\"token\":\"" + TOKEN + "\"}")
                .post("/api/session").then().statusCode(204).extract().cookie("mainloop_session");
        given().cookie("mainloop_session", session).contentType(ContentType.JSON)
                .body("{\"text\":\"by session cookie\",\"clientMessageId\":\"" + UUID.randomUUID() + "\"}")
                .post("/api/thread/messages").then().statusCode(202).body("messageId", notNullValue());
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aPostIsAcceptedOnceWhateverTheRetries() {
        String clientId = UUID.randomUUID().toString();
        String body = "{\"text\":\"hello mainloop\",\"clientMessageId\":\"" + clientId + "\"}";
        String first = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body)
                .post("/api/thread/messages").then().statusCode(202).body("messageId", notNullValue())
                .extract().path("messageId");
        String retry = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body)
                .post("/api/thread/messages").then().statusCode(202).extract().path("messageId");
        assertEquals(first, retry, "a retried POST maps to the same message");
        var records = kafka.await(Topics.CONVERSATION_INBOUND, v -> v.contains(clientId), 2, Duration.ofSeconds(20));
        records.forEach(r -> assertEquals(first, tree(r).path("messageId").asText()));
        assertEquals("main", tree(records.getFirst()).path("threadId").asText());
    }

    @Test
    void badMessagesAreRefusedWithProblemDetails() {
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"  \"}")
                .post("/api/thread/messages").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("empty"));
        String big = "x".repeat(32 * 1024 + 1);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"" + big + "\"}")
                .post("/api/thread/messages").then().statusCode(413)
                .contentType("application/problem+json").body("status", is(413));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{not json")
                .post("/api/thread/messages").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void cancelAsksTheAgentToStopTheTurn() {
        UUID turn = UUID.randomUUID();
        given().auth().oauth2(TOKEN).post("/api/thread/turns/{id}/cancel", turn).then().statusCode(202);
        var command = tree(kafka.await(Topics.AGENT_COMMANDS, v -> v.contains(turn.toString()), 1,
                Duration.ofSeconds(20)).getFirst());
        assertEquals("turn.cancel", command.path("type").asText());
        given().auth().oauth2(TOKEN).post("/api/thread/turns/not-a-uuid/cancel").then().statusCode(400);
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
