package dev.handoff.provisioner.rest;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One node as the nodes API shows it. {@code health} is null for a node that no longer exists; {@code tasks} is
 * how many tasks hold it now; {@code costSoFar} is its hourly price times its age (until deleted).
 */
public record NodeView(String id, String ownerId, String provider, String size, String status, String health,
                       int tasks, Instant createdAt, long ageSeconds, Instant connectedAt, Instant lastSeenAt,
                       Instant warmSince, Instant warmUntil, Instant deletedAt, String deleteReason,
                       String failureReason, BigDecimal hourlyPrice, BigDecimal costSoFar, String currency,
                       Double loadAverage, Integer cpus, Long memoryTotalBytes, Long memoryAvailableBytes,
                       Long diskFreeBytes) {
}
