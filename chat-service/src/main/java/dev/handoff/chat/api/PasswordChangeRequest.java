package dev.handoff.chat.api;

/** {@code POST /api/auth/password}: the account's password now, proving it is the owner asking, and the new one. */
public record PasswordChangeRequest(String currentPassword, String newPassword) {
}
