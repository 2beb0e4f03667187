package dev.handoff.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The configuration one service reads, as Quarkus sees it: the keys of its application.properties and of
 * service-kit's microprofile-config.properties, every property of its {@code @ConfigMapping} interfaces (and
 * service-kit's), read by reflection from its compiled classes, and its {@code @ConfigProperty} names. An environment
 * variable is read when it is the Quarkus environment form of one of them (every character that is not a letter or
 * digit becomes {@code _}, upper case; a map key stands for any name).
 */
final class ServiceSettings {

    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name = \"([^\"]+)\"");
    private static final Pattern CONFIG_KEY_CONSTANT = Pattern.compile("CONFIG_KEY = \"([^\"]+)\"");
    private static final Pattern VM_AGENT_VARIABLE = Pattern.compile("\"(HANDOFF_[A-Z0-9_]+)\"");
    private static final byte[] CONFIG_MAPPING_DESCRIPTOR =
        ("L" + ConfigMapping.class.getName().replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);

    /** Properties as Quarkus names them; {@code *} is one map key (any name). */
    private final Set<String> properties;
    /** Defaults of the mapping properties, by property name. */
    private final Map<String, String> defaults;
    private final List<Pattern> envForms;

    private ServiceSettings(Set<String> properties, Map<String, String> defaults) {
        this.properties = properties;
        this.defaults = defaults;
        this.envForms = properties.stream().map(ServiceSettings::envPattern).toList();
    }

    static ServiceSettings of(String service) {
        Set<String> properties = new TreeSet<>(Repo.applicationProperties(service).keySet());
        properties.addAll(Repo.Properties.read(
            Repo.path("service-kit/src/main/resources/META-INF/microprofile-config.properties")).keySet());
        Map<String, String> defaults = new java.util.TreeMap<>();
        for (Class<?> mapping : configMappings(service)) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            walk(mapping, prefix, properties, defaults);
        }
        properties.addAll(configProperties(service));
        return new ServiceSettings(properties, defaults);
    }

    /** The environment variables the vm-agent reads (VmAgentConfig and its friends name each one literally). */
    static Set<String> vmAgentVariables() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repo.path("vm-agent/src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Matcher m = VM_AGENT_VARIABLE.matcher(Repo.read(f));
                while (m.find()) {
                    names.add(m.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    boolean reads(String environmentVariable) {
        return envForms.stream().anyMatch(p -> p.matcher(environmentVariable).matches());
    }

    Optional<String> defaultOf(String property) {
        return Optional.ofNullable(defaults.get(property));
    }

    Set<String> properties() {
        return properties;
    }

    /** Quarkus's environment form of a property name: non-alphanumerics to {@code _}, upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static Pattern envPattern(String property) {
        String[] parts = property.split("\\*", -1);
        String regex = Arrays.stream(parts).map(part -> Pattern.quote(envName(part)))
            .collect(Collectors.joining("[A-Z0-9]+(?:_[A-Z0-9]+)*"));
        return Pattern.compile(regex);
    }

    private static void walk(Class<?> group, String prefix, Set<String> out, Map<String, String> defaults) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String key = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            WithDefault withDefault = method.getAnnotation(WithDefault.class);
            if (withDefault != null) {
                defaults.put(key, withDefault.value());
            }
            Type type = method.getGenericReturnType();
            Class<?> raw = method.getReturnType();
            if (raw == Optional.class) {
                type = typeArgument(type, 0);
                raw = rawClass(type);
            }
            if (Map.class.isAssignableFrom(raw)) {
                key = key + ".*";
                Type value = typeArgument(type, 1);
                while (Map.class.isAssignableFrom(rawClass(value))) {
                    key = key + ".*";
                    value = typeArgument(value, 1);
                }
                raw = rawClass(value);
            }
            if (isGroup(raw)) {
                walk(raw, key, out, defaults);
            } else {
                out.add(key);
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.") && !Collection.class.isAssignableFrom(type);
    }

    private static Type typeArgument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    private static Class<?> rawClass(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    /** SmallRye's default naming: {@code workDir} -> {@code work-dir}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code @ConfigMapping} interfaces compiled into the service and service-kit. */
    private static List<Class<?>> configMappings(String service) {
        List<Path> dirs = List.of(Repo.path(service + "/target/classes"), Repo.path("service-kit/target/classes"),
            Repo.path("contracts/target/classes"));
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " is missing: build the services first (./mvnw -B package)");
            }
        }
        URL[] urls = dirs.stream().map(ServiceSettings::url).toArray(URL[]::new);
        ClassLoader loader = new URLClassLoader(urls, ServiceSettings.class.getClassLoader());
        List<Class<?>> mappings = new ArrayList<>();
        for (Path dir : dirs.subList(0, 2)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    if (!contains(Files.readAllBytes(file), CONFIG_MAPPING_DESCRIPTOR)) {
                        continue;
                    }
                    String name = dir.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                    Class<?> type = Class.forName(name, false, loader);
                    if (type.isAnnotationPresent(ConfigMapping.class)) {
                        mappings.add(type);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return mappings;
    }

    /** {@code @ConfigProperty(name = "...")} in the service's and service-kit's sources, constants resolved. */
    private static Set<String> configProperties(String service) {
        Set<String> names = new TreeSet<>();
        for (String module : List.of(service, "service-kit")) {
            try (Stream<Path> files = Files.walk(Repo.path(module + "/src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    String source = Repo.read(f);
                    Matcher literal = CONFIG_PROPERTY.matcher(source);
                    while (literal.find()) {
                        names.add(literal.group(1));
                    }
                    Matcher constant = CONFIG_KEY_CONSTANT.matcher(source);
                    while (constant.find()) {
                        names.add(constant.group(1));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static URL url(Path dir) {
        try {
            return dir.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
