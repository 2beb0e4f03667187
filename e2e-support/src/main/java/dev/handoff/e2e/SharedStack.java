package dev.handoff.e2e;

import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.ReplyRouter;
import dev.handoff.localstack.ReplyScript;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One Handoff stack for all test classes that only need a working Handoff (each works with its own users,
 * projects and tasks), started once and stopped when the test run ends.
 *
 * <ul>
 *   <li>Model behaviour per test: the fake model answers with {@link ScriptedReplies} unless a test routes its own
 *       prompts elsewhere ({@link Running#route}: a marker only its prompts contain and a {@link ReplyScript}).</li>
 *   <li>Configuration per class: {@link Configure} restarts the named services with those variables before the
 *       class's tests (and back to their usual environment before the next class that does not name them);
 *       {@link Running#reconfigure} does the same at run time, for values known only then. Only the services whose
 *       configuration changes restart, and {@link ByConfiguration} orders the classes so that classes with the
 *       same configuration run one after another.</li>
 * </ul>
 * Classes that break the stack on purpose (kill services or Kafka, stop the database, restart nodes) share a second
 * stack instead, {@link BreakableStack}, whose tests each leave it healthy.
 */
public final class SharedStack implements BeforeAllCallback, TestInstancePreConstructCallback {

    /** Variables for one service while this class's tests run ({@code "NAME=value"} each). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Repeatable(Configure.List.class)
    public @interface Configure {
        String service();

        String[] env();

        @Retention(RetentionPolicy.RUNTIME)
        @Target(ElementType.TYPE)
        @interface List {
            Configure[] value();
        }
    }

    /** A class that calls {@link Running#reconfigure} itself; ordered after all others. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface ReconfiguresAtRunTime {
    }

    /** What the tests get: the stack, its API, and a git repository with a small project. */
    public static final class Running {
        private final HandoffStack stack;
        private final HandoffApi api;
        private final String repositoryUrl;
        private final ReplyRouter replies;
        /** Per service, the variables it runs with beyond its usual environment. */
        private final Map<String, Map<String, String>> configured = new LinkedHashMap<>();

        Running(HandoffStack stack, HandoffApi api, String repositoryUrl, ReplyRouter replies) {
            this.stack = stack;
            this.api = api;
            this.repositoryUrl = repositoryUrl;
            this.replies = replies;
        }

        public HandoffStack stack() {
            return stack;
        }

        /** A user of the shared stack (shared by the classes that use it; make a {@code new HandoffApi} for one of your own). */
        public HandoffApi api() {
            return api;
        }

        public String repositoryUrl() {
            return repositoryUrl;
        }

        public FakeAnthropicServer model() {
            return stack.model().orElseThrow();
        }

        /**
         * Requests whose user text contains {@code marker} are answered by {@code script} until the route is
         * closed. Pick a marker no other test's prompt contains (a random id).
         */
        public ReplyRouter.Route route(String marker, ReplyScript script) {
            return replies.route(marker, script);
        }

        /**
         * Runs {@code service} with exactly these variables beyond its usual environment, restarting it if it runs
         * with others now.
         */
        public synchronized void reconfigure(String service, Map<String, String> env) {
            Map<String, String> wanted = Map.copyOf(env);
            if (configured.getOrDefault(service, Map.of()).equals(wanted)) {
                return;
            }
            stack.restartService(service, wanted);
            configured.put(service, wanted);
        }

        /** Every service with the variables {@code wanted} names for it, and the others with their usual ones. */
        synchronized void configure(Map<String, Map<String, String>> wanted) {
            for (String service : HandoffStack.SERVICES.keySet()) {
                reconfigure(service, wanted.getOrDefault(service, Map.of()));
            }
        }
    }

    /** The ordinary shared stack. */
    static final Slot ORDINARY = new Slot("shared");
    /** The stack the classes that break it on purpose share ({@link BreakableStack}). */
    static final Slot BREAKABLE = new Slot("breakable");

    /** Before a test instance exists, so classes with a per-class lifecycle may use the stack in field initializers. */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        ORDINARY.ensureStarted(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Running running = ORDINARY.ensureStarted(context);
        Class<?> testClass = context.getRequiredTestClass();
        // An enclosing class of @Nested classes, with no tests and no configuration of its own, changes nothing:
        // its nested classes say what they need.
        if (declaresTests(testClass) || !configurationOf(testClass).isEmpty()) {
            running.configure(configurationOf(testClass));
        }
    }

    public static Running get() {
        return ORDINARY.current().orElseThrow(() ->
            new IllegalStateException("annotate the test class with @ExtendWith(SharedStack.class)"));
    }

    /** The shared stacks running now (at most one: starting one closes the other). */
    static List<Running> current() {
        List<Running> all = new ArrayList<>();
        ORDINARY.current().ifPresent(all::add);
        BREAKABLE.current().ifPresent(all::add);
        return all;
    }

    /**
     * One shared stack, started by the first class that needs it and stopped when the run ends. At most one shared
     * stack runs at a time: starting one stops the other (its classes are done, {@link ByConfiguration} runs the
     * breakable stack's classes last), so the machine's two cores run one stack; a class that needs a stopped one
     * starts it again (about 50 s).
     */
    static final class Slot {
        private final String name;
        private Running running;

        Slot(String name) {
            this.name = name;
        }

        synchronized Running ensureStarted(ExtensionContext context) {
            // The run's root store closes the stack when the run ends.
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(
                "handoff-" + name + "-stack", key -> (ExtensionContext.Store.CloseableResource) this::close);
            if (running == null) {
                for (Slot other : List.of(ORDINARY, BREAKABLE)) {
                    if (other != this) {
                        other.close();
                    }
                }
                try {
                    running = start(name);
                } catch (Exception e) {
                    throw new IllegalStateException("the " + name + " Handoff stack did not start: " + e.getMessage(),
                        e);
                }
            }
            return running;
        }

        synchronized Optional<Running> current() {
            return Optional.ofNullable(running);
        }

        synchronized void close() {
            if (running != null) {
                Running stopping = running;
                running = null;
                stopping.stack().close();
            }
        }
    }

    /** The variables per service a class asks for: its own {@link Configure}s and those of its enclosing classes. */
    static Map<String, Map<String, String>> configurationOf(Class<?> testClass) {
        Map<String, Map<String, String>> wanted = new TreeMap<>();
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            for (Configure configure : AnnotationSupport.findRepeatableAnnotations(type, Configure.class)) {
                Map<String, String> env = wanted.computeIfAbsent(configure.service(), s -> new TreeMap<>());
                for (String assignment : configure.env()) {
                    int equals = assignment.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException(type.getName() + ": @Configure env entries are NAME=value, not "
                            + assignment);
                    }
                    env.putIfAbsent(assignment.substring(0, equals), assignment.substring(equals + 1));
                }
            }
            if (!type.isAnnotationPresent(Nested.class)) {
                break;
            }
        }
        return wanted;
    }

    static boolean declaresTests(Class<?> testClass) {
        for (Method method : testClass.getDeclaredMethods()) {
            if (AnnotationSupport.isAnnotated(method, org.junit.platform.commons.annotation.Testable.class)) {
                return true;
            }
        }
        return false;
    }

    private static Running start(String name) throws Exception {
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        String repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));
        ReplyRouter replies = new ReplyRouter(new ScriptedReplies());
        HandoffStack stack = HandoffStack.start(HandoffStack.Options.forTests(work.resolve("stack"), replies));
        return new Running(stack, new HandoffApi(stack.chatUrl()), repositoryUrl, replies);
    }

    /**
     * Orders test classes so that the shared stack restarts a service as rarely as possible: classes with the
     * usual configuration first, then each configuration's classes together, then the classes that reconfigure at
     * run time, and last the classes of the {@link BreakableStack} (which then replaces the ordinary stack). Set as
     * {@code junit.jupiter.testclass.order.default}.
     */
    public static final class ByConfiguration implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator.comparing(ByConfiguration::key));
        }

        static String key(ClassDescriptor descriptor) {
            Class<?> type = descriptor.getTestClass();
            if (BreakableStack.isOn(type)) {
                return "3 " + type.getName();
            }
            if (type.isAnnotationPresent(ReconfiguresAtRunTime.class)) {
                return "2 " + type.getName();
            }
            StringBuilder configuration = new StringBuilder(configurationOf(type).toString());
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (nested.isAnnotationPresent(Nested.class)) {
                    configuration.append(configurationOf(nested));
                }
            }
            String signature = configuration.toString().replace("{}", "");
            return (signature.isEmpty() ? "0 " : "1 " + signature + " ") + type.getName();
        }
    }
}
