package io.mainloop.support.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A consumed event, recorded so that its redelivery is recognised and skipped. Maps the table
 * {@code processed_event} (event_id uuid primary key, topic text, processed_at timestamptz) in
 * the service's default schema ({@code quarkus.hibernate-orm.database.default-schema}); each
 * consuming service creates that table with its own Flyway migration. A service without the
 * table (gateway-service) has the entity mapped but never touches it: keep its schema
 * management at {@code none}.
 */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
