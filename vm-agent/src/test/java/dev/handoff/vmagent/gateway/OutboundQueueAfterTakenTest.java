package dev.handoff.vmagent.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeMessage.Ack;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueAfterTakenTest {

    @Test
    void anActionRunsOnceEveryReportQueuedBeforeItIsAcknowledged() {
        var queue = new OutboundQueue();
        List<String> ran = new ArrayList<>();
        queue.afterTaken(() -> ran.add("nothing pending"));
        assertThat(ran).containsExactly("nothing pending");

        queue.report(new AgentFailedReport("cmd-1", "task-1", "delivery-1", "one"));
        queue.report(new AgentFailedReport("cmd-2", "task-1", "delivery-1", "two"));
        queue.afterTaken(() -> ran.add("after two"));
        queue.report(new AgentFailedReport("cmd-3", "task-1", "delivery-1", "three"));

        queue.acknowledge(new Ack(queue.stream(), 1));
        assertThat(ran).containsExactly("nothing pending");
        queue.acknowledge(new Ack("another-stream", 3));
        assertThat(ran).containsExactly("nothing pending");
        queue.acknowledge(new Ack(queue.stream(), 2));
        assertThat(ran).containsExactly("nothing pending", "after two");
        queue.acknowledge(new Ack(queue.stream(), 3));
        assertThat(ran).hasSize(2);
        queue.close();
    }
}
