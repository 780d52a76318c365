package dev.vigil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The store option shared by the commands that read what the daemon recorded. */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "FILE", defaultValue = "${env:VIGIL_STORE:-vigil-state/vigil.db}",
            description = "The SQLite store (default: $VIGIL_STORE or ${DEFAULT-VALUE}).")
    Path store;

    /** Null when the store exists; otherwise the one-line reason. */
    String missing() {
        return Files.isRegularFile(store) ? null : "no store at " + store + " (give --store, or run 'vigil run' first)";
    }
}
