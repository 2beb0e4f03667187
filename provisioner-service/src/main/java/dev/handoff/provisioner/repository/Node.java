package dev.handoff.provisioner.repository;

import dev.handoff.provisioner.NodeStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;

/** A machine that runs a vm-agent for Handoff. */
@Entity
@Table(name = "node")
public class Node {

    @Id
    public String id;

    @Column(nullable = false)
    public String provider;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public NodeStatus status;

    /** The user it belongs to ({@code local}: the single local user). */
    public String ownerId;

    /** The owner is an operator (null: not, or a node made before the flag): a local node gets the model keys. */
    public Boolean ownerOperator;

    /** small, medium or large; null for an attached machine (fits any size). */
    public String size;

    /** Its price per hour (0 for local and attached nodes), from the price table when it was created. */
    @Column(precision = 12, scale = 6)
    public BigDecimal hourlyPrice;

    /** Since when it has no task (warm); null while a task holds it. */
    public Instant warmSince;

    public Instant deletedAt;

    /** Why it was deleted. */
    @Column(columnDefinition = "text")
    public String deleteReason;

    /** The task whose request created it. */
    public String createdForTask;

    /** The provider's handle for it (a process id for local nodes). */
    public String providerRef;

    @Column(columnDefinition = "text")
    public String failureReason;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant connectedAt;

    /** When it was last heard from: its latest heartbeat, or its connection. */
    public Instant lastSeenAt;

    /** From its latest heartbeat: load average over one minute (negative: unknown). */
    public Double loadAverage;

    public Integer cpus;

    public Long memoryTotalBytes;

    public Long memoryAvailableBytes;

    /** Free space of the vm-agent's work directory. */
    public Long diskFreeBytes;

    @Version
    public long version;
}
