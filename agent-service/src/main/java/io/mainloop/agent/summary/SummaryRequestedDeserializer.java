package io.mainloop.agent.summary;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.SummaryRequested;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link SummaryRequested} records; unreadable ones go to the dead-letter topic. */
public class SummaryRequestedDeserializer extends ObjectMapperDeserializer<SummaryRequested> {
    public SummaryRequestedDeserializer() {
        super(SummaryRequested.class, EventJson.mapper());
    }
}
