package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The matcher itself, against the behaviour EventBridge documents, so that the template tests rest on it. */
class EventPatternsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static boolean m(String pattern, String event) throws Exception {
        return EventPatterns.matches(JSON.readTree(pattern), JSON.readTree(event));
    }

    @Test
    void exactValuesNestingAndArrays() throws Exception {
        String p = "{\"source\":[\"aws.ec2\"],\"detail\":{\"eventName\":[\"A\",\"B\"]}}";
        assertThat(m(p, "{\"source\":\"aws.ec2\",\"detail\":{\"eventName\":\"B\"}}")).isTrue();
        assertThat(m(p, "{\"source\":\"aws.ec2\",\"detail\":{\"eventName\":\"C\"}}")).isFalse();
        assertThat(m(p, "{\"source\":\"aws.iam\",\"detail\":{\"eventName\":\"A\"}}")).isFalse();
        assertThat(m(p, "{\"source\":\"aws.ec2\"}")).isFalse();
        assertThat(m("{\"r\":[\"x\"]}", "{\"r\":[\"y\",\"x\"]}")).isTrue();
        assertThat(m("{\"n\":[5]}", "{\"n\":5.0}")).isTrue();
    }

    @Test
    void operators() throws Exception {
        assertThat(m("{\"k\":[{\"prefix\":\"AWSLogs/\"}]}", "{\"k\":\"AWSLogs/1/x.json.gz\"}")).isTrue();
        assertThat(m("{\"k\":[{\"prefix\":\"AWSLogs/\"}]}", "{\"k\":\"other/AWSLogs/\"}")).isFalse();
        assertThat(m("{\"k\":[{\"exists\":true}]}", "{\"k\":1}")).isTrue();
        assertThat(m("{\"k\":[{\"exists\":true}]}", "{}")).isFalse();
        assertThat(m("{\"k\":[{\"exists\":false}]}", "{}")).isTrue();
        assertThat(m("{\"k\":[{\"anything-but\":[\"a\",\"b\"]}]}", "{\"k\":\"c\"}")).isTrue();
        assertThat(m("{\"k\":[{\"anything-but\":\"a\"}]}", "{\"k\":\"a\"}")).isFalse();
    }
}
