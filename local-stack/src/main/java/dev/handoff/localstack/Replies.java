package dev.handoff.localstack;

/** Small text helpers for reply scripts. */
public final class Replies {

    private Replies() {}

    /** The first {@code max} characters of {@code s} with whitespace runs collapsed. */
    public static String snippet(String s, int max) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        if (t.length() <= max) {
            return t;
        }
        int end = max;
        if (Character.isHighSurrogate(t.charAt(end - 1))) {
            end--;
        }
        return t.substring(0, end);
    }

    /** A short title: the first five words of {@code s}, at most 60 characters. */
    public static String title(String s) {
        String[] words = snippet(s, 200).split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.length && i < 5; i++) {
            if (sb.length() + words[i].length() + 1 > 60) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(words[i]);
        }
        return sb.length() == 0 ? "New session" : sb.toString();
    }
}
