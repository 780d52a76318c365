package dev.vigil.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnedTagsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static CloudTrailCall call(String name, String req, String resp) throws Exception {
        return new CloudTrailCall("e-" + name, Instant.parse("2024-05-01T10:00:00Z"), AccountId.of("111122223333"), Region.of("us-east-1"),
                Origin.record("t.json", 1), "ec2.amazonaws.com", name, Principal.UNKNOWN, null, null, null, null, JSON.readTree(req),
                resp == null ? JSON.missingNode() : JSON.readTree(resp), false);
    }

    @Test
    void runInstancesTagsAreTheNewInstancesWholeTagSet() throws Exception {
        String id = "i-0123456789abcdef0";
        StaticInventory base = StaticInventory.empty();
        LearnedTags t = new LearnedTags(base);
        t.learn(call("RunInstances", """
                {"instanceType":"t3.micro","tagSpecificationSet":{"items":[
                 {"resourceType":"instance","tags":[{"key":"vigil-exempt","value":"true"},{"key":"Name","value":"lab"}]},
                 {"resourceType":"volume","tags":[{"key":"backup","value":"daily"}]}]}}""",
                "{\"instancesSet\":{\"items\":[{\"instanceId\":\"" + id + "\"}]}}"));
        assertThat(t.tagsOf(id)).isEqualTo(Map.of("vigil-exempt", "true", "Name", "lab"));
        assertThat(t.tagsOf("i-0ffffffffffffffff")).isEmpty();
        assertThat(base.tagsOf(id)).isEmpty();
    }

    @Test
    void wrongShapesAreIgnoredNeverThrown() throws Exception {
        LearnedTags t = new LearnedTags(StaticInventory.empty());
        for (String req : List.of("\"x\"", "null", "{\"resourcesSet\":5,\"tagSet\":\"y\"}", "{\"resourcesSet\":{\"items\":[null,3,{\"resourceId\":[]}]},"
                + "\"tagSet\":{\"items\":[{\"key\":{\"a\":1},\"value\":2}]}}")) {
            t.learn(call("CreateTags", req, null));
            t.learn(call("DeleteTags", req, null));
        }
        t.learn(call("CreateSecurityGroup", "{}", "{\"groupId\":7}"));
        assertThat(t.tagsOf("sg-0123456789abcdef0")).isEmpty();
    }

    @Test
    void inventoryTagsStayUnlessTheStreamChangesThem() throws Exception {
        String id = "i-0123456789abcdef0";
        StaticInventory base = StaticInventory.empty().add(new InstanceInfo(InstanceId.of(id), "running", null, Map.of("team", "a", "vigil-exempt", "true"),
                null, null, List.of(), null, null));
        LearnedTags t = new LearnedTags(base);
        t.learn(call("CreateTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"" + id + "\"}]},\"tagSet\":{\"items\":[{\"key\":\"team\",\"value\":\"b\"}]}}", null));
        assertThat(t.tagsOf(id)).isEqualTo(Map.of("team", "b", "vigil-exempt", "true"));
        t.learn(call("DeleteTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"" + id + "\"}]},\"tagSet\":{\"items\":[{\"key\":\"vigil-exempt\"}]}}", null));
        assertThat(t.tagsOf(id)).isEqualTo(Map.of("team", "b"));
    }
}
