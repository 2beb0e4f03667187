package dev.handoff.chat.auth;

import dev.handoff.chat.repository.AccountRepository;
import dev.handoff.chat.repository.BrowserSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;

/** Server-side browser sessions behind the {@code handoff_session} cookie. */
@ApplicationScoped
public class BrowserSessionService {

    public static final String COOKIE = "handoff_session";

    @Inject
    AccountRepository accounts;

    @Inject
    AuthConfig config;

    /** Stores a new session for the user; returns the cookie value (stored only as its hash). */
    public Uni<String> open(AuthenticatedUser user) {
        String value = OpaqueSecrets.random256();
        Instant now = Instant.now();
        BrowserSession session = new BrowserSession();
        session.idHash = OpaqueSecrets.sha256(value);
        session.userId = user.id();
        session.createdAt = now;
        session.expiresAt = now.plus(config.sessionTtl());
        return Panache.withTransaction(() -> accounts.deleteExpiredSessions(now)
            .flatMap(ignored -> accounts.persist(session))).replaceWith(value);
    }

    /** The user whose unexpired session the cookie value names, or null. */
    public Uni<AuthenticatedUser> userOf(String cookieValue) {
        return Panache.withSession(() -> accounts.userOfSession(OpaqueSecrets.sha256(cookieValue), Instant.now()))
            .map(account -> account == null ? null : AuthenticatedUser.of(account));
    }

    public Uni<Void> end(String cookieValue) {
        return Panache.withTransaction(() -> accounts.deleteSession(OpaqueSecrets.sha256(cookieValue)))
            .replaceWithVoid();
    }

    /**
     * The {@code Set-Cookie} value that hands the browser its session.
     *
     * @param request its host ({@code Host} over HTTP/1.1, {@code :authority} over HTTP/2): {@code Secure} unless it
     *                names this machine (see {@link AuthConfig#secureCookie()})
     */
    public String cookie(String value, HttpServerRequest request) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + config.sessionTtl().toSeconds()
            + "; HttpOnly; SameSite=Strict" + (secure(request) ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser forget its session. */
    public String expiredCookie(HttpServerRequest request) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure(request) ? "; Secure" : "");
    }

    private boolean secure(HttpServerRequest request) {
        return config.secureCookie().orElseGet(() -> !LoopbackHosts.isLoopback(
            request == null || request.authority() == null ? null : request.authority().host()));
    }
}
