package dev.handoff.vmagent.agent;

import dev.handoff.contracts.node.NodeMessage.StartAgent;

/** Told each time an agent's turn ended normally (not when it was stopped); must return quickly. */
public interface TurnEndListener {

    TurnEndListener NONE = (command, stopReason) -> { };

    void onTurnEnded(StartAgent command, String stopReason);
}
