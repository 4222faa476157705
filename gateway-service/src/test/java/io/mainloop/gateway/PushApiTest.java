package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.gateway.push.PushRepository;
import io.mainloop.gateway.push.PushSubscriptions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Web Push API (docs/web-push.md): owner only; the VAPID public key, the same for every call
 * and every replica (stored once); subscribing is idempotent by endpoint; bad subscriptions are
 * refused with a problem body; unsubscribing stops pushes to that device.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class PushApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ENDPOINT = "https://push.example.net/wpush/v2/abc123";

    @Inject
    PushSubscriptions subscriptions;

    @Inject
    PushRepository repository;

    @AfterEach
    void forgetSubscriptions() {
        subscriptions.list().forEach(s -> subscriptions.unsubscribe(s.endpoint()));
    }

    @Test
    void everyPushEndpointNeedsTheOwner() {
        String[][] calls = {{"GET", "/api/push/key"}, {"POST", "/api/push/subscriptions"},
            {"DELETE", "/api/push/subscriptions?endpoint=" + ENDPOINT}};
        for (String[] call : calls) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void theKeyIsAnUncompressedP256PointStoredOnceForEveryReplica() {
        String key = given().auth().oauth2(TOKEN).get("/api/push/key").then().statusCode(200)
                .contentType(ContentType.JSON).extract().path("publicKey");
        byte[] point = Base64.getUrlDecoder().decode(key);
        assertEquals(65, point.length);
        assertEquals(4, point[0], "uncompressed");
        assertTrue(key.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + key);
        assertEquals(key, given().auth().oauth2(TOKEN).get("/api/push/key").then().extract().path("publicKey"));

        // a second replica starting with a fresh pair of its own ends with the stored one
        String[] stored = QuarkusTransaction.requiringNew().call(() -> repository.vapidKeysOr("another-public",
                "another-private", Instant.now()));
        assertEquals(key, stored[0]);
    }

    @Test
    void subscribingIsIdempotentByEndpointAndUnsubscribingRemovesIt() throws Exception {
        String first = new TestBrowser().subscription(ENDPOINT);
        String id = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(first).post("/api/push/subscriptions")
                .then().statusCode(201).contentType(ContentType.JSON).body("endpoint", is(ENDPOINT))
                .extract().path("id");
        // the same browser again (a reload), or with renewed keys: the same subscription
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(first).post("/api/push/subscriptions")
                .then().statusCode(200).body("id", is(id));
        String renewed = new TestBrowser().subscription(ENDPOINT);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(renewed).post("/api/push/subscriptions")
                .then().statusCode(200).body("id", is(id));
        assertEquals(1, subscriptions.list().size());
        String p256dh = renewed.replaceAll(".*\"p256dh\":\"([^\"]+)\".*", "$1");
        assertEquals(p256dh, QuarkusTransaction.requiringNew().call(() -> repository.byEndpoint(ENDPOINT).orElseThrow().p256dh),
                "the renewed keys are kept");

        given().auth().oauth2(TOKEN).queryParam("endpoint", ENDPOINT).delete("/api/push/subscriptions")
                .then().statusCode(204);
        assertEquals(0, subscriptions.list().size());
        given().auth().oauth2(TOKEN).queryParam("endpoint", ENDPOINT).delete("/api/push/subscriptions")
                .then().statusCode(204);
        given().auth().oauth2(TOKEN).delete("/api/push/subscriptions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("endpoint"));
    }

    @Test
    void badSubscriptionsAreRefusedWithAProblem() throws Exception {
        String good = new TestBrowser().subscription(ENDPOINT);
        String p256dh = good.replaceAll(".*\"p256dh\":\"([^\"]+)\".*", "$1");
        String auth = good.replaceAll(".*\"auth\":\"([^\"]+)\".*", "$1");
        String offCurve = p256dh.substring(0, 80) + (p256dh.charAt(80) == 'A' ? 'B' : 'A') + p256dh.substring(81);
        String[][] cases = {
            {"{}", "endpoint is required"},
            {body("http://push.example.net/x", p256dh, auth), "https"},
            {body("ftp://push.example.net/x", p256dh, auth), "https"},
            {body("https://user:pw@push.example.net/x", p256dh, auth), "https URL with a host"},
            {body("not a url", p256dh, auth), "not a URL"},
            {body("https://push.example.net/" + "x".repeat(2100), p256dh, auth), "longer than"},
            {"{\"endpoint\":\"" + ENDPOINT + "\"}", "keys.p256dh and keys.auth are required"},
            {body(ENDPOINT, "not+base64/", auth), "keys.p256dh"},
            {body(ENDPOINT, offCurve, auth), "keys.p256dh"},
            {body(ENDPOINT, p256dh, "c2hvcnQ"), "keys.auth"},
            {"{\"endpoint\": ", "not JSON"},
            {"[1, 2]", "wrong shape"},
        };
        for (String[] c : cases) {
            var response = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(c[0])
                    .post("/api/push/subscriptions").then().statusCode(400).contentType("application/problem+json")
                    .body("status", is(400));
            if (c[1] != null) {
                response.body("detail", containsString(c[1]));
            }
        }
        assertEquals(0, subscriptions.list().size(), "nothing was stored");

        // plain http only on the loopback (a local push service; the tests' fake)
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body("http://127.0.0.1:9/x", p256dh, auth))
                .post("/api/push/subscriptions").then().statusCode(201);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body("http://localhost:9/x", p256dh, auth))
                .post("/api/push/subscriptions").then().statusCode(201);
    }

    private static String body(String endpoint, String p256dh, String auth) {
        return "{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"" + p256dh + "\",\"auth\":\"" + auth + "\"}}";
    }
}
