package dev.handoff.chat.service;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Appends the agent's streamed text to a chat message up to {@link MessageSizeConfig#maxChars()}: the text that
 * fits is kept, then one note ends the message ({@link #note}), and every later chunk of that message is left out.
 * A message is never cut silently, and never grows past the cap and its note, however long the agent streams.
 */
@Singleton
public class MessageSizeCap {

    private final int maxChars;
    private final String note;

    @Inject
    MessageSizeCap(MessageSizeConfig config) {
        this(config.maxChars());
    }

    MessageSizeCap(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("handoff.chat.messages.max-chars must be at least 1, was " + maxChars);
        }
        this.maxChars = maxChars;
        this.note = "\n\n… [Handoff cut this message at " + maxChars + " characters: the rest of what the agent "
            + "wrote here is not shown]";
    }

    /** {@code current + addition}, cut at the cap with the note; {@code current} as is once it was cut. */
    public String append(String current, String addition) {
        String base = current == null ? "" : current;
        if (isCut(base)) {
            return base;
        }
        if (addition == null || addition.isEmpty()) {
            return base;
        }
        if ((long) base.length() + addition.length() <= maxChars) {
            return base + addition;
        }
        int room = Math.max(0, maxChars - base.length());
        int end = room;
        if (end > 0 && Character.isHighSurrogate(addition.charAt(end - 1))) {
            end--;
        }
        return base + addition.substring(0, end) + note;
    }

    /** Whether {@code content} was cut already (it ends with the note). */
    public boolean isCut(String content) {
        return content != null && content.endsWith(note);
    }

    /** The note a cut message ends with. */
    public String note() {
        return note;
    }
}
