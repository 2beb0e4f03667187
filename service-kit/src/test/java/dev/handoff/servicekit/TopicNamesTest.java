package dev.handoff.servicekit;

import dev.handoff.contracts.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Topics} is the only definition of topic names: every topic a service's configuration (or service-kit's
 * shared defaults) names for a channel or a dead-letter queue is one of {@link Topics#ALL}, so a typo or a topic
 * made up in one service fails the build instead of a message going nowhere.
 */
class TopicNamesTest {

    @Test
    void everyConfiguredTopicIsDefinedInTopics() throws IOException {
        List<Path> files = configurationFiles();
        assertThat(files).as("the services' application.properties").hasSizeGreaterThanOrEqualTo(4);
        List<String> topics = new ArrayList<>();
        for (Path file : files) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().stream().filter(name -> name.endsWith(".topic"))
                .forEach(name -> topics.add(properties.getProperty(name).strip()));
        }
        assertThat(topics).isNotEmpty();
        assertThat(topics).allSatisfy(topic -> assertThat(Topics.ALL).as("topic " + topic).contains(topic));
    }

    /** Every module's main application.properties, and service-kit's shared defaults. */
    private static List<Path> configurationFiles() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(module -> module.resolve("src/main/resources/application.properties"))
                .filter(Files::isRegularFile).forEach(files::add);
        }
        files.add(root.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties"));
        return files;
    }
}
