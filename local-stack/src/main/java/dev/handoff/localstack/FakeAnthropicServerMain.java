package dev.handoff.localstack;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link FakeAnthropicServer} as its own process:
 * {@code java -cp local-stack.jar dev.handoff.localstack.FakeAnthropicServerMain [--port N] [--mode demo|scripted]}.
 * With {@code --log-dir DIR} every request is also written to {@code DIR/NNNN-<path>.json}.
 * Prints {@code FAKE_ANTHROPIC_URL=http://127.0.0.1:<port>} on stdout once listening, then serves until killed.
 */
public final class FakeAnthropicServerMain {

    private FakeAnthropicServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        String mode = "demo";
        String replyPrefix = ScriptedReplies.DEFAULT_PREFIX;
        java.nio.file.Path logDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--mode" -> mode = value(args, ++i);
                case "--reply-prefix" -> replyPrefix = value(args, ++i);
                case "--log-dir" -> logDir = java.nio.file.Path.of(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: FakeAnthropicServerMain [--port N] [--mode demo|scripted] [--reply-prefix TEXT] [--log-dir DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        ReplyScript script = switch (mode) {
            case "demo" -> new DemoReplies();
            case "scripted" -> new ScriptedReplies(replyPrefix);
            default -> throw new IllegalArgumentException("--mode must be demo or scripted, not " + mode);
        };
        FakeAnthropicServer server = FakeAnthropicServer.start(port, script);
        if (logDir != null) {
            server.setRequestListener(new RequestLogWriter(logDir));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-anthropic-shutdown"));
        System.out.println("FAKE_ANTHROPIC_URL=" + server.url());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[i - 1]);
        }
        return args[i];
    }
}
