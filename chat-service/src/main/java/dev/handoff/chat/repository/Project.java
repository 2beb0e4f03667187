package dev.handoff.chat.repository;

import dev.handoff.contracts.vocabulary.PermissionPolicy;
import dev.handoff.contracts.vocabulary.NodeSize;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.time.Instant;

/** A git repository a user runs tasks on, with its defaults. */
@Entity
@Table(name = "project", indexes = @Index(name = "ix_project_team", columnList = "teamId"))
public class Project {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false, length = 2048)
    public String repositoryUrl;

    @Column(nullable = false)
    public String defaultBranch;

    @Column(nullable = false)
    public String defaultAgent;

    @Column(nullable = false)
    public Instant createdAt;

    /** The user who created the project (or moved it into its team). A personal project (no team) is seen only
     * by them. Null only on projects from before accounts existed, which no one owns. */
    public String ownerId;

    /** The team the project belongs to, or null for a personal project: then every member of the team sees it and
     * what belongs to it (and its creator only while a member). */
    @Column(length = 64)
    public String teamId;

    /** {@code allow} (null in rows from before the setting: allow) or {@code ask}. */
    @Column(length = 16)
    public String permissionPolicy;

    /** The node size a task asks for: small, medium or large; null counts as small. */
    public String defaultNodeSize;

    /** The node size in force: {@code small} unless the project chose another. */
    public String effectiveNodeSize() {
        return NodeSize.orDefault(defaultNodeSize).wireName();
    }

    /** The policy in force: {@code allow} unless the project asks. */
    public String effectivePermissionPolicy() {
        return PermissionPolicy.orDefault(permissionPolicy).wireName();
    }
}
