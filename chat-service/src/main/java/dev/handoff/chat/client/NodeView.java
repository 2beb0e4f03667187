package dev.handoff.chat.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One node as {@code GET /api/nodes} shows it: status (provisioning, connected, disconnected, failed, deleting,
 * deleted), health (healthy, stale, lost; null once gone), size, provider, age, cost so far, how many tasks hold it,
 * and its latest heartbeat.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeView(String id, String provider, String size, String status, String health, int tasks,
                       Instant createdAt, long ageSeconds, Instant connectedAt, Instant lastSeenAt,
                       Instant warmSince, Instant warmUntil, Instant deletedAt, String deleteReason,
                       String failureReason, BigDecimal hourlyPrice, BigDecimal costSoFar, String currency,
                       Double loadAverage, Integer cpus, Long memoryTotalBytes, Long memoryAvailableBytes,
                       Long diskFreeBytes) {
}
