package io.mainloop.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/**
 * How the gateway answers with what a service answered through its REST clients: status and body
 * as they were, and an error page that is not JSON (e.g. the HTML 404 of a service that has no
 * such endpoint yet) as a problem with the same status.
 */
class ForwardingTest {

    @Test
    void anHtmlErrorPageBecomesAProblemWithTheSameStatus() {
        Response answer = Forwarding.answered(404, "text/html", "<html><body><h1>Resource not found</h1></body></html>",
                "application/json");
        assertEquals(404, answer.getStatus());
        assertEquals(Problem.MEDIA_TYPE, answer.getMediaType().toString());
        assertEquals(new Problem("about:blank", "Not Found", 404, "the service behind the gateway answered 404"),
                answer.getEntity());
    }

    @Test
    void anErrorBodyWithoutATypeBecomesAProblemToo() {
        Response answer = Forwarding.answered(502, null, "Bad Gateway", "application/json");
        assertEquals(502, answer.getStatus());
        assertEquals(Problem.MEDIA_TYPE, answer.getMediaType().toString());
        assertEquals(new Problem("about:blank", "Bad Gateway", 502, "the service behind the gateway answered 502"),
                answer.getEntity());
    }

    @Test
    void jsonAndProblemBodiesPassAsTheyWereAndAnEmptyOneStaysEmpty() {
        String problem = "{\"status\":409,\"detail\":\"the heartbeat is built in\"}";
        Response conflict = Forwarding.answered(409, Problem.MEDIA_TYPE, problem, "application/json");
        assertEquals(409, conflict.getStatus());
        assertEquals(Problem.MEDIA_TYPE, conflict.getMediaType().toString());
        assertEquals(problem, conflict.getEntity());

        Response created = Forwarding.answered(201, null, "{\"id\":\"x\"}", "application/json");
        assertEquals(201, created.getStatus());
        assertEquals("application/json", created.getMediaType().toString());

        Response deleted = Forwarding.answered(204, "application/json", null, "application/json");
        assertEquals(204, deleted.getStatus());
        assertNull(deleted.getEntity());
    }
}
