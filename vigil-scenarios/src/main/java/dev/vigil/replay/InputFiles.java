package dev.vigil.replay;

import dev.vigil.inventory.AwsCliInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The files a replay reads, in order: each path as given, directories walked recursively with their files sorted by
 * path (CloudTrail's S3 layout then sorts by time) and hidden files skipped. Inventory files (describe-* JSON)
 * found among them are set apart, to be loaded before any event is read.
 */
public record InputFiles(List<Path> events, List<Path> inventory) {

    /** {@code -}: standard input, read as one input named {@code -} (streamed, never stored). */
    public static final Path STDIN = Path.of("-");

    public static InputFiles of(List<Path> paths, BiConsumer<String, String> errors) {
        List<Path> events = new ArrayList<>();
        List<Path> inventory = new ArrayList<>();
        java.util.Map<Path, Boolean> cases = new java.util.HashMap<>();
        for (Path p : paths) {
            if (p.equals(STDIN)) {
                events.add(p);
                continue;
            }
            if (!Files.exists(p)) {
                errors.accept(p.toString(), "no such file or directory");
                continue;
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> p.relativize(f).toString().isEmpty() || !hidden(p.relativize(f)))
                            .filter(f -> !notInput(f))
                            .filter(f -> !inTestCase(p, f, cases))
                            .sorted()
                            .forEach(f -> (AwsCliInventory.looksLikeInventory(f) ? inventory : events).add(f));
                } catch (IOException | java.io.UncheckedIOException e) {
                    errors.accept(p.toString(), "cannot list directory: " + e.getMessage());
                }
            } else if (!Files.isReadable(p)) {
                errors.accept(p.toString(), "not readable");
            } else {
                (AwsCliInventory.looksLikeInventory(p) ? inventory : events).add(p);
            }
        }
        return new InputFiles(List.copyOf(events), List.copyOf(inventory));
    }

    /** Policy files and notes kept beside examples are not inputs when met while walking a directory. */
    private static boolean notInput(Path f) {
        String n = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".md");
    }

    /**
     * A policy test case's inputs ({@code tests/<case>/...} beside an {@code expect.yaml}, see {@code vigil test}) are
     * not inputs of a directory around the case: {@code vigil replay examples/} does not read examples/tests/.
     */
    private static boolean inTestCase(Path root, Path f, java.util.Map<Path, Boolean> cache) {
        for (Path d = f.getParent(); d != null && !d.equals(root); d = d.getParent()) {
            if (cache.computeIfAbsent(d, x -> Files.isRegularFile(x.resolve("expect.yaml")))) return true;
        }
        return false;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }
}
