package dev.handoff.vmagent.workspace;

import dev.handoff.contracts.net.Cidr;
import dev.handoff.contracts.net.RepositoryUrlPolicy;
import dev.handoff.vmagent.TextTail;
import dev.handoff.vmagent.git.GitCredentials;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@code git clone} of one branch as a child process with a clean environment and a time limit, only from a
 * URL the node's {@link RepositoryUrlPolicy} allows: the host is resolved here and every address checked, and git is
 * held to those addresses ({@code http.curloptResolve}, ssh's {@code HostName}) so a second DNS answer cannot point
 * it elsewhere; no redirects; {@code GIT_ALLOW_PROTOCOL} limits git (and submodules, helpers) to the allowed
 * protocols.
 */
public final class GitClone {

    private static final Logger LOG = Logger.getLogger(GitClone.class.getName());
    private static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final int STDERR_LINES = 5;

    private final Duration timeout;
    private final RepositoryUrlPolicy policy;
    private final RepositoryUrlPolicy.Resolver resolver;

    public GitClone(Duration timeout, RepositoryUrlPolicy policy) {
        this(timeout, policy, RepositoryUrlPolicy.DNS);
    }

    public GitClone(Duration timeout, RepositoryUrlPolicy policy, RepositoryUrlPolicy.Resolver resolver) {
        this.timeout = timeout;
        this.policy = policy;
        this.resolver = resolver;
    }

    /** Clones a repository that needs no credentials. */
    public void cloneBranch(String repositoryUrl, String branch, Path target, Path home)
        throws GitCloneException, IOException, InterruptedException {
        cloneBranch(repositoryUrl, branch, target, home, GitCredentials.none());
    }

    /**
     * Clones {@code branch} of {@code repositoryUrl} into {@code target}, which must not exist or be empty.
     *
     * @param home        HOME for git, so no user's git config or credentials apply
     * @param credentials the token for a private repository, given to git through a credential helper only, so it
     *                    is not saved in the clone's remote URL or config
     * @throws GitCloneException with a reason for the user: the policy's refusal, or one fixed sentence per kind of
     *                           failure (git's own stderr goes to the node's log only)
     */
    public void cloneBranch(String repositoryUrl, String branch, Path target, Path home, GitCredentials credentials)
        throws GitCloneException, IOException, InterruptedException {
        RepositoryUrlPolicy.Allowed allowed = allowed(repositoryUrl);
        Files.createDirectories(target.getParent());
        Files.createDirectories(home);
        Path stderr = Files.createTempFile(home, "git-clone-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of("git", "-c", "http.followRedirects=false"));
            pinnedResolve(allowed).ifPresent(resolve -> command.addAll(List.of("-c", "http.curloptResolve=" + resolve)));
            command.addAll(credentials.configArguments());
            command.addAll(List.of("clone", "--branch", branch, "--single-branch", "--", repositoryUrl,
                target.toString()));
            var builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", SAFE_PATH);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            builder.environment().put("GIT_ALLOW_PROTOCOL", policy.gitAllowProtocol());
            builder.environment().put("GIT_PROTOCOL_FROM_USER", "0");
            pinnedSsh(allowed).ifPresent(ssh -> builder.environment().put("GIT_SSH_COMMAND", ssh));
            builder.environment().putAll(credentials.environment());
            LOG.log(Level.INFO, "cloning {0} branch {1} into {2}", new Object[] {repositoryUrl, branch, target});
            Process git = builder.start();
            git.getOutputStream().close();
            if (!git.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                git.descendants().forEach(ProcessHandle::destroyForcibly);
                git.destroyForcibly().waitFor();
                deleteRecursively(target);
                throw new GitCloneException("git clone did not finish within " + timeout.toSeconds() + " s",
                    CloneFailures.TIMEOUT);
            }
            if (git.exitValue() != 0) {
                String tail = credentials.redact(TextTail.lastLinesOf(stderr, STDERR_LINES));
                var classification = CloneFailures.classify(tail);
                LOG.log(Level.WARNING, "git clone of {0} failed with exit code {1} ({2}): {3}",
                    new Object[] {repositoryUrl, git.exitValue(), classification.kind(), tail});
                throw new GitCloneException(CloneFailures.userReason(classification, branch, git.exitValue()),
                    classification);
            }
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private RepositoryUrlPolicy.Allowed allowed(String repositoryUrl) throws GitCloneException {
        try {
            return policy.check(repositoryUrl, resolver);
        } catch (RepositoryUrlPolicy.RefusedException e) {
            LOG.log(Level.WARNING, "refusing to clone {0}: {1}", new Object[] {repositoryUrl, e.getMessage()});
            throw new GitCloneException("this node does not clone the repository URL: it " + e.getMessage(),
                CloneFailures.REFUSED);
        } catch (UnknownHostException e) {
            LOG.log(Level.WARNING, "repository host of {0} does not resolve", repositoryUrl);
            throw new GitCloneException(CloneFailures.userReason(CloneFailures.NETWORK, null, 0),
                CloneFailures.NETWORK);
        }
    }

    /** {@code host:port:addr[,addr]} for curl, so git's http transport connects only to the checked addresses. */
    private static java.util.Optional<String> pinnedResolve(RepositoryUrlPolicy.Allowed allowed) {
        var target = allowed.target();
        if (!target.scheme().startsWith("http") || Cidr.literal(target.host()) != null) {
            return java.util.Optional.empty();
        }
        String addresses = allowed.addresses().stream().map(GitClone::curlAddress).collect(Collectors.joining(","));
        return java.util.Optional.of(target.host() + ":" + target.port() + ":" + addresses);
    }

    /** ssh connects to the first checked address and still checks the host key under the host's own name. */
    private static java.util.Optional<String> pinnedSsh(RepositoryUrlPolicy.Allowed allowed) {
        var target = allowed.target();
        if (!target.scheme().equals("ssh") || Cidr.literal(target.host()) != null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("ssh -o HostName=" + allowed.addresses().get(0).getHostAddress()
            + " -o HostKeyAlias=" + target.host() + " -o BatchMode=yes");
    }

    private static String curlAddress(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    /** A half-finished clone must not look like a work tree to a redelivered command. */
    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
