package io.mainloop.memory.messaging;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.SummaryResult;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link SummaryResult} records; an unreadable one goes to the dead-letter topic. */
public class SummaryResultDeserializer extends ObjectMapperDeserializer<SummaryResult> {
    public SummaryResultDeserializer() {
        super(SummaryResult.class, EventJson.mapper());
    }
}
