package dev.vigil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The store option shared by the commands that read what vigil recorded: the daemon's SQLite file, or the Lambda
 * deployment's DynamoDB table (by name, or by its stack's {@code StateTableName} output).
 */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "FILE", defaultValue = "${env:VIGIL_STORE:-vigil-state/vigil.db}",
            description = "The SQLite store (default: $VIGIL_STORE or ${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--table", paramLabel = "NAME", description = "The Lambda deployment's DynamoDB table instead of the SQLite store.")
    String table;

    @Option(names = "--stack", paramLabel = "NAME", description = "The Lambda deployment's CloudFormation stack: its table from the"
            + " stack's outputs (StateTableName).")
    String stack;

    /** True when the command reads the Lambda deployment's table. */
    boolean deployment() {
        return table != null || stack != null;
    }

    /** Null when the store can be opened; otherwise the one-line reason. */
    String missing() {
        if (table != null && stack != null) return "give --table or --stack, not both";
        if (deployment()) return null;
        return Files.isRegularFile(store) ? null : "no store at " + store + " (give --store, or run 'vigil run' first)";
    }
}
