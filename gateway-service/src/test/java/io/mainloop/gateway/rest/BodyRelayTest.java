package io.mainloop.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the gateway passes on a service's error answer: a problem body as it was, an error page
 * that is not JSON (a proxy's HTML 502, say) as a problem with the same status.
 */
class BodyRelayTest {

    @Test
    void anErrorBodyThatIsNotJsonBecomesAProblemWithTheSameStatus() {
        Response answer = BodyRelay.passOn(502, Optional.of("text/html"), body("<html>bad gateway</html>"));
        assertEquals(502, answer.getStatus());
        assertEquals(Problem.MEDIA_TYPE, answer.getMediaType().toString());
        Problem problem = (Problem) answer.getEntity();
        assertEquals(502, problem.status());
        assertTrue(problem.detail().contains("answered 502"), problem.detail());

        Response untyped = BodyRelay.passOn(404, Optional.empty(), body("Not Found"));
        assertEquals(404, untyped.getStatus());
        assertEquals(Problem.MEDIA_TYPE, untyped.getMediaType().toString());
    }

    @Test
    void aProblemBodyIsPassedOnAsItWas() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"line 2: no timestamp\"}";
        Response answer = BodyRelay.passOn(400, Optional.of(Problem.MEDIA_TYPE), body(problem));
        assertEquals(400, answer.getStatus());
        assertEquals(Problem.MEDIA_TYPE, answer.getMediaType().toString());
        assertEquals(problem, answer.getEntity());

        Response empty = BodyRelay.passOn(404, Optional.of("text/html"), body(""));
        assertEquals(404, empty.getStatus());
        assertEquals(null, empty.getEntity(), "no body, none made up");
    }

    private static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
