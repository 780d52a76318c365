package dev.vigil.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment's table: a finding the release before stored (params' old 'target-type') reads back as target_type. */
class FindingCodecLegacyTest {
    @Test
    void aStoredFindingOfTheReleaseBeforeReadsBackInTheNewNames() {
        String old = "{\"rule\":\"r\",\"policy\":\"p\",\"severity\":\"high\",\"time\":\"2026-01-01T00:00:00Z\",\"account\":null,\"region\":null,"
                + "\"resource\":null,\"source\":null,\"summary\":\"s\",\"event_ids\":[],\"actions\":[{\"type\":\"notify\",\"target\":\"ops\","
                + "\"status\":\"applied\",\"detail\":\"sent\",\"params\":{\"target-type\":\"sns\"},\"idempotency_key\":\"k\",\"undo\":{}}],\"facts\":{}}";
        Finding f = FindingCodec.read(old, "item 1");
        assertThat(f.actions().get(0).params()).isEqualTo(Map.of("target_type", "sns"));
        assertThat(FindingCodec.write(f)).contains("\"target_type\":\"sns\"").doesNotContain("target-type");
    }
}
