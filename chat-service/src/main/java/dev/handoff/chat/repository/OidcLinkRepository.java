package dev.handoff.chat.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Queries over the links between OIDC identities and accounts. */
@ApplicationScoped
public class OidcLinkRepository {

    /** The account linked to this issuer and subject, or null. */
    public Uni<UserAccount> userLinkedTo(String issuer, String subject) {
        return Panache.getSession().flatMap(s -> s.createQuery("select u from UserAccount u, OidcLink l"
                + " where l.issuer = ?1 and l.subject = ?2 and u.id = l.userId", UserAccount.class)
            .setParameter(1, issuer).setParameter(2, subject).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** Whether any OIDC identity is linked to the account. */
    public Uni<Boolean> hasLink(String userId) {
        return Panache.getSession().flatMap(s -> s.createQuery("select count(l) from OidcLink l where l.userId = ?1",
                Long.class).setParameter(1, userId).getSingleResult())
            .map(count -> count > 0);
    }
}
