package dev.handoff.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a newcomer reads first stays true: README's links (and their {@code #anchors}) lead to files and headings
 * that exist, every test named in docs/testing.md's capability table (and in README) is a test class of an
 * end-to-end module (e2e-tests, e2e-recovery-tests), and README does not call a capability missing ("not there yet",
 * "not yet") while the table lists it. No stack: plain files.
 */
class ReadmeStaysTrueTest {

    private static final Path ROOT = Path.of(System.getProperty("handoff.root", "..")).toAbsolutePath().normalize();
    /** The two end-to-end test modules' test folders (the ordinary shared stack's, and the breakable stack's). */
    private static final List<Path> E2E_TESTS = List.of(ROOT.resolve("e2e-tests/src/test/java/dev/handoff/e2e"),
        ROOT.resolve("e2e-recovery-tests/src/test/java/dev/handoff/e2e"));
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern TEST_NAME = Pattern.compile("`([A-Z][A-Za-z]*Test)(\\$[A-Za-z]+)?`");

    @Test
    void readmeLinksLeadToFilesAndHeadingsThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path document : List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/testing.md"))) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // https:, mailto:: not ours to check offline
                }
                String[] fileAndAnchor = target.split("#", 2);
                Path file = fileAndAnchor[0].isEmpty() ? document
                    : document.getParent().resolve(fileAndAnchor[0]).normalize();
                if (!Files.exists(file)) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no such file)");
                } else if (fileAndAnchor.length == 2 && !headingSlugs(file).contains(fileAndAnchor[1])) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyTestTheCapabilityTableAndReadmeNameIsAnEndToEndTest() throws IOException {
        String table = capabilityTable();
        Set<String> named = testNames(table);
        assertThat(named).as("the capability table names its tests").hasSizeGreaterThan(20);
        named.addAll(testNames(Files.readString(ROOT.resolve("README.md"))));
        assertThat(named).allSatisfy(name -> assertThat(E2E_TESTS.stream()
                .anyMatch(folder -> Files.isRegularFile(folder.resolve(name + ".java"))))
            .as("docs/testing.md or README names " + name + ", a test class of e2e-tests or e2e-recovery-tests")
            .isTrue());
    }

    @Test
    void readmeCallsNothingMissing() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md")).toLowerCase(Locale.ROOT);
        assertThat(readme).as("README describes what is there; open work lives in the issues")
            .doesNotContain("not there yet").doesNotContain("not yet");
        assertThat(readme).contains("## status");
    }

    private static String capabilityTable() throws IOException {
        String testing = Files.readString(ROOT.resolve("docs/testing.md"));
        int start = testing.indexOf("| capability |");
        assertThat(start).as("docs/testing.md has the capability table").isNotNegative();
        int end = testing.indexOf("\n\n", start);
        return testing.substring(start, end < 0 ? testing.length() : end);
    }

    private static Set<String> testNames(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher name = TEST_NAME.matcher(text);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    /** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> headingSlugs(Path markdown) throws IOException {
        Set<String> slugs = new LinkedHashSet<>();
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").replace("`", "");
                slugs.add(heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return slugs;
    }
}
