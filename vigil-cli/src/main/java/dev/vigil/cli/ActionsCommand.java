package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.dynamo.DynamoStoreException;
import dev.vigil.store.SqliteStore;
import dev.vigil.store.StoreException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List the recorded actions, newest first: what was done, its status, and whether it can be undone (vigil undo ID);"
                + " the daemon's (--store) or the Lambda deployment's (--table, --stack).")
final class ActionsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    StoreOptions store;

    @Mixin
    AwsOptions aws;

    @Mixin
    TerminalOptions terminalOptions;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N actions (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Terminal terminal = terminalOptions.terminal();
        String missing = store.missing();
        if (missing != null) {
            System.err.println("vigil: " + missing);
            return 2;
        }
        List<ActionRow> rows;
        if (store.deployment()) {
            try (DeploymentTable t = DeploymentTable.open(store, aws)) {
                rows = t.actions.newest(Math.max(1, limit)).stream().map(ActionRow::of).toList();
            } catch (DynamoStoreException | IllegalArgumentException e) {
                System.err.println("vigil: " + e.getMessage());
                return 2;
            }
        } else {
            try (SqliteStore s = SqliteStore.openReadOnly(store.store, Clock.systemUTC())) { // reading: no migration, no write, claims left to the daemon
                rows = s.actions(Math.max(1, limit)).stream().map(ActionRow::of).toList();
            } catch (StoreException e) {
                System.err.println("vigil: " + e.getMessage());
                return 2;
            }
        }
        if ("json".equals(format)) {
            for (ActionRow a : rows) out.println(JsonColour.of(terminal, JSON.writeValueAsString(a.json())));
        } else if (rows.isEmpty()) {
            out.println("No actions recorded.");
        } else {
            Columns table = new Columns(ActionRow.HEADER).keep(0, 1, 4).style(4, ActionsCommand::statusColour);
            for (ActionRow a : rows) table.row(a.cells(), List.of());
            table.print(out, terminal);
        }
        return 0;
    }

    /** An action's status: green done, red failed, yellow neither (planned, skipped, held). */
    static String statusColour(String status) {
        return switch (status) {
            case "applied", "already-applied", "sent" -> Terminal.GREEN;
            case "failed" -> Terminal.RED;
            default -> Terminal.YELLOW;
        };
    }
}
