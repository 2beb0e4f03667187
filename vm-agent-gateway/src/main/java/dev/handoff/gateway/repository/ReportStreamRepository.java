package dev.handoff.gateway.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Each node's report stream position. */
@ApplicationScoped
public class ReportStreamRepository {

    public Uni<NodeReportStream> find(String nodeId) {
        return Panache.getSession().flatMap(s -> s.find(NodeReportStream.class, nodeId));
    }

    public Uni<NodeReportStream> persist(NodeReportStream position) {
        return Panache.getSession().flatMap(s -> s.persist(position).replaceWith(position));
    }
}
