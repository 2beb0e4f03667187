package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A personal API token for scripts and the CLI. Only its SHA-256 is kept; the token itself is shown once. */
@Entity
@Table(name = "api_token")
public class ApiToken {

    @Id
    public String id;

    @Column(nullable = false)
    public String userId;

    @Column(nullable = false)
    public String name;

    /** Hex SHA-256 of the whole token. */
    @Column(nullable = false, unique = true, length = 64)
    public String tokenHash;

    /** The token's first characters ({@code hnd_} and 4 more), so a user can tell their tokens apart. */
    @Column(nullable = false)
    public String prefix;

    @Column(nullable = false)
    public Instant createdAt;

    /** When the token stops working; null for tokens issued before tokens expired (they keep working). */
    public Instant expiresAt;

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
