package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * Password sign-in attempts of one account or one client address in the current throttle window, in PostgreSQL so
 * every replica counts the same attempts. Written by {@code auth/SignInThrottle} with one atomic upsert.
 */
@Entity
@Table(name = "sign_in_attempt")
public class SignInAttempt {

    /** {@code account:<hex SHA-256 of the email>} or {@code address:<IP address>}. */
    @Id
    @Column(length = 100)
    public String subject;

    @Column(name = "window_started_at", nullable = false)
    public Instant windowStartedAt;

    @Column(nullable = false)
    public int attempts;
}
