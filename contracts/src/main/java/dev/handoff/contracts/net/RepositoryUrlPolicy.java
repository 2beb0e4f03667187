package dev.handoff.contracts.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which git repository URLs Handoff fetches: the one rule chat-service applies when a project names a URL and the
 * vm-agent applies again before it clones. A URL may use https, ssh when allowed (on by default), plain http and
 * git:// only when allowed, file:// only when allowed; its host must be a DNS name or an IP literal, and every
 * address it resolves to must be {@link AddressKind#PUBLIC} or inside one of the operator's allowed networks. So
 * nobody clones from the control plane's own ports, the cloud's metadata service or the private network unless the
 * operator allowed that range.
 */
public final class RepositoryUrlPolicy {

    /** Looks a host name up; {@link #DNS} in production, a fixed table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final Resolver DNS = InetAddress::getAllByName;

    /** A URL refused by the policy; the message is for the user and says why. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    /**
     * What a repository URL reaches.
     *
     * @param scheme https, http, ssh, git or file
     * @param host   the host as written, without brackets (null for file)
     * @param port   the port, the scheme's default when the URL names none (-1 for file)
     */
    public record Target(String scheme, String host, int port) {
        public boolean isFile() {
            return "file".equals(scheme);
        }
    }

    /** A URL the policy allows, with the addresses its host resolved to (empty for file://). */
    public record Allowed(Target target, List<InetAddress> addresses) {
    }

    /** {@code user@host:path}, git's scp-like ssh syntax (no scheme, no slash before the colon). */
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/:]+@)?(\\[[^\\]/]+\\]|[^@/:\\[\\]]+):(?!//).*$");
    private static final Pattern DNS_NAME = Pattern.compile(
        "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?\\.?$");

    private final List<Cidr> allowedNetworks;
    private final boolean allowHttp;
    private final boolean allowSsh;
    private final boolean allowFile;

    private RepositoryUrlPolicy(List<Cidr> allowedNetworks, boolean allowHttp, boolean allowSsh, boolean allowFile) {
        this.allowedNetworks = List.copyOf(allowedNetworks);
        this.allowHttp = allowHttp;
        this.allowSsh = allowSsh;
        this.allowFile = allowFile;
    }

    /** https and ssh to public addresses only: the default on every node and in chat-service. */
    public static RepositoryUrlPolicy strict() {
        return new RepositoryUrlPolicy(List.of(), false, true, false);
    }

    /**
     * @param allowedNetworks CIDR ranges (or single addresses) an operator allows besides public addresses
     * @throws IllegalArgumentException naming every entry that is not an IP network
     */
    public static RepositoryUrlPolicy of(List<String> allowedNetworks, boolean allowHttp, boolean allowSsh,
                                         boolean allowFile) {
        List<Cidr> networks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String entry : allowedNetworks) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            try {
                networks.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("allowed networks: " + String.join("; ", problems));
        }
        return new RepositoryUrlPolicy(networks, allowHttp, allowSsh, allowFile);
    }

    public List<Cidr> allowedNetworks() {
        return allowedNetworks;
    }

    public boolean allowHttp() {
        return allowHttp;
    }

    public boolean allowSsh() {
        return allowSsh;
    }

    public boolean allowFile() {
        return allowFile;
    }

    /** The protocols git may use under this policy, for {@code GIT_ALLOW_PROTOCOL} (colon-separated). */
    public String gitAllowProtocol() {
        Set<String> protocols = new LinkedHashSet<>(List.of("https"));
        if (allowHttp) {
            protocols.add("http");
            protocols.add("git");
        }
        if (allowSsh) {
            protocols.add("ssh");
        }
        if (allowFile) {
            protocols.add("file");
        }
        return String.join(":", protocols);
    }

    /** Whether the policy lets a clone reach {@code address}. */
    public boolean allows(InetAddress address) {
        return AddressKind.of(address) == AddressKind.PUBLIC
            || allowedNetworks.stream().anyMatch(network -> network.contains(address));
    }

    /** The URL's scheme, host and port, checked against the allowed schemes and host syntax; nothing is looked up. */
    public Target target(String url) throws RefusedException {
        if (url == null || url.isBlank()) {
            throw new RefusedException("is empty");
        }
        String value = url.strip();
        if (value.startsWith("/")) {
            // A local path is a file:// URL to git.
            value = "file://" + value;
        }
        Matcher scp = SCP_LIKE.matcher(value);
        if (!value.contains("://") && scp.matches()) {
            return checkedTarget("ssh", scp.group(1), -1);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new RefusedException("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("git+ssh") || scheme.equals("ssh+git")) {
            scheme = "ssh";
        }
        if (scheme.equals("file")) {
            if (!allowFile) {
                throw new RefusedException("must not be a file:// URL on this Handoff");
            }
            return new Target("file", null, -1);
        }
        if (!Set.of("https", "http", "ssh", "git").contains(scheme)) {
            throw new RefusedException("must be a git URL (https://, ssh:// or git@host:path), got '" + value + "'");
        }
        if (uri.getHost() == null) {
            throw new RefusedException("must name a host (a DNS name or an IP address)");
        }
        return checkedTarget(scheme, uri.getHost(), uri.getPort());
    }

    private Target checkedTarget(String scheme, String rawHost, int port) throws RefusedException {
        if ((scheme.equals("http") || scheme.equals("git")) && !allowHttp) {
            throw new RefusedException("must use https:// (or ssh), not " + scheme + "://, on this Handoff");
        }
        if (scheme.equals("ssh") && !allowSsh) {
            throw new RefusedException("must use https://; ssh is not allowed on this Handoff");
        }
        String host = rawHost.startsWith("[") && rawHost.endsWith("]")
            ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
        String lower = host.toLowerCase(Locale.ROOT);
        byte[] literal = Cidr.literal(lower);
        boolean canonicalIpv4 = literal != null && (lower.contains(":") || canonical(literal).equals(lower));
        if (!canonicalIpv4 && (literal != null || !DNS_NAME.matcher(lower).matches())) {
            // Forms like 2130706433, 0x7f.1 or 127.1 mean 127.0.0.1 to some resolvers and a name to others.
            throw new RefusedException("must name its host as a DNS name or a plain IP address, got '" + host + "'");
        }
        int effectivePort = port > 0 ? port : switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            case "ssh" -> 22;
            default -> 9418;
        };
        return new Target(scheme, lower, effectivePort);
    }

    private static String canonical(byte[] ipv4) {
        return (ipv4[0] & 0xff) + "." + (ipv4[1] & 0xff) + "." + (ipv4[2] & 0xff) + "." + (ipv4[3] & 0xff);
    }

    /**
     * Checks the URL and every address its host resolves to.
     *
     * @return the target and its addresses, each allowed; a caller that connects pins these, so a second lookup
     *         (DNS rebinding) cannot swap them
     * @throws RefusedException      when the scheme, the host's form, or any of its addresses is not allowed
     * @throws UnknownHostException when the host does not resolve
     */
    public Allowed check(String url, Resolver resolver) throws RefusedException, UnknownHostException {
        Target target = target(url);
        if (target.isFile()) {
            return new Allowed(target, List.of());
        }
        byte[] literal = Cidr.literal(target.host());
        InetAddress[] addresses = literal != null ? new InetAddress[] {InetAddress.getByAddress(literal)}
            : resolver.resolve(target.host());
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(target.host());
        }
        for (InetAddress address : addresses) {
            if (!allows(address)) {
                AddressKind kind = AddressKind.of(address);
                throw new RefusedException("names " + (literal != null ? "" : "a host that resolves to ") + kind.description()
                    + ", which Handoff does not clone from unless an operator allows its network");
            }
        }
        return new Allowed(target, List.of(addresses));
    }

    @Override
    public String toString() {
        return "RepositoryUrlPolicy[allowedNetworks=" + allowedNetworks + ", allowHttp=" + allowHttp + ", allowSsh="
            + allowSsh + ", allowFile=" + allowFile + "]";
    }
}
