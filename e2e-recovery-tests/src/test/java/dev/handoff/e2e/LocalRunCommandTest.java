package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.LocalGitRepository;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command, as a new user types it: {@code bin/handoff-local} (here with free ports and its own
 * folder) starts Handoff, says plainly that the built-in demo model answers when ANTHROPIC_API_KEY is unset, prints
 * the web chat's URL first (what to open, and the page is there), then the operator's sign-in (a generated password
 * kept in the work folder, mode 600) and the API, serves a task there to that signed-in operator, and stops
 * everything on SIGTERM (Ctrl-C).
 */
class LocalRunCommandTest {

    private static final Pattern WEB_CHAT_URL =
        Pattern.compile("^\\s*Web chat:\\s+(http://\\S+?)/?\\s+\\(open it in a browser\\)$");
    private static final Pattern SIGN_IN = Pattern.compile("Sign in:\\s+(\\S+@\\S+) / (\\S+)");

    @Test
    void theRunCommandStartsHandoffWithTheDemoModelAndServesATask() throws Exception {
        Path root = Path.of(System.getProperty("handoff.root"));
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("local-run-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(work);
        String repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));

        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("bin/handoff-local").toString(),
            "--random-ports", "--work", work.resolve("handoff").toString())
            .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().remove("ANTHROPIC_API_KEY");
        Process handoff = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture.runAsync(() -> {
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(handoff.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (Exception e) {
                output.add("(output closed: " + e + ")");
            }
        });
        try {
            await("the run command says it is running").atMost(Duration.ofMinutes(5))
                .until(() -> output.contains("Press Ctrl-C to stop.") || !handoff.isAlive());
            assertThat(handoff.isAlive()).as(String.join("\n", output)).isTrue();
            String printed = String.join("\n", output);
            assertThat(printed).contains("ANTHROPIC_API_KEY is not set").contains("built-in DEMO");
            // The first line after "Handoff is running." is what to open: the web chat's URL, and it serves the page.
            String firstLine = output.get(output.indexOf("Handoff is running.") + 1);
            Matcher url = WEB_CHAT_URL.matcher(firstLine);
            assertThat(url.matches()).as("the first line names the web chat:\n" + printed).isTrue();
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url.group(1) + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("<title>Handoff");
            assertThat(printed).contains("API:        " + url.group(1) + "/api");

            Matcher signIn = SIGN_IN.matcher(printed);
            assertThat(signIn.find()).as(printed).isTrue();
            Path passwordFile = work.resolve("handoff/operator-password");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(signIn.group(2));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                .isEqualTo("rw-------");
            HandoffApi nobody = HandoffApi.anonymous(url.group(1));
            assertThat(nobody.get("/api/me").status()).isEqualTo(401);
            assertThat(nobody.post("/api/auth/signup", "{\"email\":\"a@b.c\",\"password\":\"12345678\"}").status())
                .as("sign-up is closed by default").isEqualTo(403);
            // Without an OIDC issuer the service runs with team sign-in off: no provider button, login says so.
            assertThat(nobody.get("/api/auth/providers").body().path("oidc").isNull()).isTrue();
            HandoffApi.Answer oidcLogin = nobody.visit("/auth/oidc/login");
            assertThat(oidcLogin.status()).isEqualTo(303);
            assertThat(nobody.location(oidcLogin)).startsWith("/#/signin?error=");

            HandoffApi api = HandoffApi.signIn(url.group(1), signIn.group(1), signIn.group(2));
            assertThat(api.get("/api/me").body().path("operator").asBoolean()).isTrue();
            String projectId = api.createProject("local-run", repositoryUrl);
            JsonNode accepted = api.submitTask(projectId, "Explain this repository");
            String taskId = accepted.path("taskId").asText();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
            // The newcomer's first answer is the demo text and nothing else: no notice from Claude Code about auto
            // mode or a gateway at 127.0.0.1 as a second assistant message.
            assertThat(api.messages(accepted.path("sessionId").asText()))
                .filteredOn(m -> m.path("role").asText().equals("assistant"))
                .extracting(m -> m.path("content").asText())
                .singleElement().satisfies(answer -> assertThat(answer)
                    .startsWith("This is Handoff's built-in demo model, not a real AI. You asked: Explain this repository")
                    .endsWith(". Set ANTHROPIC_API_KEY to use Claude.").doesNotContain("Warning"));
        } finally {
            handoff.destroy();
            assertThat(handoff.waitFor(2, TimeUnit.MINUTES)).as("stopped on SIGTERM").isTrue();
        }
        assertThat(AgentProcesses.in(work)).as("nothing left running under " + work).isEmpty();
    }
}
