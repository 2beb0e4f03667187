package dev.handoff.gateway.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * How far the gateway has taken a node's current report stream: the highest report number whose event is
 * committed. Written in the same transaction as that event, so a report sent again after a reconnect is
 * recognised and dropped. A vm-agent process that starts anew opens a new stream, which replaces this one.
 */
@Entity
@Table(name = "node_report_stream")
public class NodeReportStream {

    @Id
    public String nodeId;

    /** The stream id the node's vm-agent process chose. */
    @Column(nullable = false, length = 64)
    public String stream;

    /** The highest report number of {@link #stream} taken; the next one must be this plus one. */
    public long lastNumber;

    public Instant updatedAt;

    @Version
    public long version;
}
