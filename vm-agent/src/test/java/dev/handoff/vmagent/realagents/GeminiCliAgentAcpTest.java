package dev.handoff.vmagent.realagents;

import dev.handoff.localstack.FakeGeminiServer;
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
 * The real Gemini CLI from npm ({@value LocalAgents#GEMINI_CLI_PACKAGE} {@value LocalAgents#GEMINI_CLI_VERSION},
 * {@code gemini --acp}), installed on demand into the agent cache and run offline against {@link FakeGeminiServer}.
 */
class GeminiCliAgentAcpTest {

    private static final String PROMPT = "Explain the build. Marker GEMINI-MARKER-7f3a";

    @TempDir
    Path work;

    private FakeGeminiServer fake;
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
    void realGeminiCliSendsThePromptToTheModelAndStreamsTheReplyBack() throws Exception {
        fake = FakeGeminiServer.start(0);
        run = new RealAgentRun(work, LocalAgents.GEMINI_CLI,
            LocalAgents.geminiCli(HandoffStack.nodeBinary(), fake.url(), null), Map.of("GEMINI_API_KEY", "test-key"));

        run.runTurn(LocalAgents.GEMINI_CLI, PROMPT);

        assertThat(run.failure()).as("agent failure; stderr: %s", run.stderr()).isNull();
        assertThat(run.stopReason()).isEqualTo("end_turn");
        // the prompt reached the model as the last user part, with the key in x-goog-api-key
        assertThat(fake.generateRequests()).anySatisfy(request -> {
            assertThat(request.path()).isEqualTo("/v1beta/models/" + LocalAgents.GEMINI_MODEL
                + ":streamGenerateContent");
            assertThat(request.query()).isEqualTo("alt=sse");
            assertThat(FakeGeminiServer.lastUserText(request.body())).isEqualTo(PROMPT);
            assertThat(request.headers()).containsKey("x-goog-api-key");
        });
        // the model's reply came back as agent_message_chunk updates
        assertThat(run.messageText()).contains(FakeModelServer.replyTo(PROMPT));
    }
}
