package dev.handoff.chat.auth;

import dev.handoff.chat.repository.AccountRepository;
import dev.handoff.chat.repository.ApiToken;
import dev.handoff.chat.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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

    @Inject
    AccountRepository accounts;

    public Uni<IssuedToken> issue(AuthenticatedUser user, String name) {
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

    /** The user the bearer token belongs to, or null. */
    public Uni<AuthenticatedUser> userOf(String value) {
        if (!value.startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return Panache.withSession(() -> accounts.userOfToken(OpaqueSecrets.sha256(value)))
            .map(account -> account == null ? null : AuthenticatedUser.of(account));
    }
}
