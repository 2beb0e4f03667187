package dev.handoff.gateway.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** What the gateway needs to admit a node: hashes of its one-time token and of its reconnect secret. */
@Entity
@Table(name = "node_credential", indexes = @jakarta.persistence.Index(name = "node_credential_token",
    columnList = "tokenSha256"))
public class NodeCredential {

    @Id
    public String nodeId;

    @Column(nullable = false, length = 64)
    public String tokenSha256;

    @Column(nullable = false)
    public Instant tokenExpiresAt;

    /**
     * The token is a cloud VM's bootstrap token: not accepted in a hello, only exchanged once
     * ({@code POST /nodes/bootstrap/node-token}) for the node token, whose hash then replaces it.
     */
    public Boolean bootstrap;

    /** When the bootstrap token was exchanged for the node token. */
    public Instant bootstrapExchangedAt;

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
