package dev.handoff.chat.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageSizeCapTest {

    private final MessageSizeCap cap = new MessageSizeCap(10);

    @Test
    void textUpToTheCapIsKeptWhole() {
        assertThat(cap.append("Hello", " you")).isEqualTo("Hello you");
        assertThat(cap.append("Hello", "world")).isEqualTo("Helloworld");
    }

    @Test
    void theChunkThatCrossesTheCapIsCutAndTheMessageEndsWithTheNote() {
        String cut = cap.append("Hello", " brave new world");

        assertThat(cut).isEqualTo("Hello brav" + cap.note());
        assertThat(cap.note()).contains("Handoff cut this message at 10 characters");
        assertThat(cap.isCut(cut)).isTrue();
    }

    @Test
    void onceCutLaterChunksAreLeftOut() {
        String cut = cap.append("", "0123456789ABC");

        assertThat(cap.append(cut, "more")).isEqualTo(cut);
        assertThat(cap.append(cap.append(cut, "x"), "y")).isEqualTo("0123456789" + cap.note());
    }

    @Test
    void aSurrogatePairIsNotSplitAtTheCut() {
        String cut = cap.append("012345678", "😀 and more");

        assertThat(cut).isEqualTo("012345678" + cap.note());
    }
}
