package dev.handoff.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A git server over smart HTTP that demands a token, as GitHub does: {@code git http-backend} (git's own CGI) behind
 * a JDK HTTP server on 127.0.0.1 that answers 401 with a Basic challenge unless the request carries
 * {@code x-access-token:<token>}. Serves the bare repositories under one directory, e.g. {@code <root>/acme/app.git}
 * at {@code http://127.0.0.1:<port>/acme/app.git}. For tests of private repositories (clone and push with a token).
 * Made with {@link #withoutToken} it serves everyone, like a public repository; {@link #failNextRequests} makes it
 * answer an HTTP error to the next requests, like a git server that is briefly down.
 */
public final class LocalGitHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final Path projectRoot;
    private final String expectedAuthorization;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;

    /** A server of public repositories: no token needed. */
    public static LocalGitHttpServer withoutToken(Path projectRoot) throws IOException {
        return new LocalGitHttpServer(projectRoot, null);
    }

    /** @param token the token every request must carry; null: none (public repositories) */
    public LocalGitHttpServer(Path projectRoot, String token) throws IOException {
        this.projectRoot = projectRoot;
        this.expectedAuthorization = token == null ? null : "Basic " + Base64.getEncoder().encodeToString(
            ("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL of the repository at {@code relativePath} under the root, e.g. {@code acme/app.git}. */
    public String url(String relativePath) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + relativePath;
    }

    /** The next {@code count} requests are answered {@code status} (e.g. 503) without touching a repository. */
    public void failNextRequests(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    /** Every request's method and path with query, e.g. {@code GET /app.git/info/refs?service=git-upload-pack}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Every Authorization header git sent (none when it did not try). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                exchange.sendResponseHeaders(failureStatus, -1);
                return;
            }
            if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            runBackend(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runBackend(HttpExchange exchange) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = builder.environment();
        env.put("GIT_PROJECT_ROOT", projectRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("REMOTE_USER", "x-access-token");
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? ""
            : exchange.getRequestURI().getRawQuery());
        putHeader(exchange, env, "Content-Type", "CONTENT_TYPE");
        putHeader(exchange, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
        putHeader(exchange, env, "Git-Protocol", "GIT_PROTOCOL");
        Process backend = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream stdin = backend.getOutputStream(); InputStream body = exchange.getRequestBody()) {
            body.transferTo(stdin);
        }
        byte[] output = backend.getInputStream().readAllBytes();
        backend.waitFor();
        int headerEnd = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int separator = 4;
        if (headerEnd < 0) {
            headerEnd = indexOf(output, "\n\n".getBytes(StandardCharsets.US_ASCII));
            separator = 2;
        }
        int status = 200;
        for (String line : new String(output, 0, headerEnd, StandardCharsets.UTF_8).split("\r?\n")) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.substring(0, 3));
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        int bodyStart = headerEnd + separator;
        int length = output.length - bodyStart;
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            exchange.getResponseBody().write(output, bodyStart, length);
        }
    }

    private static void putHeader(HttpExchange exchange, Map<String, String> env, String header, String variable) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(variable, value);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
