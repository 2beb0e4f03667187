package dev.handoff.servicekit.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event written in the same transaction as the state change it reports; the relay publishes it. */
@Entity
@Table(name = "outbox_event", indexes = @Index(name = "ix_outbox_pending", columnList = "publishedAt, position"))
public class OutboxEvent {

    /** Publication order. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long position;

    @Column(nullable = false, unique = true)
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    @Column(nullable = false)
    public String kafkaKey;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false, columnDefinition = "text")
    public String value;

    public String traceparent;

    @Column(nullable = false)
    public Instant createdAt;

    /** Set once the broker acknowledged the record. */
    public Instant publishedAt;
}
