package dev.handoff.chat.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.List;

/** Queries over user accounts, browser sessions and API tokens. */
@ApplicationScoped
public class AccountRepository {

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }

    public Uni<UserAccount> userByEmail(String email) {
        return session().flatMap(s -> s.createQuery("from UserAccount where email = ?1", UserAccount.class)
            .setParameter(1, email).getResultList()).map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The user of an unexpired browser session, or null. */
    public Uni<UserAccount> userOfSession(String idHash, Instant now) {
        return session().flatMap(s -> s.createQuery("select u from UserAccount u, BrowserSession b"
                + " where b.idHash = ?1 and b.expiresAt > ?2 and u.id = b.userId", UserAccount.class)
            .setParameter(1, idHash).setParameter(2, now).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The API token with this hash, or null. */
    public Uni<ApiToken> tokenByHash(String tokenHash) {
        return session().flatMap(s -> s.createQuery("from ApiToken where tokenHash = ?1", ApiToken.class)
            .setParameter(1, tokenHash).getResultList()).map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<UserAccount> userById(String userId) {
        return session().flatMap(s -> s.find(UserAccount.class, userId));
    }

    public Uni<List<ApiToken>> tokensOf(String userId) {
        return session().flatMap(s -> s.createQuery("from ApiToken where userId = ?1 order by createdAt, id",
            ApiToken.class).setParameter(1, userId).getResultList());
    }

    /** @return how many tokens were deleted (0 when the id is not one of the user's tokens) */
    public Uni<Integer> deleteToken(String userId, String tokenId) {
        return session().flatMap(s -> s.createMutationQuery("delete from ApiToken where id = ?1 and userId = ?2")
            .setParameter(1, tokenId).setParameter(2, userId).executeUpdate());
    }

    public Uni<Integer> deleteSession(String idHash) {
        return session().flatMap(s -> s.createMutationQuery("delete from BrowserSession where idHash = ?1")
            .setParameter(1, idHash).executeUpdate());
    }

    /**
     * Sets the account's password hash, but only while it is still {@code expectedHash} (the one just checked).
     *
     * @return 1 when replaced, 0 when the account's hash had changed meanwhile
     */
    public Uni<Integer> replacePasswordHash(String userId, String expectedHash, String newHash) {
        return session().flatMap(s -> s.createMutationQuery(
                "update UserAccount set passwordHash = ?1 where id = ?2 and passwordHash = ?3")
            .setParameter(1, newHash).setParameter(2, userId).setParameter(3, expectedHash).executeUpdate());
    }

    /**
     * Ends every browser session of the user but the one whose id hash is {@code keptIdHash} (null: all of them).
     *
     * @return how many ended
     */
    public Uni<Integer> deleteSessionsOfUserExcept(String userId, String keptIdHash) {
        String keep = keptIdHash == null ? "" : " and idHash <> ?2";
        return session().flatMap(s -> {
            var query = s.createMutationQuery("delete from BrowserSession where userId = ?1" + keep)
                .setParameter(1, userId);
            if (keptIdHash != null) {
                query.setParameter(2, keptIdHash);
            }
            return query.executeUpdate();
        });
    }

    /** Removes sessions that expired before {@code now}. */
    public Uni<Integer> deleteExpiredSessions(Instant now) {
        return session().flatMap(s -> s.createMutationQuery("delete from BrowserSession where expiresAt <= ?1")
            .setParameter(1, now).executeUpdate());
    }

    public <T> Uni<T> persist(T entity) {
        return session().flatMap(s -> s.persist(entity).replaceWith(entity));
    }
}
