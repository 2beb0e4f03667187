package dev.handoff.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A Dockerfile read into stages of instructions (continuation lines joined, comments dropped). */
record Dockerfile(Path file, List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
        /** Whitespace-separated arguments without {@code --flag=value} options. */
        List<String> words() {
            return Arrays.stream(arguments.trim().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
        }
    }

    record Stage(String base, Optional<String> name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }
    }

    static Dockerfile read(Path file) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Repo.read(file).split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            if (!current.toString().isBlank()) {
                logical.add(current.toString().trim());
            }
            current.setLength(0);
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : logical) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                Optional<String> name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")
                    ? Optional.of(words.get(2)) : Optional.empty();
                stages.add(new Stage(words.get(0), name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new IllegalStateException(file + ": " + line + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return new Dockerfile(file, stages);
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().filter(name::equals).isPresent()).findFirst();
    }

    /** The stage a build without --target makes. */
    Stage lastStage() {
        return stages.get(stages.size() - 1);
    }

    /** The stages this stage builds on (itself first, then its base stage, and so on). */
    List<Stage> lineage(Stage stage) {
        List<Stage> chain = new ArrayList<>();
        Optional<Stage> next = Optional.of(stage);
        while (next.isPresent()) {
            chain.add(next.get());
            next = stage(next.get().base());
        }
        return chain;
    }
}
