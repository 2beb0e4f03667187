package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;
import java.util.ArrayList;
import java.util.List;

/** Keeps every report in the order it was made. */
public final class RecordingReportSink implements ReportSink {

    private final List<NodeMessage> reports = new ArrayList<>();

    @Override
    public synchronized void report(NodeMessage report) {
        reports.add(report);
    }

    public synchronized List<NodeMessage> reports() {
        return List.copyOf(reports);
    }

    public synchronized <T extends NodeMessage> List<T> reportsOf(Class<T> type) {
        return reports.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
