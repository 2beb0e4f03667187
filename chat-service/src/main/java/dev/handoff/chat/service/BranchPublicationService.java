package dev.handoff.chat.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Task;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Brings a published branch to the user: the task keeps the branch, commit, pull request URL and publish result
 * (shown by {@code GET /api/tasks/{id}}), and the chat gets a system message whose {@code data.kind} is
 * {@code pull_request}, {@code branch_pushed}, {@code nothing_to_commit} or {@code push_failed}.
 */
@ApplicationScoped
public class BranchPublicationService {

    private static final Logger LOG = Logger.getLogger(BranchPublicationService.class);

    static final String CONSUMER = "chat-publication";

    @Inject
    ChatRepository repository;

    @Inject
    EventTransactions transactions;

    public Uni<Void> applyBranchPublished(Envelope event) {
        BranchPublished published = event.payload(BranchPublished.class);
        return transactions.applyOnce(CONSUMER, event, () -> record(event, published).replaceWith(Outcome.none()))
            .replaceWithVoid();
    }

    private Uni<Void> record(Envelope event, BranchPublished published) {
        return repository.find(Task.class, event.taskId()).flatMap(task -> {
            if (task == null) {
                LOG.warnf("published branch for unknown task %s ignored", event.taskId());
                return Uni.createFrom().voidItem();
            }
            // A later turn with nothing new keeps what an earlier one published.
            if (published.branch() != null) {
                task.branch = published.branch();
            }
            if (published.commit() != null) {
                task.commitSha = published.commit();
            }
            if (published.pullRequestUrl() != null) {
                task.pullRequestUrl = published.pullRequestUrl();
            }
            task.publishResult = published.result();
            task.updatedAt = Instant.now();
            return addMessage(task.sessionId, published, event.occurredAt());
        });
    }

    private Uni<Void> addMessage(String sessionId, BranchPublished published, Instant at) {
        return repository.find(ChatSession.class, sessionId).flatMap(session -> {
            ChatMessage message = new ChatMessage();
            message.sessionId = sessionId;
            message.seq = ++session.lastMessageSeq;
            message.role = "system";
            message.content = text(published);
            message.data = data(published).toString();
            message.complete = true;
            message.createdAt = at != null ? at : Instant.now();
            return repository.persist(message.changedIn(session)).replaceWithVoid();
        });
    }

    /** The message's {@code data.kind}. */
    static String kind(BranchPublished published) {
        return switch (published.result()) {
            case BranchPublished.PUSHED -> published.pullRequestUrl() != null ? "pull_request" : "branch_pushed";
            case BranchPublished.NOTHING_TO_COMMIT -> "nothing_to_commit";
            default -> "push_failed";
        };
    }

    static String text(BranchPublished published) {
        String because = published.reason() != null ? " (" + published.reason() + ")" : "";
        return switch (kind(published)) {
            case "pull_request" -> "Pull request: " + published.pullRequestUrl() + " (branch " + published.branch()
                + ").";
            case "branch_pushed" -> "Pushed the work to branch " + published.branch() + because + ".";
            case "nothing_to_commit" -> "Nothing to commit: the agent changed no files.";
            default -> "The work was not pushed: " + published.reason();
        };
    }

    private static ObjectNode data(BranchPublished published) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("kind", kind(published))
            .put("result", published.result());
        putIfPresent(data, "branch", published.branch());
        putIfPresent(data, "commit", published.commit());
        putIfPresent(data, "pullRequestUrl", published.pullRequestUrl());
        putIfPresent(data, "reason", published.reason());
        return data;
    }

    private static void putIfPresent(ObjectNode data, String field, String value) {
        if (value != null) {
            data.put(field, value);
        }
    }
}
