package dev.vigil.live;

import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.core.finding.Finding;
import dev.vigil.testing.LocalSqs;
import dev.vigil.testing.Moto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fault table ({@link FaultTable}) with the daemon on the DynamoDB store ({@code --store dynamodb://TABLE}), the
 * table on moto's server: one server for the class (the run's shared one), a fresh table per row. The daemon's claim
 * lease is {@link #LEASE} s ({@code VIGIL_CLAIM_LEASE_SECONDS}, as the functions take it): longer than the hang, so a
 * claim whose holder is only slow is never taken over, and short enough that a claim a kill left in progress runs out
 * within the row (the restart returns the message meanwhile, then checks the account).
 */
@ExtendWith(Moto.class)
class FaultTableOnDynamoTest {
    static final int LEASE = 10;
    static LocalSqs sqs;
    static FaultTable table;
    static DynamoDbClient dynamo;
    static String endpoint;

    @TempDir
    Path dir;

    static final FaultTable.Store DYNAMODB = new FaultTable.Store() {
        @Override
        public String label() {
            return "dynamodb";
        }

        @Override
        public String create(Path rowDir, String row) {
            String t = "fault-" + row;
            DynamoStore.createTable(dynamo, t);
            return LiveStores.DYNAMODB + t;
        }

        @Override
        public Map<String, String> env() {
            return Map.of("AWS_ENDPOINT_URL_DYNAMODB", endpoint, "VIGIL_CLAIM_LEASE_SECONDS", Integer.toString(LEASE));
        }

        @Override
        public long[] counts(String location) {
            long[] n = new long[2];
            for (Map<String, AttributeValue> item : scan(location)) {
                String pk = item.get("pk").s();
                if (pk.startsWith("event#")) n[0]++;
                if (pk.startsWith("finding#") && "finding".equals(item.get("sk").s())) n[1]++;
            }
            return n;
        }

        /** Every finding by its id item (the day partitions that {@code recent} reads are of the events' time, years back). */
        @Override
        public List<Finding> findings(String location) {
            DynamoStore store = new DynamoStore(dynamo, LiveStores.table(location).orElseThrow(), DynamoSettings.defaults());
            List<Finding> out = new ArrayList<>();
            for (Map<String, AttributeValue> item : scan(location)) {
                String pk = item.get("pk").s();
                if (pk.startsWith("finding#") && "finding".equals(item.get("sk").s())) out.add(store.find(pk.substring("finding#".length())).orElseThrow());
            }
            return out;
        }

        private List<Map<String, AttributeValue>> scan(String location) {
            String t = LiveStores.table(location).orElseThrow();
            List<Map<String, AttributeValue>> out = new ArrayList<>();
            for (var page : dynamo.scanPaginator(b -> b.tableName(t).consistentRead(true))) out.addAll(page.items());
            return out;
        }

        @Override
        public long restartSeconds() {
            return 90 + LEASE;
        }
    };

    @BeforeAll
    static void start(Moto moto) {
        sqs = new LocalSqs();
        endpoint = moto.endpoint().toString();
        dynamo = DynamoDbClient.builder().region(Region.EU_WEST_1).endpointOverride(moto.endpoint()).credentialsProvider(Moto.CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
        table = new FaultTable(DYNAMODB, sqs);
    }

    @AfterAll
    static void stop() {
        if (sqs != null) sqs.close();
        if (dynamo != null) dynamo.close();
        if (table != null) System.out.println(table.table());
    }

    @TestFactory
    Stream<DynamicTest> aFaultAtEveryStepThenARestartActsOnceAndLosesNothingOnDynamoDb() throws Exception {
        return table.tests(dir);
    }
}
