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

    /** The credential whose current token hash is {@code tokenSha256}, or null. */
    public Uni<NodeCredential> byTokenHash(String tokenSha256) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from NodeCredential where tokenSha256 = ?1", NodeCredential.class)
            .setParameter(1, tokenSha256).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<Void> delete(NodeCredential credential) {
        return Panache.getSession().flatMap(s -> s.remove(credential));
    }

    public Uni<NodeCredential> persist(NodeCredential credential) {
        return Panache.getSession().flatMap(s -> s.persist(credential).replaceWith(credential));
    }
}
