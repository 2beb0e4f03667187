package dev.handoff.e2e;

import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One Handoff stack with default configuration, started once for all test classes that only need a working
 * Handoff (each works in its own projects and tasks), and stopped when the test run ends. Classes that need other
 * configuration start their own {@link HandoffStack}.
 */
public final class SharedStack implements BeforeAllCallback, TestInstancePreConstructCallback {

    /** What the tests get: the stack, its API, and a git repository with a small project. */
    public record Running(HandoffStack stack, HandoffApi api, String repositoryUrl) {
        public FakeAnthropicServer model() {
            return stack.model().orElseThrow();
        }
    }

    private static final String KEY = "handoff-shared-stack";

    private static Running running;

    /** Before a test instance exists, so classes with a per-class lifecycle may use the stack in field initializers. */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        beforeAll(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KEY, key -> {
            try {
                running = start();
            } catch (Exception e) {
                throw new IllegalStateException("the shared Handoff stack did not start: " + e.getMessage(), e);
            }
            return (ExtensionContext.Store.CloseableResource) () -> running.stack().close();
        });
    }

    public static Running get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedStack.class)");
        }
        return running;
    }

    /** The shared stack when some test class started it. */
    static java.util.Optional<Running> current() {
        return java.util.Optional.ofNullable(running);
    }

    private static Running start() throws Exception {
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("shared-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        String repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));
        HandoffStack stack = HandoffStack.start(HandoffStack.Options.forTests(work.resolve("stack"),
            new ScriptedReplies()));
        return new Running(stack, new HandoffApi(stack.chatUrl()), repositoryUrl);
    }
}
