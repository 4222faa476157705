package io.mainloop.gateway.push;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A browser that subscribed to pushes (table {@code gateway.push_subscription}): the browser's
 * {@code PushSubscription} (W3C Push API) as it sent it, and the thread whose events it gets.
 */
@Entity
@Table(name = "push_subscription")
public class PushSubscriptionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The thread whose events are pushed to this browser: that of the caller who subscribed it. */
    @Column(name = "thread_id", nullable = false)
    public String threadId;

    /** The push service's URL for this browser (RFC 8030 push resource); unique. */
    @Column(nullable = false, unique = true)
    public String endpoint;

    /** The browser's P-256 public key (65-byte uncompressed point, base64url; RFC 8291 {@code ua_public}). */
    @Column(nullable = false)
    public String p256dh;

    /** The browser's 16-byte authentication secret, base64url (RFC 8291 {@code auth_secret}). */
    @Column(nullable = false)
    public String auth;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When a push was last accepted by the push service (2xx); null before the first. */
    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    /** Pushes refused or lost since it subscribed (any answer but 2xx, 404 and 410; timeouts). */
    @Column(nullable = false)
    public int failures;
}
