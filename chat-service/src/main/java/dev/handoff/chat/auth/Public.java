package dev.handoff.chat.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method callers may use without signing in: sign-in, sign-up, the sign-in providers and the
 * OIDC hops (whose callback quarkus-oidc guards).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Public {
}
