package dev.vigil.aws.dynamo;

import dev.vigil.core.store.RuntimeStore;
import dev.vigil.core.store.RuntimeStoreContract;
import dev.vigil.testing.Moto;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB store (timers in the table) held to the {@link RuntimeStore} contract, on moto's server: each store
 * instance is a runtime of its own (a Lambda instance); a crashed one's claims and timers are taken over after the lease.
 */
@ExtendWith(Moto.class)
class DynamoRuntimeStoreTest extends RuntimeStoreContract {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static DynamoDbClient dynamo;
    private static int tables;
    private String table;

    @BeforeAll
    static void client(Moto moto) {
        dynamo = moto.dynamo();
    }

    @AfterAll
    static void closeClient() {
        dynamo.close();
    }

    private DynamoStore instance() {
        return new DynamoStore(dynamo, table, DynamoSettings.defaults().withClock(clock).withLease(LEASE));
    }

    @Override
    protected RuntimeStore openFresh() {
        table = "vigil-contract-" + (++tables);
        DynamoStore.createTable(dynamo, table);
        return instance();
    }

    @Override
    protected RuntimeStore otherHandle() {
        return instance();
    }

    @Override
    protected RuntimeStore afterCrash() {
        clock.advance(LEASE.plusSeconds(1));
        return instance();
    }

    @Override
    protected boolean crashedClaimsAreTakenOver() {
        return true;
    }

    @Override
    protected Optional<Rejected> rejected(String messageId) {
        return ((DynamoStore) store).rejected(messageId).map(r -> new Rejected(r.source(), r.body(), r.error()));
    }
}
