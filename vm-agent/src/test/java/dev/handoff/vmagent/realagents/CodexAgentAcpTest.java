package dev.handoff.vmagent.realagents;

import dev.handoff.localstack.FakeOpenAiServer;
import dev.handoff.localstack.LocalAgents;
import dev.handoff.localstack.FakeModelServer;
import dev.handoff.localstack.HandoffStack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Codex ACP adapter from npm ({@value LocalAgents#CODEX_PACKAGE} {@value LocalAgents#CODEX_VERSION}, its
 * native codex-acp binary from an optional dependency), installed on demand into the agent cache and run offline
 * against {@link FakeOpenAiServer} as a model provider in {@code $CODEX_HOME/config.toml}.
 */
class CodexAgentAcpTest {

    private static final String PROMPT = "Explain the build. Marker CODEX-MARKER-91c2";

    @TempDir
    Path work;

    private FakeOpenAiServer fake;
    private RealAgentRun run;

    @AfterEach
    void stop() {
        if (run != null) {
            run.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void realCodexSendsThePromptToTheResponsesApiAndStreamsTheReplyBack() throws Exception {
        fake = FakeOpenAiServer.start(0);
        run = new RealAgentRun(work, LocalAgents.CODEX,
            LocalAgents.codex(HandoffStack.nodeBinary(), fake.baseUrl(), null), Map.of("OPENAI_API_KEY", "test-key"));

        run.runTurn(LocalAgents.CODEX, PROMPT);

        assertThat(run.failure()).as("agent failure; stderr: %s", run.stderr()).isNull();
        assertThat(run.stopReason()).isEqualTo("end_turn");
        // the prompt reached POST /v1/responses as the last user message, streamed, with the key as bearer token
        assertThat(fake.responsesRequests()).anySatisfy(request -> {
            assertThat(request.path()).isEqualTo("/v1/responses");
            assertThat(request.body().path("stream").asBoolean()).isTrue();
            assertThat(request.body().path("model").asText()).isEqualTo(LocalAgents.CODEX_MODEL);
            assertThat(FakeOpenAiServer.lastUserText(request.body())).isEqualTo(PROMPT);
            assertThat(request.headers()).containsKey("authorization");
        });
        // the model's reply came back as agent_message_chunk updates
        assertThat(run.messageText()).contains(FakeModelServer.replyTo(PROMPT));
    }
}
