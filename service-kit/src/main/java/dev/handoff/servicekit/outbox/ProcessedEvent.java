package dev.handoff.servicekit.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.time.Instant;

/** An event a consumer has applied; written in the same transaction as the effect. */
@Entity
@Table(name = "processed_event", indexes = @Index(name = "ix_processed_event_at", columnList = "processedAt"))
public class ProcessedEvent {

    /** {@code <consumer>:<eventId>}. */
    @Id
    @Column(length = 120)
    public String id;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public Instant processedAt;
}
