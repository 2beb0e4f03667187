package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** One user's model endpoint for one agent (a base URL; not a secret, so stored as it is). */
@Entity
@Table(name = "user_model_endpoint",
    uniqueConstraints = @UniqueConstraint(name = "uq_user_model_endpoint_owner_agent",
        columnNames = {"ownerId", "agent"}))
public class StoredModelEndpoint {

    @Id
    @GeneratedValue
    public Long id;

    @Column(nullable = false)
    public String ownerId;

    @Column(nullable = false, length = 64)
    public String agent;

    @Column(nullable = false, length = ModelEndpointLimits.MAX_URL_CHARS)
    public String url;

    @Column(nullable = false)
    public Instant setAt;

    /** The column's size, also the longest URL the settings API accepts. */
    public static final class ModelEndpointLimits {
        public static final int MAX_URL_CHARS = 2048;

        private ModelEndpointLimits() {
        }
    }
}
