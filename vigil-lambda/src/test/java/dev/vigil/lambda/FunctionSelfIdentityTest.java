package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function knows its own principal from STS GetCallerIdentity (LambdaHarness answers it as
 * {@code assumed-role/vigil-function/vigil-events}): its own calls are never answered, a session of that name in
 * another role is.
 */
class FunctionSelfIdentityTest {
    @TempDir
    Path dir;

    LambdaHarness h;
    EventsHandler handler;

    @BeforeEach
    void start() throws Exception {
        h = new LambdaHarness(dir, Clock.fixed(Instant.parse("2024-07-02T14:00:00Z"), ZoneOffset.UTC));
        handler = new EventsHandler(h.invocations);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** The examples' first sg-guard call (ingress added to a protected group), made by {@code role}'s session. */
    static String callBy(String role, String session, String id) throws Exception {
        JsonNode all = LambdaHarness.JSON.readTree(Files.readString(Path.of("examples/sg-guard/eventbridge-sg-calls.json")));
        ObjectNode e = (ObjectNode) (all.isArray() ? all.get(0) : all).deepCopy();
        e.put("id", id);
        ObjectNode detail = (ObjectNode) e.get("detail");
        detail.put("eventID", id);
        ObjectNode who = LambdaHarness.JSON.createObjectNode().put("type", "AssumedRole").put("principalId", "AROAEXAMPLE:" + session)
                .put("arn", "arn:aws:sts::111122223333:assumed-role/" + role + "/" + session).put("accountId", "111122223333");
        who.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role").put("arn", "arn:aws:iam::111122223333:role/" + role)
                .put("accountId", "111122223333").put("userName", role);
        detail.set("userIdentity", who);
        return e.toString();
    }

    @Test
    void theFunctionsOwnSessionIsNotAnsweredASessionOfTheSameNameInAnotherRoleIs() throws Exception {
        LambdaHarness.invoke(handler, callBy("vigil-function", "vigil-events", "00000000-0000-4000-8000-0000000000a1"));
        assertThat(h.sent("GetCallerIdentity")).hasSize(1);
        assertThat(h.sent("RevokeSecurityGroupIngress")).isEmpty();

        LambdaHarness.invoke(handler, callBy("Admin", "vigil-events", "00000000-0000-4000-8000-0000000000a2"));
        assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(1);
        // and a session named as the policy's self.session-name ("vigil") in another role is answered too
        LambdaHarness.invoke(handler, callBy("Admin", "vigil", "00000000-0000-4000-8000-0000000000a3"));
        assertThat(h.sent("RevokeSecurityGroupIngress")).hasSize(2);
        assertThat(h.sent("GetCallerIdentity")).as("asked once per function instance").hasSize(1);
    }
}
