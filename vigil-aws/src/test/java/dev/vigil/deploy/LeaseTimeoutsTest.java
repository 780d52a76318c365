package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.policy.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, "leases longer than any redelivery": in every generated template the function timeout, the queue's
 * visibility timeout and the claim lease the functions read come from one setting, with visibility >= 6 x timeout
 * and lease > visibility + timeout.
 */
class LeaseTimeoutsTest {
    /** The three values as the template sets them. */
    record Times(long function, long visibility, long lease) {}

    static Times times(JsonNode t) {
        long function = t.at("/Globals/Function/Timeout").asLong(-1);
        long lease = Long.parseLong(t.at("/Globals/Function/Environment/Variables/" + TemplateBuilder.LEASE_VARIABLE).asText("-1"));
        long visibility = t.at("/Resources/EventQueue/Properties/VisibilityTimeout").asLong(-1);
        return new Times(function, visibility, lease);
    }

    static void assertOrdered(Times x, String what) {
        assertThat(x.function()).as(what + ": function timeout").isPositive();
        assertThat(x.visibility()).as(what + ": visibility timeout >= 6 x function timeout").isGreaterThanOrEqualTo(6 * x.function());
        assertThat(x.lease()).as(what + ": lease > visibility + function timeout").isGreaterThan(x.visibility() + x.function());
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "default"})
    void theGeneratedTemplatesKeepTheLeaseTheLongest(String which) throws Exception {
        for (boolean org : List.of(false, true)) {
            JsonNode t = Templates.template(TemplateStructureTest.policy(which), org);
            Times x = times(t);
            assertThat(t.at("/Resources/EventQueue").isMissingNode()).as(which + ": has a queue").isFalse();
            assertOrdered(x, which + " org=" + org);
            assertThat(x).isEqualTo(new Times(60, 360, 480));
        }
    }

    @Test
    void oneSettingMovesAllThree() throws Exception {
        String text = Files.readString(Path.of("examples/policy.yaml"));
        assertThat(text).doesNotContain("\nlive:");
        var set = Policies.parse("t.yaml", text.replace("\npolicies:\n", "\nlive:\n  function-timeout: 2m\npolicies:\n"));
        for (boolean org : List.of(false, true)) {
            Times x = times(Templates.template(set, org));
            assertOrdered(x, "function-timeout 2m");
            assertThat(x).isEqualTo(new Times(120, 720, 960));
        }
    }

    @Test
    void aTimeoutOutsideLambdasBoundsIsRefused() throws Exception {
        String text = Files.readString(Path.of("examples/policy.yaml"));
        assertThatThrownBy(() -> Policies.parse("t.yaml", text.replace("\npolicies:\n", "\nlive:\n  function-timeout: 16m\npolicies:\n")))
                .isInstanceOf(PolicyException.class).hasMessageContaining("function-timeout");
        assertThatThrownBy(() -> new Timeouts(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Timeouts.DEFAULT.lease()).isEqualTo(dev.vigil.aws.dynamo.DynamoSettings.defaults().lease());
    }
}
