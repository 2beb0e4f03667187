package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;

/** Where the node's reports to the gateway go. Implementations must not block and must keep call order. */
@FunctionalInterface
public interface ReportSink {

    void report(NodeMessage report);
}
