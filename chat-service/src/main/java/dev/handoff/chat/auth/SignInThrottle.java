package dev.handoff.chat.auth;

import dev.handoff.chat.rest.ApiException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Throttles password sign-in per account and per client address ({@code handoff.auth.sign-in.throttle}): each attempt
 * is counted in PostgreSQL ({@code sign_in_attempt}, one atomic upsert for both subjects, so every replica agrees)
 * before its password is checked; beyond the limit of either the answer is 429 with Retry-After until the window
 * ends. A correct password clears the account's count and takes its attempt back from the address.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);

    /** Counts one attempt for each subject, starting a new window when the old one is over. */
    private static final String COUNT = """
        insert into sign_in_attempt as a (subject, window_started_at, attempts)
        values ($1, now(), 1), ($2, now(), 1)
        on conflict (subject) do update set
          attempts = case when a.window_started_at <= now() - make_interval(secs => $3) then 1 else a.attempts + 1 end,
          window_started_at = case when a.window_started_at <= now() - make_interval(secs => $3) then now()
                                   else a.window_started_at end
        returning subject, attempts,
          ceil(extract(epoch from (window_started_at + make_interval(secs => $3) - now())))::int as seconds_left
        """;

    private static final String TAKE_BACK = """
        update sign_in_attempt set attempts = greatest(attempts - 1, 0) where subject = $1
        """;

    private static final String CLEAR = "delete from sign_in_attempt where subject = $1";

    /** Old windows, deleted now and then so the table holds only the current ones. */
    private static final String PURGE =
        "delete from sign_in_attempt where window_started_at <= now() - make_interval(secs => $1)";

    @Inject
    Pool client;

    @Inject
    SignInConfig config;

    @Inject
    Vertx vertx;

    /** The two subjects one sign-in counts against. */
    public record Subjects(String account, String address) {
    }

    public static Subjects subjects(String normalizedEmail, String clientAddress) {
        return new Subjects("account:" + sha256(normalizedEmail), "address:" + clientAddress);
    }

    /** Counts the attempt; fails with 429 (Retry-After) when the account or the address is over its limit. */
    public Uni<Void> admit(Subjects subjects) {
        double window = config.throttle().window().toSeconds();
        return client.preparedQuery(COUNT).execute(Tuple.of(subjects.account(), subjects.address(), window))
            .map(rows -> {
                int retryAfter = 0;
                for (Row row : rows) {
                    boolean account = row.getString("subject").equals(subjects.account());
                    int limit = account ? config.throttle().perAccount() : config.throttle().perAddress();
                    if (row.getInteger("attempts") > limit) {
                        retryAfter = Math.max(retryAfter, Math.max(1, row.getInteger("seconds_left")));
                    }
                }
                if (retryAfter > 0) {
                    LOG.infof("sign-in throttled for %s (retry after %d s)", subjects.address(), retryAfter);
                    throw ApiException.retryLater(429, "too many sign-in attempts; try again in " + retryAfter
                        + " seconds", retryAfter);
                }
                return null;
            });
    }

    /** The password was right: the account starts afresh and the address gets its attempt back. */
    public Uni<Void> succeeded(Subjects subjects) {
        return client.preparedQuery(CLEAR).execute(Tuple.of(subjects.account()))
            .flatMap(r -> client.preparedQuery(TAKE_BACK).execute(Tuple.of(subjects.address())))
            .replaceWithVoid();
    }

    /** The password was never checked (hashing was full): both attempts are taken back. */
    public Uni<Void> notChecked(Subjects subjects) {
        return client.preparedQuery(TAKE_BACK).execute(Tuple.of(subjects.account()))
            .flatMap(r -> client.preparedQuery(TAKE_BACK).execute(Tuple.of(subjects.address())))
            .replaceWithVoid();
    }

    /** Deletes ended windows once per window, so the table holds only current ones. */
    void purgeEveryWindow(@Observes StartupEvent start) {
        vertx.setPeriodic(config.throttle().window().toMillis(), id -> purge().subscribe().with(done -> {
        }, failure -> LOG.warnf("old sign-in attempts not purged: %s", failure.getMessage())));
    }

    Uni<Void> purge() {
        return client.preparedQuery(PURGE).execute(Tuple.of((double) config.throttle().window().toSeconds()))
            .replaceWithVoid();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
