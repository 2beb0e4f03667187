package dev.handoff.vmagent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's reconnect secret on disk ({@code <work>/node-credentials.json}, mode 0600, replaced atomically), so a
 * vm-agent that restarts (crash, upgrade, reboot) rejoins the gateway as the same node: its one-time token is spent
 * after the first Welcome. Written before the vm-agent sends anything on the connection that brought the secret, so
 * the gateway may take any later frame as proof the node keeps the new secret. The secret is never logged.
 */
public final class NodeCredentials {

    /** The file's name in the work directory. */
    public static final String FILE_NAME = "node-credentials.json";

    private static final Logger LOG = Logger.getLogger(NodeCredentials.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final String nodeId;

    public NodeCredentials(Path workDir, String nodeId) {
        this.file = workDir.resolve(FILE_NAME);
        this.nodeId = nodeId;
    }

    /** The file, for tests and logs (never its content). */
    public Path file() {
        return file;
    }

    /**
     * The reconnect secret this node kept, or empty when there is none (first start) or it belongs to another node
     * id. A file readable by others is narrowed to 0600 first.
     */
    public synchronized Optional<String> reconnectSecret() {
        JsonNode stored;
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                LOG.log(Level.WARNING, "{0} was readable by others; narrowing it to 0600", file);
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            stored = Json.MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot read {0}: {1}; saying hello with the token", new Object[] {file,
                e.getClass().getSimpleName()});
            return Optional.empty();
        }
        String storedNode = stored == null ? null : stored.path("nodeId").asText(null);
        String secret = stored == null ? null : stored.path("reconnectSecret").asText(null);
        if (!nodeId.equals(storedNode) || secret == null || secret.isBlank()) {
            LOG.log(Level.WARNING, "{0} holds no reconnect secret for node {1}; ignoring it", new Object[] {file,
                nodeId});
            return Optional.empty();
        }
        return Optional.of(secret);
    }

    /** Keeps {@code reconnectSecret}, replacing the one kept before; durable when this returns. */
    public synchronized void keep(String reconnectSecret) throws IOException {
        ObjectNode content = Json.MAPPER.createObjectNode()
            .put("nodeId", nodeId)
            .put("reconnectSecret", reconnectSecret);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".node-credentials-", ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(content)));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return "NodeCredentials[" + file + "]";
    }
}
