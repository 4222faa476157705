package io.mainloop.gateway.rest;

import io.mainloop.gateway.service.Caller;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The authenticated caller of the current request and the thread that is theirs, as
 * {@link OwnerFilter} found them: every resource reads its thread here, never from configuration,
 * so nothing of one identity's thread reaches another.
 */
@RequestScoped
public class CallerThread {

    @Inject
    CurrentVertxRequest request;

    /**
     * The caller of this request.
     *
     * @throws IllegalStateException outside an authenticated request (OwnerFilter lets none through)
     */
    public Caller caller() {
        RoutingContext rc = request.getCurrent();
        Caller caller = rc == null ? null : rc.get(Caller.ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }

    /** The caller's thread id. */
    public String threadId() {
        return caller().threadId();
    }
}
