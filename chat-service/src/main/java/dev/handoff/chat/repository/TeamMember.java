package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** One user's membership of one team, with their role ({@code owner} or {@code member}, see TeamRoles). */
@Entity
@Table(name = "team_member",
    uniqueConstraints = @UniqueConstraint(name = "uq_team_member_team_user", columnNames = {"teamId", "userId"}),
    indexes = @Index(name = "ix_team_member_user", columnList = "userId"))
public class TeamMember {

    @Id
    public String id;

    @Column(nullable = false)
    public String teamId;

    @Column(nullable = false)
    public String userId;

    @Column(nullable = false, length = 16)
    public String role;

    @Column(nullable = false)
    public Instant addedAt;
}
