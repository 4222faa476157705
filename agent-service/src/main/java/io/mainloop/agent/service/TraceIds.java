package io.mainloop.agent.service;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The OpenTelemetry trace id of the work at hand (a turn's trace, carried from the gateway through Kafka). */
final class TraceIds {

    private TraceIds() {
    }

    /** The current trace id (32 hex digits), or null outside a trace. */
    static String current() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
