package dev.handoff.provisioner.repository;

import dev.handoff.provisioner.NodeStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Nodes and the requests waiting on or holding them. */
@ApplicationScoped
public class NodeRepository {

    /** The first key of the owner's attach lock (the second is the owner's id hashed). */
    private static final int ATTACH_LOCK_NAMESPACE = 0x41545401;

    private static final List<NodeStatus> EXISTING =
        List.of(NodeStatus.PROVISIONING, NodeStatus.CONNECTED, NodeStatus.DISCONNECTED);

    public Uni<Node> node(String id) {
        return Panache.getSession().flatMap(s -> s.find(Node.class, id));
    }

    /** The owner's nodes that still exist (provisioning, connected, disconnected), newest first. */
    public Uni<List<Node>> existingOf(String ownerId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from Node where ownerId = ?1 and status in (?2) order by createdAt desc", Node.class)
            .setParameter(1, ownerId).setParameter(2, EXISTING).getResultList());
    }

    /**
     * Holds {@code ownerId}'s attach lock until the transaction ends: attaches of one owner (on any replica) count
     * their machines one after the other, each seeing what the one before committed.
     */
    public Uni<Void> lockAttachesOf(String ownerId) {
        return Panache.getSession().flatMap(s -> s
            .createNativeQuery("select count(*) from pg_advisory_xact_lock(" + ATTACH_LOCK_NAMESPACE
                + ", hashtext(:owner))", Long.class)
            .setParameter("owner", ownerId).getSingleResult()).replaceWithVoid();
    }

    /**
     * Nodes of {@code providers} committed before {@code createdBefore} whose launch was never recorded: still
     * provisioning, no provider handle (process id, server id).
     */
    public Uni<List<Node>> unlaunched(List<String> providers, Instant createdBefore) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from Node where status = ?1 and providerRef is null and provider in (?2)"
                + " and createdAt < ?3 order by createdAt", Node.class)
            .setParameter(1, NodeStatus.PROVISIONING).setParameter(2, providers).setParameter(3, createdBefore)
            .getResultList());
    }

    /** Every node that still exists, or is being deleted. */
    public Uni<List<Node>> existingOrDeleting() {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from Node where status in (?1) order by createdAt", Node.class)
            .setParameter(1, List.of(NodeStatus.PROVISIONING, NodeStatus.CONNECTED, NodeStatus.DISCONNECTED,
                NodeStatus.DELETING)).getResultList());
    }

    /** Nodes for the node list: the owner's (every owner's when null), newest first, deleted ones included. */
    public Uni<List<Node>> listed(String ownerId) {
        return listed(ownerId, 500, null);
    }

    /**
     * At most {@code limit} of the owner's nodes (every owner's when null), newest first (ties by id), those after
     * {@code after} in that order when it is given.
     */
    public Uni<List<Node>> listed(String ownerId, int limit, Node after) {
        StringBuilder query = new StringBuilder("from Node where 1 = 1");
        if (ownerId != null) {
            query.append(" and ownerId = :owner");
        }
        if (after != null) {
            query.append(" and (createdAt < :afterAt or (createdAt = :afterAt and id < :afterId))");
        }
        query.append(" order by createdAt desc, id desc");
        return Panache.getSession().flatMap(s -> {
            var q = s.createQuery(query.toString(), Node.class).setMaxResults(limit);
            if (ownerId != null) {
                q.setParameter("owner", ownerId);
            }
            if (after != null) {
                q.setParameter("afterAt", after.createdAt).setParameter("afterId", after.id);
            }
            return q.getResultList();
        });
    }

    /** Per node id, how many tasks hold or wait for it now (requests not released). */
    public Uni<Map<String, Integer>> holdingCounts() {
        return Panache.getSession().flatMap(s -> s
            .createQuery("select nodeId, count(*) from NodeRequest where releasedAt is null group by nodeId",
                Object[].class).getResultList())
            .map(rows -> {
                Map<String, Integer> counts = new HashMap<>();
                for (Object[] row : rows) {
                    counts.put((String) row[0], ((Number) row[1]).intValue());
                }
                return counts;
            });
    }

    public Uni<List<NodeRequest>> waitingOn(String nodeId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeRequest where nodeId = ?1 and answeredAt is null order by requestedAt",
                NodeRequest.class)
            .setParameter(1, nodeId).getResultList());
    }

    /** The task's requests that still hold or wait for a node. */
    public Uni<List<NodeRequest>> heldBy(String taskId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeRequest where taskId = ?1 and releasedAt is null", NodeRequest.class)
            .setParameter(1, taskId).getResultList());
    }

    /** The requests that still hold or wait for the node. */
    public Uni<List<NodeRequest>> heldOn(String nodeId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeRequest where nodeId = ?1 and releasedAt is null", NodeRequest.class)
            .setParameter(1, nodeId).getResultList());
    }

    /** The task's latest granted request (the node it got), or null. */
    public Uni<NodeRequest> grantedTo(String taskId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeRequest where taskId = ?1 and granted = true order by requestedAt desc",
                NodeRequest.class)
            .setParameter(1, taskId).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The tasks a node was granted to, newest first. */
    public Uni<List<NodeRequest>> grantedOn(String nodeId) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeRequest where nodeId = ?1 and granted = true order by requestedAt desc",
                NodeRequest.class)
            .setParameter(1, nodeId).getResultList());
    }

    public <T> Uni<T> persist(T entity) {
        return Panache.getSession().flatMap(s -> s.persist(entity).replaceWith(entity));
    }
}
