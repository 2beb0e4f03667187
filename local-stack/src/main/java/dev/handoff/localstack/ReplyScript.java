package dev.handoff.localstack;

/** Decides what the {@link FakeAnthropicServer} answers to a Messages API request. Must be thread-safe. */
@FunctionalInterface
public interface ReplyScript {
    Reply reply(MessagesRequest request);
}
