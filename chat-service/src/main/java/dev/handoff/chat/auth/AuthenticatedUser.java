package dev.handoff.chat.auth;

import dev.handoff.chat.repository.UserAccount;

/** The signed-in caller of a request: who they are, never how they proved it. */
public record AuthenticatedUser(String id, String email, String name, boolean operator) {

    public static AuthenticatedUser of(UserAccount account) {
        return new AuthenticatedUser(account.id, account.email, account.name, account.operator);
    }
}
