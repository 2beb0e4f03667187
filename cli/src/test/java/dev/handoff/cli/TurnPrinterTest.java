package dev.handoff.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's streaming against a fake API whose assistant message grows between polls. */
class TurnPrinterTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void printsAGrowingMessageOnceAndStopsWhenTheTurnEnds() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        List<String> texts = List.of("Hel", "Hello wor", "Hello world.", "Hello world.");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/tasks/t1", exchange -> answer(exchange,
            "{\"status\":\"" + (polls.get() >= 4 ? "turn_ended" : "running") + "\",\"timeline\":["
                + (polls.get() >= 4 ? "{\"status\":\"turn_ended\"}" : "") + "]}"));
        server.createContext("/api/sessions/s1/messages", exchange -> {
            long after = Long.parseLong(exchange.getRequestURI().getQuery().replaceAll("after=(\\d+).*", "$1"));
            int state = Math.min(polls.getAndIncrement(), 3);
            List<String> messages = new ArrayList<>();
            if (after < 2) {
                messages.add("{\"seq\":2,\"role\":\"assistant\",\"content\":\"" + texts.get(state)
                    + "\",\"complete\":" + (state >= 2) + "}");
            }
            if (state >= 2 && after < 3) {
                messages.add("{\"seq\":3,\"role\":\"tool\",\"content\":\"Read file\",\"data\":{\"status\":\""
                    + (state >= 3 ? "completed" : "in_progress") + "\"},\"complete\":true}");
            }
            answer(exchange, "{\"sessionId\":\"s1\",\"taskId\":\"t1\",\"messages\":["
                + String.join(",", messages) + "]}");
        });
        server.start();
        StringWriter printed = new StringWriter();
        ApiClient api = new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "hnd_x");

        String status = new TurnPrinter(api, new PrintWriter(printed), Duration.ofMillis(10)).startAfter(1)
            .printUntilTurnEnds("t1", "s1", 0);

        assertThat(status).isEqualTo("turn_ended");
        assertThat(printed.toString()).contains("Hello world.\n[tool] Read file (in_progress)").containsOnlyOnce("Hel")
            .contains("[tool] Read file (in_progress)").contains("[tool] Read file (completed)");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
