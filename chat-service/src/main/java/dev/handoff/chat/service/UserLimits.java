package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;
import dev.handoff.contracts.vocabulary.TaskStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The per-user caps of {@link UserLimitsConfig} that are counted in PostgreSQL. Each admit runs inside the
 * transaction that then creates the thing counted: it first takes a transaction-scoped advisory lock on the user
 * and what is counted, so two requests of one user (on any replica) count one after the other and the second sees
 * the first's row; then it counts, and fails with {@code 429} at the cap.
 */
@ApplicationScoped
public class UserLimits {

    /** The first key of the advisory locks taken here (the second is the user's id hashed). */
    private static final int LOCK_NAMESPACE_TASKS = 0x4c494d01;
    private static final int LOCK_NAMESPACE_TOKENS = 0x4c494d02;

    private static final List<TaskStatus> ENDED = Arrays.stream(TaskStatus.values())
        .filter(TaskStatus::isTerminal).toList();

    @Inject
    UserLimitsConfig config;

    /** Within the caller's transaction: 429 when {@code userId} has {@code open-tasks-per-user} tasks not ended. */
    public Uni<Void> admitTask(String userId) {
        int limit = config.openTasksPerUser();
        return lock(LOCK_NAMESPACE_TASKS, userId).flatMap(locked -> Panache.getSession().flatMap(s -> s
                .createQuery("select count(t) from Task t where t.submittedBy = :user and t.status not in (:ended)",
                    Long.class)
                .setParameter("user", userId).setParameter("ended", ENDED).getSingleResult()))
            .map(open -> {
                if (open >= limit) {
                    throw reached("open tasks", open, limit, "handoff.limits.open-tasks-per-user",
                        "wait until one ends or cancel one (POST /api/tasks/{id}/cancel)");
                }
                return null;
            });
    }

    /** Within the caller's transaction: 429 when {@code userId} holds {@code api-tokens-per-user} live tokens. */
    public Uni<Void> admitApiToken(String userId) {
        int limit = config.apiTokensPerUser();
        return lock(LOCK_NAMESPACE_TOKENS, userId).flatMap(locked -> Panache.getSession().flatMap(s -> s
                .createQuery("select count(t) from ApiToken t where t.userId = :user"
                    + " and (t.expiresAt is null or t.expiresAt > :now)", Long.class)
                .setParameter("user", userId).setParameter("now", Instant.now()).getSingleResult()))
            .map(held -> {
                if (held >= limit) {
                    throw reached("API tokens", held, limit, "handoff.limits.api-tokens-per-user",
                        "revoke one first (DELETE /api/tokens/{id})");
                }
                return null;
            });
    }

    /**
     * The answer for a request over a cap: {@code 429}, the message naming what is over its limit, the limit and the
     * setting, e.g. "limit reached: you have 20 of 20 open tasks (handoff.limits.open-tasks-per-user); wait until
     * one ends or cancel one (POST /api/tasks/{id}/cancel)".
     */
    public static ApiException reached(String what, long have, int limit, String setting, String remedy) {
        return new ApiException(429, null, "limit reached: you have " + have + " of " + limit + " " + what
            + " (" + setting + "); " + remedy);
    }

    /** Until the transaction ends; the count after it reads what every earlier holder committed. */
    private static Uni<Long> lock(int namespace, String userId) {
        return Panache.getSession().flatMap(s -> s
            .createNativeQuery("select count(*) from pg_advisory_xact_lock(" + namespace + ", hashtext(:user))",
                Long.class)
            .setParameter("user", userId).getSingleResult());
    }
}
