package dev.handoff.chat.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;
import java.time.Instant;

/** The node a task got and what it cost the task (the node's hourly price times the time the task held it). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskNodeView(String nodeId, String provider, String size, Instant heldSince, Instant releasedAt,
                           BigDecimal cost, String currency) {
}
