package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.handoff.contracts.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What became of each follow-up prompt (SendPrompt), on disk ({@code <work>/prompts/<promptId>.json}, replaced
 * atomically), so a redelivered SendPrompt, also after the vm-agent restarted, never writes the prompt twice. A
 * prompt is recorded {@code accepted} before anything is written to an agent, then {@code delivered} (with the
 * agent session and how it was reached) once it is on the agent's stdin.
 */
public final class PromptLog {

    /** The answer to a prompt accepted by a vm-agent that ended before it confirmed the delivery. */
    public static final String LOST_ON_RESTART = "the follow-up was lost when the node restarted";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** A prompt's recorded state. */
    public enum State {
        @JsonProperty("accepted") ACCEPTED,
        @JsonProperty("delivered") DELIVERED
    }

    /** One prompt's record. */
    public record Prompt(String promptId, String deliveryId, State state, String agentSessionId, String how,
                         Instant updatedAt) {
    }

    private final Path dir;

    public PromptLog(Path dir) {
        this.dir = dir;
    }

    /** The prompt's record, or empty when this node never accepted it. */
    public synchronized Optional<Prompt> find(String promptId) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readValue(file(promptId).toFile(), Prompt.class));
        } catch (NoSuchFileException | FileNotFoundException e) {
            return Optional.empty();
        }
    }

    public synchronized void recordAccepted(String promptId, String deliveryId) throws IOException {
        write(new Prompt(promptId, deliveryId, State.ACCEPTED, null, null, Instant.now()));
    }

    public synchronized void recordDelivered(String promptId, String deliveryId, String agentSessionId, String how)
        throws IOException {
        write(new Prompt(promptId, deliveryId, State.DELIVERED, agentSessionId, how, Instant.now()));
    }

    private void write(Prompt prompt) throws IOException {
        Files.createDirectories(dir);
        Path target = file(prompt.promptId());
        Path temp = Files.createTempFile(dir, ".prompt-", ".tmp");
        try {
            Files.write(temp, Json.MAPPER.writeValueAsBytes(prompt));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Path file(String promptId) {
        if (promptId == null || !SAFE_ID.matcher(promptId).matches() || promptId.contains("..")) {
            throw new IllegalArgumentException("promptId '" + promptId + "' is not a safe file name");
        }
        return dir.resolve(promptId + ".json");
    }
}
