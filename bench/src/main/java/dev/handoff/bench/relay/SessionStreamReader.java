package dev.handoff.bench.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.bench.node.OutputPlan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client on {@code GET /api/sessions/{id}/stream}, as the web page is: it reads the Server-Sent Events and notes,
 * for each chunk of the simulated agent's reply, when it first arrived ({@link System#nanoTime} when the event's
 * data line was read). It understands the stream's {@code message} events (the assistant message as stored) and
 * {@code append} events (text added to a message), so it measures both shapes.
 */
public final class SessionStreamReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long[] arrivedAt;
    private final long[] storedAtMillis;
    private final CountDownLatch complete = new CountDownLatch(1);
    private final Thread reader;
    private volatile InputStream body;
    private volatile long seen;
    private volatile long events;
    private volatile long bytes;
    private volatile Exception failure;

    /** Opens the stream from revision 0 and reads it on its own thread until {@link #close}. */
    public SessionStreamReader(HttpClient http, HttpRequest.Builder stream, long chunks) {
        this.arrivedAt = new long[(int) chunks + 1];
        this.storedAtMillis = new long[(int) chunks + 1];
        HttpRequest request = stream.header("Accept", "text/event-stream").GET().build();
        reader = new Thread(() -> read(http, request), "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            body = response.body();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String event = "message";
            StringBuilder data = new StringBuilder();
            long dataAt = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                bytes += line.length() + 1;
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        onEvent(event, data.toString(), dataAt);
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() == 0) {
                        dataAt = System.nanoTime();
                    } else {
                        data.append('\n');
                    }
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
        } catch (IOException e) {
            if (complete.getCount() > 0 && body != null) {
                failure = e;
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    private void onEvent(String name, String data, long at) throws IOException {
        events++;
        JsonNode json = JSON.readTree(data);
        if (!"assistant".equals(json.path("role").asText())) {
            return;
        }
        long storedAt = json.hasNonNull("updatedAt") ? Instant.parse(json.path("updatedAt").asText()).toEpochMilli() : 0;
        if ("message".equals(name)) {
            arrived(OutputPlan.chunksIn(json.path("content").asText()), at, storedAt);
        } else if ("append".equals(name)) {
            long upTo = (json.path("offset").asLong() + json.path("text").asText().length()) / OutputPlan.CHUNK_WIDTH;
            arrived(upTo, at, storedAt);
        }
    }

    private void arrived(long upTo, long at, long storedAt) {
        long limit = Math.min(upTo, arrivedAt.length - 1);
        for (long i = seen + 1; i <= limit; i++) {
            arrivedAt[(int) i] = at;
            storedAtMillis[(int) i] = storedAt;
        }
        if (limit > seen) {
            seen = limit;
        }
        if (seen == arrivedAt.length - 1) {
            complete.countDown();
        }
    }

    /** Waits until every chunk arrived; false after {@code seconds}. */
    public boolean awaitAll(long seconds) throws InterruptedException {
        return complete.await(seconds, TimeUnit.SECONDS);
    }

    /** Index = chunk number from 1; 0 where it never arrived. */
    public long[] arrivedAt() {
        return arrivedAt;
    }

    /**
     * Index = chunk number from 1: when chat-service stored the message change that brought the chunk (the
     * message's {@code updatedAt}, epoch ms, taken in the transaction that folded it); 0 where unknown.
     */
    public long[] storedAtMillis() {
        return storedAtMillis;
    }

    public long seen() {
        return seen;
    }

    public long events() {
        return events;
    }

    /** Characters of the stream read (SSE framing included). */
    public long bytes() {
        return bytes;
    }

    public Exception failure() {
        return failure;
    }

    @Override
    public void close() {
        complete.countDown();
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing a stream we stop reading
            }
        }
        reader.interrupt();
    }
}
