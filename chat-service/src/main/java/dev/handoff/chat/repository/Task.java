package dev.handoff.chat.repository;

import jakarta.persistence.Convert;
import dev.handoff.contracts.vocabulary.TaskStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;

/**
 * The user's view of a task: what was asked, and the status the orchestrator last reported. Updates write only the
 * changed columns ({@code @DynamicUpdate}): status and published branch come from two consumers at once, and a
 * full-row update by one would put back the other's stale values.
 */
@Entity
@DynamicUpdate
@Table(name = "task")
public class Task {

    @Id
    public String id;

    @Column(nullable = false)
    public String projectId;

    @Column(nullable = false)
    public String sessionId;

    @Column(nullable = false)
    public String agent;

    /** The user who submitted the task: it runs on their nodes with their secrets, also in a team's project. Null
     * in rows from before teams (then the project's owner). */
    public String submittedBy;

    @Column(nullable = false)
    @Convert(converter = TaskStatusColumn.class)
    public TaskStatus status;

    public String stopReason;

    @Column(columnDefinition = "text")
    public String failureReason;

    /** The handoff/... branch the node pushed the task's work to (BranchPublished). */
    public String branch;

    /** The branch's last published commit ("commit" is an SQL keyword, hence the column name). */
    public String commitSha;

    @Column(columnDefinition = "text")
    public String pullRequestUrl;

    /** The last publish's result: pushed, nothing_to_commit or failed. */
    public String publishResult;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /**
     * When the user's cancel was taken (TaskCancelRequested staged); a second cancel, also one racing the first,
     * then changes nothing. Cancels of the same task serialize on the session row's version.
     */
    public Instant cancelRequestedAt;

    /**
     * A turn_ended status that came before the chat held the turn's output (status and output arrive on different
     * topics): the event (as on Kafka), applied once the transcript reaches {@link #heldUntilSequence} or when it
     * has waited {@code handoff.chat.turn-end-wait}. Null when nothing is held.
     */
    @Column(columnDefinition = "text")
    public String heldStatusEvent;

    /** The agent output sequence the held status waits for. */
    public Long heldUntilSequence;

    /** Since when the status is held (the wait's deadline counts from here). */
    public Instant heldSince;
}
