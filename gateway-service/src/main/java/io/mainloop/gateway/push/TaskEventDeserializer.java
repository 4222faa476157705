package io.mainloop.gateway.push;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.TaskEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link TaskEvent} records for pushes; an unreadable one goes to the dead-letter topic. */
public class TaskEventDeserializer extends ObjectMapperDeserializer<TaskEvent> {
    public TaskEventDeserializer() {
        super(TaskEvent.class, EventJson.mapper());
    }
}
