package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What one user may hold at once; beyond a cap the request is answered {@code 429} naming the limit, and nothing is
 * created. Tasks and API tokens are counted in PostgreSQL (every replica agrees); live streams on each replica (see
 * {@link #streamsPerUserPerReplica()}). Attach tickets and nodes are counted by the provisioner, which holds them
 * ({@code handoff.provisioner.quota.*}).
 */
@ConfigMapping(prefix = "handoff.limits")
public interface UserLimitsConfig {

    /**
     * Tasks a user submitted that have not ended (not failed, cancelled or completed). A task whose turn ended
     * counts: its agent stays on a node waiting for a follow-up until the conversation goes idle.
     */
    @WithDefault("20")
    int openTasksPerUser();

    /**
     * Live session streams ({@code GET /api/sessions/{id}/stream}) one user has open on one chat-service replica.
     * Counted in this replica's memory, because what a stream costs (a connection, a database poll each
     * {@code handoff.stream.poll-interval}) is this replica's: with N replicas a user may hold N times this many.
     */
    @WithDefault("20")
    int streamsPerUserPerReplica();

    /** Personal API tokens a user holds that have not expired (revoked ones are deleted and do not count). */
    @WithDefault("50")
    int apiTokensPerUser();
}
