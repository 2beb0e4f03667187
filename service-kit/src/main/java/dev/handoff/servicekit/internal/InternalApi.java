package dev.handoff.servicekit.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class (or method) that only Handoff's own services and operators' tools may call: each request
 * must carry {@code Authorization: Bearer <handoff.internal.token>}, else 401 ({@link InternalApiFilter}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface InternalApi {
}
