package dev.handoff.chat.auth;

import dev.handoff.chat.repository.AccountRepository;
import dev.handoff.chat.repository.ApiToken;
import dev.handoff.chat.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Personal API tokens ({@code hnd_} + 256 random bits), used as {@code Authorization: Bearer}. */
@ApplicationScoped
public class ApiTokenService {

    public static final String PREFIX = "hnd_";

    /** A token just issued: the only time its value is known. */
    public record IssuedToken(ApiToken token, String value) {
    }

    /** The owner of a bearer token, or why there is none. */
    public record TokenCheck(AuthenticatedUser user, boolean expired) {
    }

    @Inject
    AccountRepository accounts;

    @Inject
    AuthConfig config;

    /** @param expiresInDays null for {@code handoff.auth.tokens.default-expires-in-days} */
    public Uni<IssuedToken> issue(AuthenticatedUser user, String name, Integer expiresInDays) {
        int max = config.tokens().maxExpiresInDays();
        int days = expiresInDays == null ? config.tokens().defaultExpiresInDays() : expiresInDays;
        if (days < 1 || days > max) {
            throw ApiException.invalid("expiresInDays", "expiresInDays must be between 1 and " + max);
        }
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("name", "name is required and must not be empty");
        }
        if (name.length() > 200) {
            throw ApiException.invalid("name", "name is longer than 200 characters");
        }
        String value = PREFIX + OpaqueSecrets.random256();
        ApiToken token = new ApiToken();
        token.id = UUID.randomUUID().toString();
        token.userId = user.id();
        token.name = name.strip();
        token.tokenHash = OpaqueSecrets.sha256(value);
        token.prefix = value.substring(0, PREFIX.length() + 4);
        token.createdAt = Instant.now();
        token.expiresAt = token.createdAt.plus(Duration.ofDays(days));
        return Panache.withTransaction(() -> accounts.persist(token)).map(t -> new IssuedToken(t, value));
    }

    public Uni<List<ApiToken>> list(AuthenticatedUser user) {
        return Panache.withSession(() -> accounts.tokensOf(user.id()));
    }

    /** 404 when the id is not one of the user's tokens. */
    public Uni<Void> revoke(AuthenticatedUser user, String tokenId) {
        return Panache.withTransaction(() -> accounts.deleteToken(user.id(), tokenId)).map(deleted -> {
            if (deleted == 0) {
                throw ApiException.notFound("no token " + tokenId);
            }
            return null;
        });
    }

    /** The user the bearer token belongs to (user null when unknown or revoked), or that it expired. */
    public Uni<TokenCheck> check(String value) {
        TokenCheck none = new TokenCheck(null, false);
        if (!value.startsWith(PREFIX)) {
            return Uni.createFrom().item(none);
        }
        return Panache.withSession(() -> accounts.tokenByHash(OpaqueSecrets.sha256(value)).flatMap(token -> {
            if (token == null) {
                return Uni.createFrom().item(none);
            }
            if (token.expiredAt(Instant.now())) {
                return Uni.createFrom().item(new TokenCheck(null, true));
            }
            return accounts.userById(token.userId)
                .map(account -> account == null ? none : new TokenCheck(AuthenticatedUser.of(account), false));
        }));
    }
}
