package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;

/** Where the node's reports to the gateway go. Implementations must not block and must keep call order. */
@FunctionalInterface
public interface ReportSink {

    void report(NodeMessage report);

    /**
     * Runs {@code action} once every report passed to this sink so far is safely with the gateway (acknowledged);
     * a sink without acknowledgements runs it at once.
     */
    default void afterTaken(Runnable action) {
        action.run();
    }
}
