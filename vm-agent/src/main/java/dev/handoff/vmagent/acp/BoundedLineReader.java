package dev.handoff.vmagent.acp;

import java.io.IOException;
import java.io.Reader;
import java.util.function.LongConsumer;

/**
 * Reads newline-terminated lines (ACP's framing on the agent's stdout) holding at most {@code maxChars} of one line:
 * a longer line is skipped whole, its length told to {@code onSkipped}, and reading goes on with the next line. An
 * agent (or what a repository's content makes it print) cannot make the vm-agent hold an endless line in memory, as
 * {@link java.io.BufferedReader#readLine} would.
 */
final class BoundedLineReader {

    private final Reader in;
    private final int maxChars;
    private final LongConsumer onSkipped;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;

    BoundedLineReader(Reader in, int maxChars, LongConsumer onSkipped) {
        this.in = in;
        this.maxChars = maxChars;
        this.onSkipped = onSkipped;
    }

    /** The next line without its terminator ({@code \n}, or {@code \r\n}), or null at the end of the input. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        long skipped = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (skipped > 0) {
                        onSkipped.accept(skipped);
                        return null;
                    }
                    return line.isEmpty() ? null : line.toString();
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int count = position - start;
            if (skipped > 0 || line.length() + count > maxChars) {
                skipped += line.length() + count;
                line.setLength(0);
            } else {
                line.append(buffer, start, count);
            }
            if (position < limit) {
                position++;
                if (skipped > 0) {
                    onSkipped.accept(skipped);
                    skipped = 0;
                    continue;
                }
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
        }
    }
}
