package dev.handoff.vmagent.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.vmagent.workspace.CloneFailures.Classification;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** git's own words (as git 2.x prints them) decide whether a clone is tried again. */
class CloneFailuresTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "fatal: unable to access 'http://127.0.0.1:9/r.git/': Failed to connect to 127.0.0.1 port 9 after 0 ms: "
            + "Couldn't connect to server: Connection refused|true|network",
        "fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com|true|network",
        "error: RPC failed; curl 56 Recv failure: Connection reset by peer|true|server_error",
        "fatal: unable to access 'http://h/r.git/': The requested URL returned error: 503|true|server_error",
        "fatal: unable to access 'http://h/r.git/': The requested URL returned error: 429|true|server_error",
        "fatal: unable to access 'https://h/r.git/': Failed to connect to h port 443: Connection timed out"
            + "|true|timeout",
        "git clone did not finish within 600 s|true|timeout",
        "fatal: the remote end hung up unexpectedly|true|network",
        "remote: Repository not found. fatal: repository 'https://github.com/a/nope.git/' not found|false|not_found",
        "fatal: repository 'http://127.0.0.1:8080/git/nope.git/' not found|false|not_found",
        "fatal: repository '/tmp/repos/nope.git' does not exist|false|not_found",
        "warning: Could not find remote branch nope to clone. fatal: Remote branch nope not found in upstream origin"
            + "|false|not_found",
        "fatal: Authentication failed for 'https://github.com/a/b.git/'|false|authentication",
        "fatal: could not read Username for 'https://github.com': terminal prompts disabled|false|authentication",
        "fatal: unable to access 'http://h/r.git/': The requested URL returned error: 403|false|authentication",
        "git: 'remote-htps' is not a git command. fatal: unable to find remote helper for 'htps'"
            + "|false|invalid_request",
        "something nobody has seen before|false|unknown",
    })
    void classifiesGitsMessage(String message, boolean retryable, String kind) {
        assertThat(CloneFailures.classify(message)).isEqualTo(new Classification(retryable, kind));
    }
}
