package dev.handoff.localstack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Writes each recorded request to {@code dir/NNNN-<path>.json} (debugging aid for the fake model). */
public final class RequestLogWriter implements Consumer<RecordedRequest> {

    private final Path dir;
    private final AtomicInteger counter = new AtomicInteger();

    public RequestLogWriter(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(RecordedRequest r) {
        ObjectNode node = FakeAnthropicServer.JSON.createObjectNode();
        node.put("receivedAt", r.receivedAt().toString()).put("method", r.method()).put("path", r.path())
                .put("query", r.query());
        node.set("headers", FakeAnthropicServer.JSON.valueToTree(r.headers()));
        if (r.body() != null) {
            node.set("body", r.body());
        } else {
            node.put("rawBody", r.rawBody());
        }
        String name = String.format("%04d-%s-%s.json", counter.incrementAndGet(), r.method(),
                r.path().replaceAll("[^A-Za-z0-9]+", "_"));
        try {
            Files.writeString(dir.resolve(name), FakeAnthropicServer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            System.err.println("cannot log request: " + e);
        }
    }
}
