package dev.handoff.provisioner.rest;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The node a task got and what it cost the task: the node's hourly price times the time the task held it
 * ({@code heldSince} until {@code releasedAt}, or until now while it holds it).
 */
public record TaskNodeView(String nodeId, String provider, String size, Instant heldSince, Instant releasedAt,
                           BigDecimal cost, String currency) {
}
