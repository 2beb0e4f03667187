package dev.handoff.contracts.vocabulary;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The vocabulary's enums on the wire: the lower-case constant name, looked up and listed one way for all. */
final class WireNames {

    private WireNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> find(E[] values, String wireName) {
        return Arrays.stream(values).filter(value -> of(value).equals(wireName)).findFirst();
    }

    /** Every wire name, in declaration order. */
    static <E extends Enum<E>> Set<String> all(E[] values) {
        return Arrays.stream(values).map(WireNames::of).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
