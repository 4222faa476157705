package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.gateway.repository.OwnerSessionRepository;
import io.mainloop.gateway.service.SessionStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The browser's login: the owner token in, a random server-side session id out as an HttpOnly
 * cookie; the cookie opens the API until it expires or is revoked.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class SessionApiTest {

    @Inject
    SessionStore sessions;

    @Inject
    OwnerSessionRepository rows;

    @Inject
    DataSource dataSource;

    @Test
    void loggingInSetsAnHttpOnlySessionCookieThatOpensTheApi() throws Exception {
        Response login = login();
        assertEquals(204, login.statusCode());
        String setCookie = login.getHeader("Set-Cookie");
        String id = login.getCookie("mainloop_session");
        assertNotNull(id, setCookie);
        assertFalse(setCookie.contains(ThreadApiTest.TOKEN), "the cookie never carries the owner token: " + setCookie);
        assertEquals(43, id.length(), "256 random bits, base64url");
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertTrue(setCookie.contains("Max-Age=2592000"), "30 days: " + setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP on localhost: no Secure flag");

        given().cookie("mainloop_session", id).get("/api/session").then().statusCode(200)
                .body("identity", is("owner")).body("method", is("session"));
        given().get("/api/session").then().statusCode(401).contentType("application/problem+json");
        given().cookie("mainloop_session", "forged").get("/api/session").then().statusCode(401);

        // only the id's SHA-256 is stored
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        QuarkusTransaction.requiringNew().run(() -> {
            assertNotNull(rows.findById(hash));
            assertNull(rows.findById(id));
        });
    }

    @Test
    void loggingOutRevokesTheSessionOnTheServer() {
        String id = login().getCookie("mainloop_session");
        String copy = id; // e.g. stolen from the device
        String setCookie = given().cookie("mainloop_session", id).delete("/api/session").then().statusCode(204)
                .extract().header("Set-Cookie");
        assertTrue(setCookie.startsWith("mainloop_session=;") || setCookie.contains("Max-Age=0"), setCookie);
        given().cookie("mainloop_session", copy).get("/api/session").then().statusCode(401)
                .contentType("application/problem+json");
        given().cookie("mainloop_session", copy).get("/api/thread/messages").then().statusCode(401);
        given().delete("/api/session").then().statusCode(204); // without a session: still just clears the cookie
    }

    @Test
    void anExpiredSessionIsRefusedAndPrunedAtTheNextLogin() {
        String expired = sessions.open(Duration.ofSeconds(-1));
        given().cookie("mainloop_session", expired).get("/api/session").then().statusCode(401);
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> rows.count("expiresAt <= current_timestamp")),
                "the expired row is still there");
        login();
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> rows.count("expiresAt <= current_timestamp")),
                "the login deleted expired sessions");
    }

    @Test
    void aSessionIsStateInTheDatabaseOnlySoEveryReplicaSeesItAndItsRevocation() throws Exception {
        // what another replica does: write and delete the row; this one keeps nothing in memory
        String id = "opened-by-another-replica-" + java.util.UUID.randomUUID();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            sql.executeUpdate("INSERT INTO gateway.owner_session (id_hash, created_at, expires_at) VALUES ('" + hash
                    + "', now(), now() + interval '1 hour')");
            given().cookie("mainloop_session", id).get("/api/session").then().statusCode(200);
            sql.executeUpdate("DELETE FROM gateway.owner_session WHERE id_hash = '" + hash + "'");
            given().cookie("mainloop_session", id).get("/api/session").then().statusCode(401);
        }
    }

    @Test
    void theBearerTokenStillOpensTheApiForClientsWithoutCookies() {
        given().auth().oauth2(ThreadApiTest.TOKEN).get("/api/session").then().statusCode(200)
                .body("identity", is("owner")).body("method", is("token"));
        given().auth().oauth2("wrong-but-long-enough-0123456789abcdef").get("/api/session").then().statusCode(401);
    }

    @Test
    void aForwardedProtoHeaderFromAnUntrustedClientDoesNotMakeTheCookieSecure() {
        String setCookie = given().contentType(ContentType.JSON).header("X-Forwarded-Proto", "https")
                .header("Forwarded", "proto=https").body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}")
                .post("/api/session").then().statusCode(204).extract().header("Set-Cookie");
        assertFalse(setCookie.contains("Secure"), setCookie);
    }

    @Test
    void aWrongOrMissingTokenIsRefused() {
        given().contentType(ContentType.JSON).body("{\"token\":\"guess\"}").post("/api/session").then()
                .statusCode(401).contentType("application/problem+json").body("status", is(401));
        given().contentType(ContentType.JSON).body("{}").post("/api/session").then()
                .statusCode(400).body("detail", containsString("token"));
    }

    private static Response login() {
        return given().contentType(ContentType.JSON).body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}")
                .post("/api/session");
    }
}
