package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A group of users who share projects; who is in it and with which role is in {@link TeamMember}. */
@Entity
@Table(name = "team")
public class Team {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public Instant createdAt;
}
