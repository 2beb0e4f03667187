package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signed-in browser. Only the SHA-256 of the cookie's random value is kept, so a database copy signs no one in. */
@Entity
@Table(name = "browser_session")
public class BrowserSession {

    /** Hex SHA-256 of the {@code handoff_session} cookie value. */
    @Id
    @Column(length = 64)
    public String idHash;

    @Column(nullable = false)
    public String userId;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant expiresAt;
}
