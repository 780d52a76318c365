package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The release before's key names read back in the new ones, by both stores' codecs; only the new ones are written. */
class LegacyNamesTest {
    static final String OLD = "{\"rule\":\"r\",\"policy\":\"p\",\"severity\":\"high\",\"time\":\"2026-01-01T00:00:00Z\",\"account\":null,"
            + "\"region\":null,\"resource\":null,\"source\":null,\"summary\":\"s\",\"event_ids\":[\"e-1\"],\"actions\":[{\"type\":\"notify\","
            + "\"target\":\"ops\",\"status\":\"applied\",\"detail\":\"sent\",\"params\":{\"target-type\":\"sns\"}}]}";

    @Test
    void anOldKeyIsRenamedAndTheNewOneWinsWhenBothAreThere() {
        assertThat(LegacyNames.params(Map.of("target-type", "sns"))).isEqualTo(Map.of("target_type", "sns"));
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("target-type", "old");
        both.put("target_type", "new");
        assertThat(LegacyNames.params(both)).isEqualTo(Map.of("target_type", "new"));
        Map<String, Object> aws = Map.of("Action", "RevokeSecurityGroupIngress", "GroupId", "sg-1");
        assertThat(LegacyNames.params(aws)).isSameAs(aws); // AWS's names are data: untouched
    }

    @Test
    void aStoredFindingOfTheReleaseBeforeReadsBackInTheNewNamesAndIsWrittenSo() {
        Finding f = dev.vigil.store.FindingCodec.read(OLD);
        assertThat(f.actions().get(0).params()).isEqualTo(Map.of("target_type", "sns"));
        assertThat(dev.vigil.store.FindingCodec.write(f)).contains("\"target_type\":\"sns\"").doesNotContain("target-type");
        assertThat(FindingJson.text(f)).contains("\"target_type\":\"sns\"");
    }
}
