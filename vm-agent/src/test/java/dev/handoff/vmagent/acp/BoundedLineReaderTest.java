package dev.handoff.vmagent.acp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain JUnit: lines come out as written; one over the limit is skipped whole and the next one still comes. */
class BoundedLineReaderTest {

    private final List<Long> skipped = new ArrayList<>();

    @Test
    void linesUpToTheLimitComeOutWithoutTheirTerminators() throws IOException {
        assertThat(lines(new StringReader("a\r\n\nbcdefghij\nlast"), 10)).containsExactly("a", "", "bcdefghij", "last");
        assertThat(skipped).isEmpty();
    }

    @Test
    void aLineOverTheLimitIsSkippedWholeAndReadingGoesOn() throws IOException {
        String endless = "x".repeat(100_000);
        assertThat(lines(new StringReader("first\n" + endless + "\nnext\n"), 1000)).containsExactly("first", "next");
        assertThat(skipped).containsExactly(100_000L);
    }

    @Test
    void anOverlongLineAtTheEndIsSkippedToo() throws IOException {
        assertThat(lines(new StringReader("ok\n" + "y".repeat(50)), 10)).containsExactly("ok");
        assertThat(skipped).containsExactly(50L);
    }

    @Test
    void aLineArrivingInSmallPiecesIsWhole() throws IOException {
        Reader trickle = new Reader() {
            private final String text = "{\"jsonrpc\":\"2.0\"}\n{\"id\":1}\n";
            private int at;

            @Override
            public int read(char[] into, int offset, int length) {
                if (at == text.length()) {
                    return -1;
                }
                into[offset] = text.charAt(at++);
                return 1;
            }

            @Override
            public void close() {
            }
        };
        assertThat(lines(trickle, 100)).containsExactly("{\"jsonrpc\":\"2.0\"}", "{\"id\":1}");
    }

    private List<String> lines(Reader in, int max) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in, max, skipped::add);
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }
}
