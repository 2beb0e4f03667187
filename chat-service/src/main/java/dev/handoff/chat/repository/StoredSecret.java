package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** One user's secret, encrypted (AES-256-GCM): the plaintext is never stored. */
@Entity
@Table(name = "user_secret",
    uniqueConstraints = @UniqueConstraint(name = "uq_user_secret_owner_name", columnNames = {"ownerId", "name"}))
public class StoredSecret {

    @Id
    @GeneratedValue
    public Long id;

    @Column(nullable = false)
    public String ownerId;

    @Column(nullable = false, length = 64)
    public String name;

    /** The id of the key that encrypted it. */
    @Column(nullable = false, length = 64)
    public String keyId;

    @Column(nullable = false)
    public byte[] iv;

    @Column(nullable = false)
    public byte[] ciphertext;

    @Column(nullable = false)
    public Instant setAt;
}
