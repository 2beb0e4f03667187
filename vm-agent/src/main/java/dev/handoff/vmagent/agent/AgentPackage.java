package dev.handoff.vmagent.agent;

import java.util.regex.Pattern;

/**
 * An npm package, pinned to one exact version, that holds an agent the node installs on demand into its agent
 * cache ({@link AgentInstaller}).
 *
 * @param name    the npm package name, e.g. {@code @google/gemini-cli}
 * @param version an exact version, e.g. {@code 0.61.0} (no ranges: every node must run the same agent)
 */
public record AgentPackage(String name, String version) {

    private static final Pattern NAME = Pattern.compile("(@[a-z0-9~][a-z0-9._~-]*/)?[a-z0-9~][a-z0-9._~-]*");
    private static final Pattern EXACT_VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]+)?");

    public AgentPackage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"package\" must be an npm package name, got '" + name + "'");
        }
        if (version == null || !EXACT_VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("\"version\" must be an exact version like 1.2.3, got '" + version
                + "'");
        }
    }

    /** The argument npm installs: {@code name@version}. */
    public String spec() {
        return name + "@" + version;
    }

    /** One path segment naming this package and version in the cache, e.g. {@code @google+gemini-cli@0.61.0}. */
    public String directoryName() {
        return name.replace('/', '+') + "@" + version;
    }

    @Override
    public String toString() {
        return spec();
    }
}
