package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** A person at an OpenID Connect provider (issuer and subject, as in the ID token) linked to a Handoff account. */
@Entity
@Table(name = "oidc_link", uniqueConstraints = @UniqueConstraint(columnNames = {"issuer", "subject"}))
public class OidcLink {

    @Id
    public String id;

    /** The ID token's {@code iss}. */
    @Column(nullable = false, length = 1000)
    public String issuer;

    /** The ID token's {@code sub}: stable and unique per issuer (an email may change, a subject does not). */
    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String userId;

    @Column(nullable = false)
    public Instant createdAt;
}
