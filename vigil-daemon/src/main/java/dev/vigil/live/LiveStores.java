package dev.vigil.live;

import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.core.store.RuntimeStore;
import dev.vigil.deploy.TemplateBuilder;
import dev.vigil.deploy.Timeouts;
import dev.vigil.store.SqliteStore;
import dev.vigil.store.StoreException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place {@code vigil run} chooses its store from {@code --store}: a file path is the embedded SQLite store (one
 * daemon); {@code dynamodb://TABLE} is the DynamoDB store the Lambda functions use, timers in the table, so that two or
 * more daemons on one queue share one ledger (a response claimed once), one record of processed events, and one set
 * of timers (each handed out once, taken over after its lease when its taker died).
 */
public final class LiveStores {
    public static final String DYNAMODB = "dynamodb://";

    /** The store and what to close with it. */
    public record Opened(RuntimeStore store, AutoCloseable resources) {}

    private LiveStores() {}

    /** The table named by a {@code dynamodb://TABLE} location (a Path collapses its "//": both spellings are read). */
    static Optional<String> table(String location) {
        if (!location.startsWith("dynamodb:/")) return Optional.empty();
        String t = location.substring("dynamodb:".length()).replaceFirst("^/+", "");
        if (!t.matches("[A-Za-z0-9_.-]{3,255}")) throw new StoreException("--store " + location + ": '" + t + "' is not a DynamoDB table name", null);
        return Optional.of(t);
    }

    /**
     * The claim lease: {@code VIGIL_CLAIM_LEASE_SECONDS}, as the functions take it (daemons side by side with the functions
     * on one table should hold the same lease), else the deployment's default. It must outlast the longest a holder
     * may be slow (an EC2 call's retries), since a claim past its lease is taken for interrupted.
     */
    static Duration lease(Function<String, String> env) {
        String s = env.apply(TemplateBuilder.LEASE_VARIABLE);
        if (s == null || s.isBlank()) return Timeouts.DEFAULT.lease();
        try {
            long n = Long.parseLong(s.trim());
            if (n > 0) return Duration.ofSeconds(n);
        } catch (NumberFormatException e) {
            // said below
        }
        throw new StoreException(TemplateBuilder.LEASE_VARIABLE + " must be a positive number of seconds, found '" + s + "'", null);
    }

    /**
     * @param endpoint the endpoint of every AWS call ({@code --endpoint-url}), or null; {@code AWS_ENDPOINT_URL_DYNAMODB}
     *     in {@code env} overrides it for the table alone
     */
    public static Opened open(Path location, Region region, URI endpoint, AwsCredentialsProvider credentials, Function<String, String> env,
                              Clock clock) {
        Optional<String> table = table(location.toString());
        if (table.isEmpty()) {
            SqliteStore s = SqliteStore.open(location, clock);
            return new Opened(s, s);
        }
        String own = env.apply("AWS_ENDPOINT_URL_DYNAMODB");
        URI at = own != null && !own.isBlank() ? URI.create(own) : endpoint;
        DynamoDbClient dynamo = StateClients.dynamo(region, at, credentials);
        try {
            dynamo.describeTable(b -> b.tableName(table.get())); // a missing table or no access: said now, not at the first event
        } catch (SdkException e) {
            dynamo.close();
            throw new StoreException("--store " + DYNAMODB + table.get() + ": DescribeTable failed in " + region + ": "
                    + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), e);
        }
        return new Opened(new DynamoStore(dynamo, table.get(), DynamoSettings.defaults().withClock(clock).withLease(lease(env))), dynamo);
    }
}
