package dev.handoff.chat.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/** Queries over teams and their members. */
@ApplicationScoped
public class TeamRepository {

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }

    /** The team, locked until the transaction ends, so membership changes of one team run one at a time. */
    public Uni<Team> lock(String teamId) {
        return session().flatMap(s -> s.find(Team.class, teamId, LockMode.PESSIMISTIC_WRITE));
    }

    /** The user's membership of the team, or null. */
    public Uni<TeamMember> membership(String teamId, String userId) {
        return session().flatMap(s -> s.createQuery("from TeamMember where teamId = ?1 and userId = ?2",
                TeamMember.class)
            .setParameter(1, teamId).setParameter(2, userId).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The teams {@code userId} is in, each with their membership, by name. */
    public Uni<List<Object[]>> teamsOf(String userId) {
        return session().flatMap(s -> s.createQuery("select t, m from Team t, TeamMember m"
                + " where m.teamId = t.id and m.userId = ?1 order by lower(t.name), t.id", Object[].class)
            .setParameter(1, userId).getResultList());
    }

    /** The team's members, each with their account, owners first, then by email. */
    public Uni<List<Object[]>> membersOf(String teamId) {
        return session().flatMap(s -> s.createQuery("select m, u from TeamMember m, UserAccount u"
                + " where m.teamId = ?1 and u.id = m.userId order by m.role desc, u.email", Object[].class)
            .setParameter(1, teamId).getResultList());
    }

    public Uni<Long> countOwners(String teamId) {
        return session().flatMap(s -> s.createQuery("select count(m) from TeamMember m"
                + " where m.teamId = ?1 and m.role = 'owner'", Long.class)
            .setParameter(1, teamId).getSingleResult());
    }

    public Uni<UserAccount> userByEmail(String email) {
        return session().flatMap(s -> s.createQuery("from UserAccount where email = ?1", UserAccount.class)
            .setParameter(1, email).getResultList()).map(list -> list.isEmpty() ? null : list.get(0));
    }

    public <T> Uni<T> persist(T entity) {
        return session().flatMap(s -> s.persist(entity).replaceWith(entity));
    }

    public Uni<Void> remove(Object entity) {
        return session().flatMap(s -> s.remove(entity));
    }

    /** Deletes the team and its memberships; its projects become their creators' own again. */
    public Uni<Void> deleteTeam(String teamId) {
        return session().flatMap(s -> s.createMutationQuery("update Project set teamId = null where teamId = ?1")
                .setParameter(1, teamId).executeUpdate()
            .flatMap(n -> s.createMutationQuery("delete from TeamMember where teamId = ?1")
                .setParameter(1, teamId).executeUpdate())
            .flatMap(n -> s.createMutationQuery("delete from Team where id = ?1")
                .setParameter(1, teamId).executeUpdate()))
            .replaceWithVoid();
    }
}
