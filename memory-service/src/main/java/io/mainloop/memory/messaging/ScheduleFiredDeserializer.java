package io.mainloop.memory.messaging;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.ScheduleFired;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link ScheduleFired} records; an unreadable one goes to the dead-letter topic. */
public class ScheduleFiredDeserializer extends ObjectMapperDeserializer<ScheduleFired> {
    public ScheduleFiredDeserializer() {
        super(ScheduleFired.class, EventJson.mapper());
    }
}
