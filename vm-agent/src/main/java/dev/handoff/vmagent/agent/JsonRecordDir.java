package dev.handoff.vmagent.agent;

import dev.handoff.contracts.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A directory of small JSON records, one file per id, each replaced atomically and durably. */
final class JsonRecordDir<T> {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path dir;
    private final Class<T> type;

    JsonRecordDir(Path dir, Class<T> type) {
        this.dir = dir;
        this.type = type;
    }

    synchronized void write(String id, T record) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".record-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(record)));
                channel.force(true);
            }
            try {
                Files.move(temp, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(id), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    synchronized Optional<T> find(String id) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readValue(file(id).toFile(), type));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    synchronized void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    /** Every readable record; unreadable files are skipped (and left for inspection). */
    synchronized List<T> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<T> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    records.add(Json.MAPPER.readValue(file.toFile(), type));
                } catch (IOException e) {
                    // a torn or foreign file: not ours to act on
                }
            }
        }
        return records;
    }

    private Path file(String id) {
        if (id == null || !SAFE_ID.matcher(id).matches() || id.contains("..")) {
            throw new IllegalArgumentException("'" + id + "' is not a safe file name");
        }
        return dir.resolve(id + ".json");
    }
}
