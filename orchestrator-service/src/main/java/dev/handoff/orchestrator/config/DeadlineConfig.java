package dev.handoff.orchestrator.config;

import dev.handoff.orchestrator.saga.StepDeadlines;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long each step of a task may take. Defaults suit real clouds, where a new VM can take minutes. */
@ConfigMapping(prefix = "handoff.deadlines")
public interface DeadlineConfig {

    /** From NodeRequested to NodeReady. */
    @WithDefault("PT15M")
    Duration node();

    /** From WorkspaceRequested to WorkspaceReady. */
    @WithDefault("PT30M")
    Duration workspace();

    /** From AgentStartRequested to AgentStarted. */
    @WithDefault("PT5M")
    Duration agentStart();

    /** From AgentStarted to the agent's first output. */
    @WithDefault("PT5M")
    Duration firstOutput();

    /** No output for this long while running: the task shows as stalled. */
    @WithDefault("PT30M")
    Duration stallNotice();

    /** No output for this long while running: the task fails. */
    @WithDefault("PT2H")
    Duration stallLimit();

    /** The longest a task may run. */
    @WithDefault("PT24H")
    Duration ceiling();

    /** From the cancel request sent to the node to its confirmation; then the task is cancelled anyway. */
    @WithDefault("PT2M")
    Duration cancel();

    /**
     * A conversation with no follow-up for this long after its last turn is over: its agent is stopped, the task
     * completed and its node released (warm for reuse, then deleted).
     */
    @WithDefault("PT2H")
    Duration conversationIdle();

    /** How often tasks are checked against their deadlines. */
    @WithDefault("1s")
    String sweepInterval();

    default StepDeadlines steps() {
        return new StepDeadlines(node(), workspace(), agentStart(), firstOutput(), stallNotice(), stallLimit(),
            ceiling(), cancel(), conversationIdle());
    }
}
