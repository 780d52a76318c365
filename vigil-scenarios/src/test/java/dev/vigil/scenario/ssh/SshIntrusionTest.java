package dev.vigil.scenario.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.NetworkAclId;
import dev.vigil.core.event.NetworkInterfaceId;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.NetworkAclInfo;
import dev.vigil.core.inventory.NetworkInterfaceInfo;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshIntrusionTest {
    static final String I = "i-0a1b2c3d4e5f60718";
    static final String ATTACKER = "203.0.113.9";

    static StaticInventory inventory() {
        SubnetId subnet = SubnetId.of("subnet-0aa11bb22cc33dd44");
        VpcId vpc = VpcId.of("vpc-0123456789abcdef0");
        return StaticInventory.empty()
                .add(new InstanceInfo(InstanceId.of(I), "running", null, Map.of("Name", "web-1"), vpc, subnet,
                        List.of(new NetworkInterfaceInfo(NetworkInterfaceId.of("eni-0fedcba9876543210"), subnet, vpc,
                                List.of(SecurityGroupId.of("sg-0a0a0a0a0a0a0a0a0")))), null, null))
                .add(new NetworkAclInfo(NetworkAclId.of("acl-0123abcd4567ef890"), vpc, false, Map.of(),
                        List.of(new NetworkAclInfo.Entry(1, "-1", "allow", false, "10.0.0.0/8", null),
                                new NetworkAclInfo.Entry(100, "-1", "allow", false, "0.0.0.0/0", null),
                                new NetworkAclInfo.Entry(2, "-1", "allow", true, "0.0.0.0/0", null)),
                        List.of(new NetworkAclInfo.Association("aclassoc-0abc1234", subnet))));
    }

    static String policy(String params) {
        return """
                policies:
                  - name: ssh
                    detector: ssh-intrusion
                    params:
                      isolation-group: sg-0bad0bad0bad0bad0
                """ + (params.equals("{}") ? "" : params.indent(6)) + """
                    responses:
                      "*": [notify, quarantine-instance, block-source]
                      ssh-ban-expired: [unblock-source]
                """;
    }

    static EngineHarness harness(String params) {
        return EngineHarness.of(policy(params), inventory());
    }

    static SshLines lines() {
        return new SshLines(I, "web-1", "2024-05-01T10:00:00Z");
    }

    static ActionResult action(Finding f, String type) {
        return f.actions().stream().filter(a -> a.type().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void oneInvalidUserQuarantinesTheInstanceByDefault() {
        SshLines l = lines();
        EngineHarness h = harness("{}").feed(l.at(0, 100, "Invalid user oracle from 203.0.113.9 port 50022"),
                l.at(1, 100, "Invalid user test from 203.0.113.9 port 50022")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.INVALID_USER); // once per instance and source, not per line
        Finding f = h.findings.get(0);
        assertThat(f.resource()).isEqualTo(I);
        assertThat(f.source()).isEqualTo(ATTACKER);
        assertThat(f.facts()).containsEntry("instance-name", "web-1").containsEntry("users", "oracle").containsKey("sample-1")
                .containsKey("limitation");
        ActionResult q = action(f, "quarantine-instance");
        assertThat(q.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(q.params()).containsEntry("Action", "ModifyNetworkInterfaceAttribute").containsEntry("SecurityGroupId", List.of("sg-0bad0bad0bad0bad0"));
        assertThat(action(f, "block-source").status()).as("strategy quarantine proposes no block").isEqualTo(ActionStatus.SKIPPED);
    }

    @Test
    void aValidUsersFailedPasswordIsNoInvalidUser() {
        SshLines l = lines();
        EngineHarness h = harness("{}").feed(l.at(0, 100, "Failed password for root from 203.0.113.9 port 50022 ssh2")).finish(l.now());
        assertThat(h.findings).isEmpty();
    }

    @Test
    void threeRejectedKeysOnConnectionsThatNeverLoggedIn() {
        SshLines l = lines();
        EngineHarness h = harness("{}").feed(
                l.at(0, 200, "Failed publickey for git from 203.0.113.9 port 4000 ssh2: RSA SHA256:aaa"),
                l.at(1, 200, "Failed publickey for git from 203.0.113.9 port 4000 ssh2: RSA SHA256:bbb"),
                l.at(1, 200, "Failed publickey for git from 203.0.113.9 port 4000 ssh2: RSA SHA256:ccc"));
        assertThat(h.findings).as("counted when the connection ends, not before").isEmpty();
        h.feed(l.at(1, 200, "Connection closed by authenticating user git 203.0.113.9 port 4000 [preauth]")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.INVALID_KEY);
        assertThat(h.findings.get(0).facts()).containsEntry("count", "3");
    }

    @Test
    void rejectedKeysOfAUserWhoThenLogsInAreNotCounted() {
        SshLines l = lines();
        EngineHarness h = harness("{}").feed(
                l.at(0, 300, "Failed publickey for git from 203.0.113.9 port 4000 ssh2: RSA SHA256:aaa"),
                l.at(1, 300, "Failed publickey for git from 203.0.113.9 port 4000 ssh2: RSA SHA256:bbb"),
                l.at(1, 300, "Failed publickey for git from 203.0.113.9 port 4000 ssh2: RSA SHA256:ccc"),
                l.at(1, 300, "Accepted publickey for git from 203.0.113.9 port 4000 ssh2: ED25519 SHA256:ddd"),
                l.at(60, 300, "Disconnected from user git 203.0.113.9 port 4000")).finish(l.now());
        assertThat(h.findings).isEmpty();
    }

    @Test
    void tenDisconnectsBeforeAuthenticationInFiveMinutes() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 9; i++) {
            // OpenSSH 7+ logs two lines per dropped connection: counted once
            h.feed(l.at(20, 400 + i, "Received disconnect from 203.0.113.9 port 4000:11: Bye Bye [preauth]"),
                    l.at(0, 400 + i, "Disconnected from authenticating user root 203.0.113.9 port 4000 [preauth]"));
        }
        assertThat(h.findings).as("nine connections").isEmpty();
        h.feed(l.at(20, 499, "Connection closed by 203.0.113.9 port 4001 [preauth]")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.DISCONNECT_BURST);
        assertThat(h.findings.get(0).facts()).containsEntry("count", "10");
    }

    @Test
    void disconnectsSpreadBeyondTheWindowDoNotAddUp() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 12; i++) h.feed(l.at(40, 500 + i, "Connection closed by 203.0.113.9 port 4000 [preauth]"));
        h.finish(l.now());
        assertThat(h.findings).isEmpty(); // 12 in 8 minutes: at most 8 in any 5
    }

    @Test
    void logoutsAfterALogInAreNoDisconnectBurst() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 12; i++) {
            h.feed(l.at(5, 600 + i, "Accepted publickey for deploy from 198.51.100.20 port 5000 ssh2: ED25519 SHA256:x"),
                    l.at(5, 600 + i, "Received disconnect from 198.51.100.20 port 5000:11: disconnected by user"),
                    l.at(0, 600 + i, "Connection closed by 198.51.100.20 port 5000")); // no [preauth] (OpenSSH 9.8 style)
        }
        h.finish(l.now());
        assertThat(h.findings).isEmpty();
    }

    @Test
    void fiveFailuresInSixtySecondsIsBruteForce() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 4; i++) h.feed(l.at(10, 700, "Failed password for root from 203.0.113.9 port 4000 ssh2"));
        assertThat(h.findings).isEmpty();
        h.feed(l.at(10, 700, "Failed password for root from 203.0.113.9 port 4000 ssh2")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.BRUTE_FORCE);
        assertThat(h.findings.get(0).facts()).containsEntry("variant", "fast").containsEntry("count", "5").containsEntry("users", "root");
    }

    @Test
    void slowFailuresOrTwoSourcesAreNoFastBruteForce() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 6; i++) h.feed(l.at(30, 800, "Failed password for root from 203.0.113.9 port 4000 ssh2"));
        for (int i = 0; i < 4; i++) h.feed(l.at(1, 801, "Failed password for root from 203.0.113.10 port 4000 ssh2"));
        h.finish(l.now());
        assertThat(h.findings).isEmpty();
    }

    @Test
    void slowVariantAndRepeatedMessagesCount() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {slow: {enabled: true, failures: 10, window: 1h}}");
        h.feed(l.at(0, 900, "message repeated 3 times: [ Failed password for root from 203.0.113.9 port 4000 ssh2]"));
        for (int i = 0; i < 7; i++) h.feed(l.at(300, 900 + i, "Failed password for root from 203.0.113.9 port 4000 ssh2"));
        h.finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.BRUTE_FORCE);
        assertThat(h.findings.get(0).facts()).containsEntry("variant", "slow").containsEntry("count", "10");
    }

    @Test
    void userEnumerationCountsDistinctNames() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 100, enumeration: {enabled: true, users: 4, window: 10m}}");
        for (String u : List.of("admin", "admin", "oracle", "test", "admin")) {
            h.feed(l.at(30, 1000, "Failed password for invalid user " + u + " from 203.0.113.9 port 4000 ssh2"));
        }
        assertThat(h.findings.stream().filter(f -> f.rule().equals(SshIntrusion.BRUTE_FORCE))).isEmpty();
        h.feed(l.at(30, 1000, "Failed password for invalid user guest from 203.0.113.9 port 4000 ssh2")).finish(l.now());
        List<Finding> bf = h.findings(SshIntrusion.BRUTE_FORCE);
        assertThat(bf).hasSize(1);
        assertThat(bf.get(0).facts()).containsEntry("variant", "user-enumeration").containsEntry("count", "4");
        assertThat(bf.get(0).facts().get("users").split(", ")).containsExactlyInAnyOrder("admin", "oracle", "test", "guest");
    }

    @Test
    void aFailureWithoutAddressTakesItsConnectionsAddress() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 2}");
        h.feed(l.at(0, 1100, "Connection from 203.0.113.9 port 4000 on 10.0.0.5 port 22"),
                l.at(1, 1100, "Failed password for root from 203.0.113.9 port 4000 ssh2"),
                l.at(1, 1100, "Disconnecting: Too many authentication failures for root [preauth]")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.BRUTE_FORCE);
        assertThat(h.findings.get(0).source()).isEqualTo(ATTACKER);
    }

    @Test
    void successfulLogInAfterFailuresIsCritical() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 100}");
        for (int i = 0; i < 5; i++) h.feed(l.at(60, 1200 + i, "Failed password for admin from 203.0.113.9 port 4000 ssh2"));
        h.feed(l.at(60, 1300, "Accepted password for admin from 203.0.113.9 port 4100 ssh2")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.LOGIN_AFTER_FAILURES);
        Finding f = h.findings.get(0);
        assertThat(f.severity().label()).isEqualTo("critical");
        assertThat(f.facts()).containsEntry("count", "5").containsEntry("users", "admin");
        assertThat(action(f, "quarantine-instance").status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void aLogInAfterAFewTyposIsNothing() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        h.feed(l.at(0, 1400, "Failed password for alice from 198.51.100.20 port 4000 ssh2"),
                l.at(5, 1400, "Failed password for alice from 198.51.100.20 port 4000 ssh2"),
                l.at(5, 1400, "Accepted password for alice from 198.51.100.20 port 4000 ssh2")).finish(l.now());
        assertThat(h.findings).isEmpty();
    }

    @Test
    void allowListedSourcesAreReportedButNeverActedOnOrNotReportedAtAll() {
        SshLines l = lines();
        EngineHarness h = harness("allow-sources: [10.0.0.0/8]").feed(l.at(0, 1500, "Invalid user x from 10.1.2.3 port 5")).finish(l.now());
        assertThat(h.rules()).containsExactly(SshIntrusion.INVALID_USER);
        assertThat(h.findings.get(0).actions()).filteredOn(a -> a.type().equals("quarantine-instance"))
                .allMatch(a -> a.status() == ActionStatus.SKIPPED && a.detail().contains("allow-sources"));
        EngineHarness quiet = harness("allow-sources: [10.0.0.0/8]\nnotify-allow-listed: false")
                .feed(l.at(0, 1501, "Invalid user x from 10.1.2.3 port 5"), l.at(0, 1502, "Invalid user x from 10.200.0.1 port 5")).finish(l.now());
        assertThat(quiet.findings).isEmpty();
    }

    @Test
    void logsWithoutAnInstanceUseTheHostMapOrAreReportedWithoutAction() {
        SshLines l = new SshLines(null, "bastion-a", "2024-05-01T10:00:00Z");
        EngineHarness mapped = harness("hosts: {bastion-a: " + I + "}").feed(l.at(0, 1, "Invalid user x from 203.0.113.9")).finish(l.now());
        assertThat(mapped.findings.get(0).resource()).isEqualTo(I);
        assertThat(action(mapped.findings.get(0), "quarantine-instance").status()).isEqualTo(ActionStatus.PLANNED);
        EngineHarness unmapped = harness("{}").feed(l.at(0, 1, "Invalid user x from 203.0.113.9")).finish(l.now());
        assertThat(unmapped.findings.get(0).resource()).isEqualTo("bastion-a");
        assertThat(action(unmapped.findings.get(0), "quarantine-instance").status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(action(unmapped.findings.get(0), "quarantine-instance").detail()).contains("--instance");
    }

    @Test
    void underQuarantineOneFindingPerRuleAndInstanceUnderBlockOnePerSource() {
        SshLines l = lines();
        EngineHarness q = harness("{}").feed(l.at(0, 1, "Invalid user a from 203.0.113.1"), l.at(1, 2, "Invalid user b from 203.0.113.2"),
                l.at(1, 3, "Invalid user c from 203.0.113.3")).finish(l.now());
        assertThat(q.findings).hasSize(1);
        SshIntrusionDetector d = SshResponsesTest.detector(q);
        assertThat(d.stats().repeatsSuppressed()).isEqualTo(2);
        EngineHarness b = harness("strategy: block").feed(l.at(0, 1, "Invalid user a from 203.0.113.1"),
                l.at(1, 2, "Invalid user b from 203.0.113.2")).finish(l.now());
        assertThat(b.findings).extracting(Finding::source).containsExactly("203.0.113.1", "203.0.113.2");
        // after repeat-after, the instance is reported again
        EngineHarness later = harness("repeat-after: 10m").feed(l.at(0, 1, "Invalid user a from 203.0.113.1"),
                l.at(601, 2, "Invalid user b from 203.0.113.2")).finish(l.now());
        assertThat(later.findings).hasSize(2);
    }
}
