package dev.handoff.gateway.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** What the gateway needs to admit a node: hashes of its one-time token and of its reconnect secret. */
@Entity
@Table(name = "node_credential")
public class NodeCredential {

    @Id
    public String nodeId;

    @Column(nullable = false, length = 64)
    public String tokenSha256;

    @Column(nullable = false)
    public Instant tokenExpiresAt;

    /** Set when the token was used; a used token never admits anyone again. */
    public Instant tokenUsedAt;

    /** Issued with the first Welcome; admits the same node when it reconnects. */
    @Column(length = 64)
    public String reconnectSha256;

    /**
     * The secret the node last proved it holds. It stays valid next to the newest one, which the node may never
     * have received if its connection died before the Welcome reached it.
     */
    @Column(length = 64)
    public String previousReconnectSha256;

    public Instant lastHelloAt;

    @Version
    public long version;
}
