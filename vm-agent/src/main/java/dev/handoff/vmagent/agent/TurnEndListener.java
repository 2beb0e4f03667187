package dev.handoff.vmagent.agent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import dev.handoff.contracts.node.NodeMessage.StartAgent;

/**
 * Told each time an agent's turn ended normally (not when it was stopped); must return quickly, with a stage that
 * completes when its work for that turn is done (the next prompt of the session waits for it).
 */
public interface TurnEndListener {

    TurnEndListener NONE = (command, stopReason) -> CompletableFuture.completedFuture(null);

    CompletionStage<?> onTurnEnded(StartAgent command, String stopReason);
}
