package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The edge: security headers on every response; only health is public under /q. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class EdgeSecurityTest {

    static final String POLICY_TAIL = "img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        assertSecurityHeaders(given().get("/"), 200);
        assertSecurityHeaders(given().auth().oauth2(ThreadApiTest.TOKEN).get("/api/session"), 200);
        assertSecurityHeaders(given().get("/api/thread/messages"), 401);
        assertSecurityHeaders(given().contentType(ContentType.JSON).body("{}").post("/api/session"), 400);
        assertSecurityHeaders(given().get("/q/health/ready"), 200);
        assertSecurityHeaders(given().get("/q/metrics"), 401);
    }

    @Test
    void thePolicyAllowsExactlyTheInlineScriptsOfTheServedPage() throws Exception {
        Response page = given().get("/");
        List<String> hashes = inlineScriptHashes(page.asString());
        assertEquals(1, hashes.size(), "the SvelteKit page has its inline bootstrap script");
        assertEquals("default-src 'self'; script-src 'self' " + hashes.getFirst() + "; " + POLICY_TAIL,
                page.getHeader("Content-Security-Policy"));
        // the same policy on every other response of the app and the API
        assertEquals(page.getHeader("Content-Security-Policy"), given().get("/api/thread/messages")
                .getHeader("Content-Security-Policy"));
    }

    @Test
    void swaggerUiMayRunItsInlineScriptsAndNothingElseIsLoosened() {
        Response page = given().auth().oauth2(ThreadApiTest.TOKEN).get("/q/swagger-ui/");
        assertEquals(200, page.statusCode());
        assertEquals("default-src 'self'; script-src 'self' 'unsafe-inline'; " + POLICY_TAIL,
                page.getHeader("Content-Security-Policy"));
    }

    /** The CSP hash sources of the inline scripts ({@code <script>} without {@code src}) of {@code html}. */
    static List<String> inlineScriptHashes(String html) throws Exception {
        List<String> hashes = new java.util.ArrayList<>();
        Matcher scripts = Pattern.compile("<script( [^>]*)?>(.*?)</script>", Pattern.DOTALL).matcher(html);
        while (scripts.find()) {
            if (scripts.group(1) == null || !scripts.group(1).contains("src=")) {
                hashes.add("'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(scripts.group(2).getBytes(StandardCharsets.UTF_8))) + "'");
            }
        }
        return hashes;
    }

    @Test
    void healthIsPublicTheRestOfQNeedsTheOwner() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
        for (String path : List.of("/q/metrics", "/q/openapi", "/q/swagger-ui", "/q/swagger-ui/",
                "/q/health/../metrics", "/q/dev-ui", "/q")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .body("status", is(401)).header("WWW-Authenticate", "Bearer");
            given().auth().oauth2("not-the-owner-token-but-long-enough-0123").get(path).then().statusCode(401);
        }
        given().auth().oauth2(ThreadApiTest.TOKEN).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().auth().oauth2(ThreadApiTest.TOKEN).accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", is("mainloop gateway-service"));
        given().auth().oauth2(ThreadApiTest.TOKEN).get("/q/swagger-ui/").then().statusCode(200);

        String session = given().contentType(ContentType.JSON).body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}")
                .post("/api/session").then().statusCode(204).extract().cookie("mainloop_session");
        given().cookie("mainloop_session", session).get("/q/metrics").then().statusCode(200);
    }

    private static void assertSecurityHeaders(Response response, int status) {
        assertEquals(status, response.statusCode(), response.asString());
        String policy = response.getHeader("Content-Security-Policy");
        assertTrue(policy != null && policy.startsWith("default-src 'self'; script-src 'self'") && policy.endsWith(POLICY_TAIL),
                String.valueOf(policy));
        assertEquals("nosniff", response.getHeader("X-Content-Type-Options"));
        assertEquals("no-referrer", response.getHeader("Referrer-Policy"));
        assertEquals("DENY", response.getHeader("X-Frame-Options"));
    }
}
