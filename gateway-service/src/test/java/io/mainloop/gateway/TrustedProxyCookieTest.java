package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind a trusted TLS-terminating proxy (here: the test client on 127.0.0.1 stands for
 * cloudflared), {@code X-Forwarded-Proto: https} makes the session cookie Secure.
 */
@QuarkusTest
@TestProfile(TrustedProxyCookieTest.BehindLocalProxy.class)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class TrustedProxyCookieTest {

    /** Forwarded headers honoured from 127.0.0.1 only, as documented for cloudflared. */
    public static class BehindLocalProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @Test
    void theTrustedProxysHttpsMakesTheCookieSecure() {
        String behindTls = given().contentType(ContentType.JSON).header("X-Forwarded-Proto", "https")
                .body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}").post("/api/session")
                .then().statusCode(204).extract().header("Set-Cookie");
        assertTrue(behindTls.contains("Secure"), behindTls);
        String plain = given().contentType(ContentType.JSON).body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}")
                .post("/api/session").then().statusCode(204).extract().header("Set-Cookie");
        assertFalse(plain.contains("Secure"), plain);
    }
}
