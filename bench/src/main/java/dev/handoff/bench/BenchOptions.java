package dev.handoff.bench;

/**
 * The benchmark's command line: {@code [--tasks N] [--concurrency C]}.
 *
 * @param tasks       measured tasks (after one warm-up task)
 * @param concurrency at most this many measured tasks in flight at once
 */
public record BenchOptions(int tasks, int concurrency) {

    public static final int DEFAULT_TASKS = 20;
    public static final int DEFAULT_CONCURRENCY = 1;
    public static final String USAGE = "usage: bin/bench [--tasks N] [--concurrency C]   (defaults: --tasks "
        + DEFAULT_TASKS + " --concurrency " + DEFAULT_CONCURRENCY + ")";

    public BenchOptions {
        if (tasks < 1) {
            throw new IllegalArgumentException("--tasks must be at least 1, got " + tasks);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        }
    }

    /** Parses the arguments; throws IllegalArgumentException with a message for the user on anything else. */
    public static BenchOptions parse(String... args) {
        int tasks = DEFAULT_TASKS;
        int concurrency = DEFAULT_CONCURRENCY;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            switch (name) {
                case "--tasks" -> tasks = whole(name, value);
                case "--concurrency" -> concurrency = whole(name, value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new BenchOptions(tasks, concurrency);
    }

    private static int whole(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }
}
