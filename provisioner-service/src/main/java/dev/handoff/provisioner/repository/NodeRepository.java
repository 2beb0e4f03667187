package dev.handoff.provisioner.repository;

import dev.handoff.provisioner.NodeStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Nodes and the requests waiting on them. */
@ApplicationScoped
public class NodeRepository {

    public Uni<Node> node(String id) {
        return Panache.getSession().flatMap(s -> s.find(Node.class, id));
    }

    /** A node of {@code provider} that is connected or on its way, newest first. */
    public Uni<Node> reusable(String provider) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from Node where provider = ?1 and status in (?2, ?3) order by status, createdAt desc",
                Node.class)
            .setParameter(1, provider).setParameter(2, NodeStatus.CONNECTED).setParameter(3, NodeStatus.PROVISIONING)
            .setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<List<NodeRequest>> waitingOn(String nodeId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeRequest where nodeId = ?1 and answeredAt is null order by requestedAt",
                NodeRequest.class)
            .setParameter(1, nodeId).getResultList());
    }

    public <T> Uni<T> persist(T entity) {
        return Panache.getSession().flatMap(s -> s.persist(entity).replaceWith(entity));
    }
}
