package dev.handoff.gateway.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Node credentials. */
@ApplicationScoped
public class CredentialRepository {

    public Uni<NodeCredential> find(String nodeId) {
        return Panache.getSession().flatMap(s -> s.find(NodeCredential.class, nodeId));
    }

    public Uni<Void> delete(NodeCredential credential) {
        return Panache.getSession().flatMap(s -> s.remove(credential));
    }

    public Uni<NodeCredential> persist(NodeCredential credential) {
        return Panache.getSession().flatMap(s -> s.persist(credential).replaceWith(credential));
    }
}
