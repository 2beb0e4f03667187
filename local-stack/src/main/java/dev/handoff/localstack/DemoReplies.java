package dev.handoff.localstack;

/**
 * The built-in demo "model" for running Handoff without an API key: says what it is and echoes
 * the question.
 */
public final class DemoReplies implements ReplyScript {

    @Override
    public Reply reply(MessagesRequest request) {
        String asked = request.promptText();
        if (request.sideRequest()) {
            return Reply.text(Replies.title(asked));
        }
        return Reply.text("This is Handoff's built-in demo model, not a real AI. You asked: "
                + Replies.snippet(asked, 200) + ". Set ANTHROPIC_API_KEY to use Claude.");
    }
}
