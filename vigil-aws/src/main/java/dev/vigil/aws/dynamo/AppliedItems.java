package dev.vigil.aws.dynamo;

import static dev.vigil.aws.dynamo.DynamoStore.n;
import static dev.vigil.aws.dynamo.DynamoStore.s;
import static dev.vigil.aws.dynamo.DynamoStore.sortTime;
import static dev.vigil.aws.dynamo.DynamoStore.str;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.RuntimeStore.AppliedAction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Applied disruptive actions, what the blast-radius limit counts: one item per action in the UTC day partition of when
 * it was recorded, {@code applied#<yyyy-MM-dd>}, sorted by that time ({@code <time>#<finding id>#<action index>}), so
 * {@code disruptiveAppliedSince(from)} is a {@code Query} per day from {@code from} to tomorrow (clock skew). Written
 * with the finding (same transaction), kept as long as findings.
 */
final class AppliedItems {
    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSettings settings;

    AppliedItems(DynamoDbClient dynamo, String table, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = table;
        this.settings = settings;
    }

    /** As the embedded store counts them: applied, and neither a notification nor an undo. */
    static boolean counts(ActionResult a) {
        return a.status() == ActionStatus.APPLIED && !"notify".equals(a.type()) && !"undo".equals(a.type());
    }

    static String partition(Instant at) {
        return "applied#" + LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    static Map<String, AttributeValue> item(Finding f, int seq, ActionResult a, Instant at, long ttl) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(partition(at)));
        item.put("sk", s(sortTime(at) + "#" + f.id() + "#" + seq));
        item.put("at", s(at.toString()));
        item.put("finding_id", s(f.id()));
        item.put("type", s(a.type()));
        item.put("target", s(a.target()));
        if (f.account() != null) item.put("account", s(f.account().value()));
        item.put("ttl", n(ttl));
        return item;
    }

    List<AppliedAction> since(Instant from) {
        Instant now = settings.clock().instant();
        Instant oldestKept = now.minus(settings.findingRetention()); // older items have expired
        LocalDate day = LocalDate.ofInstant(from.isBefore(oldestKept) ? oldestKept : from, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1);
        String fromSk = sortTime(from.isBefore(oldestKept) ? oldestKept : from);
        List<AppliedAction> out = new ArrayList<>();
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            String pk = "applied#" + day;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> after = start;
                QueryResponse r;
                try {
                    r = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk >= :f")
                            .expressionAttributeValues(Map.of(":p", s(pk), ":f", s(fromSk)))
                            .consistentRead(true).scanIndexForward(true).exclusiveStartKey(after));
                } catch (SdkException e) {
                    throw DynamoStore.failure(table, "query applied actions", pk, e);
                }
                for (var item : r.items()) out.add(new AppliedAction(str(item, "account"), Instant.parse(str(item, "at"))));
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return out;
    }
}
