package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The browser's login: the owner token in, an HttpOnly cookie out; the cookie then opens the API. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class SessionApiTest {

    @Test
    void loggingInSetsAnHttpOnlyCookieThatOpensTheApi() {
        Response login = given().contentType(ContentType.JSON).body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}")
                .post("/api/session");
        assertEquals(204, login.statusCode());
        String setCookie = login.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith("mainloop_token=" + ThreadApiTest.TOKEN), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertTrue(!setCookie.contains("Secure"), "plain HTTP on localhost: no Secure flag");

        given().cookie("mainloop_token", login.getCookie("mainloop_token")).get("/api/session").then().statusCode(204);
        given().get("/api/session").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void behindHttpsTheCookieIsSecure() {
        String setCookie = given().contentType(ContentType.JSON).header("X-Forwarded-Proto", "https")
                .body("{\"token\":\"" + ThreadApiTest.TOKEN + "\"}").post("/api/session").getHeader("Set-Cookie");
        assertTrue(setCookie.contains("Secure"), setCookie);
    }

    @Test
    void aWrongOrMissingTokenIsRefused() {
        given().contentType(ContentType.JSON).body("{\"token\":\"guess\"}").post("/api/session").then()
                .statusCode(401).contentType("application/problem+json").body("status", is(401));
        given().contentType(ContentType.JSON).body("{}").post("/api/session").then()
                .statusCode(400).body("detail", containsString("token"));
    }

    @Test
    void loggingOutClearsTheCookie() {
        String setCookie = given().auth().oauth2(ThreadApiTest.TOKEN).delete("/api/session").then().statusCode(204)
                .extract().header("Set-Cookie");
        assertTrue(setCookie.startsWith("mainloop_token=;") || setCookie.contains("Max-Age=0"), setCookie);
    }
}
