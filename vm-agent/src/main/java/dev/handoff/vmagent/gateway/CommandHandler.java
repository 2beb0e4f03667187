package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;

/**
 * Receives each command the gateway sends. Called on the WebSocket listener thread, so implementations
 * must hand the work to another thread and return at once.
 */
@FunctionalInterface
public interface CommandHandler {

    void handle(NodeMessage command);
}
