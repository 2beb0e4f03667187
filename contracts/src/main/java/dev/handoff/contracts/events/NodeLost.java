package dev.handoff.contracts.events;

/**
 * The node a task held is gone (deleted through its provider, e.g. by its owner) while the task still held it;
 * one event per task that held it, keyed by that task. The orchestrator ends the task: failed when the agent was
 * at work, completed when its turn had ended.
 */
public record NodeLost(String reason) implements EventPayload {
}
