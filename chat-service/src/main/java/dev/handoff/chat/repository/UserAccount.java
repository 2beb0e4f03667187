package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A person who signs in to Handoff. The password is kept only as an Argon2id hash (see PasswordHasher). */
@Entity
@Table(name = "user_account")
public class UserAccount {

    @Id
    public String id;

    /** Lower-cased; unique. */
    @Column(nullable = false, unique = true, length = 320)
    public String email;

    @Column(nullable = false)
    public String name;

    /** Operators may use the operations endpoints (dead letters). */
    @Column(nullable = false)
    public boolean operator;

    /** {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}; null for an account that signs in only through OIDC. */
    @Column(length = 512)
    public String passwordHash;

    @Column(nullable = false)
    public Instant createdAt;
}
