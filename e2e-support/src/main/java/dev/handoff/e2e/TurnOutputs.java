package dev.handoff.e2e;

import dev.handoff.contracts.events.AgentOutput;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a turn's outputs and its end must agree on. ACP lets an agent send session/update notifications at any time,
 * and Claude Code sends the session's title ({@code session_info_update}) when its side request for it answers,
 * which may be after the turn ended. So: the turn's end names an output that exists, and everything after it is
 * information about the session, never the turn's content (text, thoughts, tool calls, plans).
 */
final class TurnOutputs {

    /** Updates about the session rather than the turn's content. */
    static final Set<String> ABOUT_THE_SESSION = Set.of("session_info_update", "available_commands_update",
        "current_mode_update", "usage_update");

    private TurnOutputs() {
    }

    /**
     * Every update of the agent session once, in order, none missing: each output holds the updates
     * {@code fromSequence()..sequence()} (the node joins text chunks), and those ranges follow each other from 1.
     */
    static void assertEveryUpdateOnce(List<AgentOutput> outputs) {
        List<AgentOutput> byStart = outputs.stream().sorted(Comparator.comparingLong(AgentOutput::fromSequence)).toList();
        long next = 1;
        for (AgentOutput output : byStart) {
            assertThat(output.fromSequence()).as("the first update of " + output.kind() + " " + output.sequence()
                + " (updates " + ranges(byStart) + ")").isEqualTo(next);
            assertThat(output.sequence()).isGreaterThanOrEqualTo(output.fromSequence());
            next = output.sequence() + 1;
        }
    }

    private static String ranges(List<AgentOutput> outputs) {
        return outputs.stream().map(o -> o.fromSequence() == o.sequence() ? String.valueOf(o.sequence())
            : o.fromSequence() + "-" + o.sequence()).toList().toString();
    }

    /** {@code outputs} hold updates 1..n; the turn ended after {@code lastSequence}. */
    static void assertTheTurnEndedAfterItsContent(List<AgentOutput> outputs, long lastSequence) {
        long last = outputs.stream().mapToLong(AgentOutput::sequence).max().orElse(0);
        assertThat(lastSequence).as("the turn's last output").isBetween(1L, last);
        assertThat(outputs.stream().filter(o -> o.sequence() > lastSequence).toList())
            .as("outputs after the turn's end")
            .allSatisfy(o -> assertThat(ABOUT_THE_SESSION).as(o.kind() + " " + o.update()).contains(o.kind()));
    }
}
