package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How long a task's turn_ended status may wait for its output to reach the chat: the status and the output arrive
 * on different topics, and the task shows its turn ended only once the chat holds the turn's last output.
 */
@ConfigMapping(prefix = "handoff.chat.turn-end")
public interface TurnEndConfig {

    /**
     * The longest a turn_ended status waits for the turn's output; then it is shown anyway (output that never comes,
     * e.g. lost with a node, must not keep the task running forever). Output the node sent is never lost, only late
     * (a loaded chat-service was seen seconds behind a fast agent), so the wait is generous.
     */
    @WithDefault("PT1M")
    Duration maxWait();

    /** How often held statuses past their wait are looked for ({@code handoff.chat.turn-end.sweep-interval}). */
    @WithDefault("1s")
    Duration sweepInterval();
}
