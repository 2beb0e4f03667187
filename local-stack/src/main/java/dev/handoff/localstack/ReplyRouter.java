package dev.handoff.localstack;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One fake model shared by many tests, each with its own behaviour: a test registers a {@link ReplyScript} for a
 * marker (a string only its prompts contain, such as a random id in its task text) and every request whose user
 * text contains the marker is answered by that script; any other request by the fallback. The fake model runs in
 * the test JVM, so a test's script may block, count or record as it likes. Thread-safe.
 */
public final class ReplyRouter implements ReplyScript {

    /** A registered route; closing it removes it. */
    public final class Route implements AutoCloseable {
        private final String marker;
        private final ReplyScript script;

        private Route(String marker, ReplyScript script) {
            this.marker = marker;
            this.script = script;
        }

        public String marker() {
            return marker;
        }

        @Override
        public void close() {
            routes.remove(this);
        }
    }

    private final ReplyScript fallback;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public ReplyRouter(ReplyScript fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /** Requests whose user text contains {@code marker} get {@code script}'s answers until the route is closed. */
    public Route route(String marker, ReplyScript script) {
        if (marker == null || marker.isBlank()) {
            throw new IllegalArgumentException("a route needs a non-blank marker");
        }
        Route route = new Route(marker, Objects.requireNonNull(script, "script"));
        routes.add(route);
        return route;
    }

    @Override
    public Reply reply(MessagesRequest request) {
        String text = request.allUserText();
        for (Route route : routes) {
            if (text.contains(route.marker)) {
                return route.script.reply(request);
            }
        }
        return fallback.reply(request);
    }
}
