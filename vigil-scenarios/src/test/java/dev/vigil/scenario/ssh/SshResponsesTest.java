package dev.vigil.scenario.ssh;

import static dev.vigil.scenario.ssh.SshIntrusionTest.I;
import static dev.vigil.scenario.ssh.SshIntrusionTest.action;
import static dev.vigil.scenario.ssh.SshIntrusionTest.harness;
import static dev.vigil.scenario.ssh.SshIntrusionTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.testing.EngineHarness;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshResponsesTest {

    private static void bruteForce(EngineHarness h, SshLines l, String source, long pid) {
        for (int i = 0; i < 5; i++) h.feed(l.at(5, pid, "Failed password for root from " + source + " port 4000 ssh2"));
    }

    @Test
    void blockStrategyDeniesTheSourceInTheSubnetsAclAndLiftsTheBanLater() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block");
        bruteForce(h, l, "203.0.113.9", 1);
        Finding f = h.findings(SshIntrusion.BRUTE_FORCE).get(0);
        ActionResult block = action(f, "block-source");
        assertThat(block.status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(block.target()).isEqualTo("acl-0123abcd4567ef890");
        // rule 1 is taken by an ingress entry, rule 2 only by an egress one: 2 is free for ingress
        assertThat(block.params()).containsEntry("Action", "CreateNetworkAclEntry").containsEntry("NetworkAclId", "acl-0123abcd4567ef890")
                .containsEntry("RuleNumber", 2).containsEntry("RuleAction", "deny").containsEntry("Egress", false)
                .containsEntry("CidrBlock", "203.0.113.9/32").containsEntry("Protocol", "-1");
        assertThat(action(f, "quarantine-instance").status()).isEqualTo(ActionStatus.SKIPPED); // not proposed under block

        // a second source gets the next rule number
        bruteForce(h, l, "2001:db8::66", 2);
        ActionResult block6 = action(h.findings(SshIntrusion.BRUTE_FORCE).get(1), "block-source");
        assertThat(block6.params()).containsEntry("RuleNumber", 3).containsEntry("Ipv6CidrBlock", "2001:db8::66/128");

        h.finish(l.now().plusSeconds(3600));
        List<Finding> expired = h.findings(SshIntrusion.BAN_EXPIRED);
        assertThat(expired).hasSize(2);
        ActionResult unblock = action(expired.get(0), "unblock-source");
        assertThat(unblock.params()).containsEntry("Action", "DeleteNetworkAclEntry").containsEntry("RuleNumber", 2)
                .containsEntry("NetworkAclId", "acl-0123abcd4567ef890").containsEntry("Egress", false);
        assertThat(expired.get(0).source()).isEqualTo("203.0.113.9");
    }

    @Test
    void theSameSourceAgainWithinItsBanIsAlreadyApplied() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block\nrepeat-after: 1m");
        bruteForce(h, l, "203.0.113.9", 1);
        l.at(120, 0, "x");
        bruteForce(h, l, "203.0.113.9", 2);
        List<Finding> bf = h.findings(SshIntrusion.BRUTE_FORCE);
        assertThat(bf).hasSize(2);
        assertThat(action(bf.get(0), "block-source").status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(action(bf.get(1), "block-source").status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void hostNamesAndOddAddressesAreNotBlocked() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block");
        bruteForce(h, l, "attacker.example.net", 1);
        Finding f = h.findings(SshIntrusion.BRUTE_FORCE).get(0);
        assertThat(action(f, "block-source").status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(f.facts().get("block-source")).contains("not a literal IP address");
        EngineHarness odd = harness("strategy: block");
        bruteForce(odd, l, "192.030.0.6", 3);
        assertThat(odd.findings(SshIntrusion.BRUTE_FORCE).get(0).facts().get("block-source")).contains("not a literal IP address");
    }

    @Test
    void escalateBlocksFirstThenQuarantinesWhenSeveralSourcesFail() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: escalate\nescalate: {sources: 3, window: 10m}");
        bruteForce(h, l, "203.0.113.1", 1);
        Finding first = h.findings(SshIntrusion.BRUTE_FORCE).get(0);
        assertThat(action(first, "block-source").status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(action(first, "quarantine-instance").status()).isEqualTo(ActionStatus.SKIPPED);
        h.feed(l.at(5, 2, "Failed password for root from 203.0.113.2 port 4000 ssh2"));
        assertThat(h.findings).hasSize(1);
        h.feed(l.at(5, 3, "Failed password for root from 203.0.113.3 port 4000 ssh2"));
        Finding distributed = h.findings.get(1);
        assertThat(distributed.rule()).isEqualTo(SshIntrusion.BRUTE_FORCE);
        assertThat(distributed.facts().get("variant")).startsWith("distributed: ").contains("203.0.113.1", "203.0.113.2", "203.0.113.3");
        assertThat(action(distributed, "quarantine-instance").status()).isEqualTo(ActionStatus.PLANNED);
        // from now on the instance is escalated: a new source's brute force proposes both
        bruteForce(h, l, "203.0.113.4", 4);
        Finding later = h.findings(SshIntrusion.BRUTE_FORCE).get(2);
        assertThat(action(later, "block-source").status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(action(later, "quarantine-instance").status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void memoryStaysBoundedWithManyDistinctSources() {
        SshLines l = lines();
        EngineHarness h = harness("max-tracked-keys: 1000");
        SshIntrusionDetector d = detector(h);
        int peak = 0;
        for (int i = 0; i < 200_000; i++) {
            String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            h.feed(l.at(0, i, "Failed password for root from " + ip + " port 4000 ssh2"));
            if ((i & 1023) == 0) peak = Math.max(peak, d.trackedKeys());
        }
        assertThat(h.findings).isEmpty();
        // connections, brute force, login-after-failures, slow brute force and user enumeration: each bounded
        assertThat(peak).as("keys held").isLessThanOrEqualTo(5 * 1000 + 10);
        assertThat(d.stats().failures()).isEqualTo(200_000);
    }

    @Test
    void idleKeysExpireInEventTime() {
        SshLines l = lines();
        EngineHarness h = harness("login-after-failures: {enabled: false}");
        SshIntrusionDetector d = detector(h);
        for (int i = 0; i < 20_000; i++) {
            h.feed(l.at(1, i, "Failed password for root from 198.18." + (i >> 8 & 255) + "." + (i & 255) + " port 4000 ssh2"));
        }
        // one failure per source and second: a 60 s brute-force window and 10 min connections keep far fewer than 20,000
        assertThat(d.trackedKeys()).isLessThan(1_500);
    }

    @Test
    void statsCountUnclassifiedSshdLinesOnly() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        SshIntrusionDetector d = detector(h);
        h.feed(l.at(0, 1, "Frobnicated something new"), l.line("sshd-session", 2, "Completely new OpenSSH 11 wording"),
                l.line("sudo", 3, "pam_unix(sudo:session): session opened for user root"), l.at(0, 4, "Server listening on 0.0.0.0 port 22."));
        assertThat(d.stats().unclassified()).isEqualTo(2);
        assertThat(d.stats().asMap()).containsEntry("ssh_unclassified", 2L).containsEntry("ssh_lines", 3L);
        assertThat(d.stats().unclassifiedSamples()).containsExactly("Frobnicated something new", "Completely new OpenSSH 11 wording");
    }

    @Test
    void badParametersAreRejectedWithTheirKey() {
        assertThatThrownBy(() -> harness("brute-force: {mode: paranoid}")).isInstanceOf(PolicyException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> harness("strategy: nuke")).isInstanceOf(PolicyException.class).hasMessageContaining("strategy");
        assertThatThrownBy(() -> harness("allow-sources: [10.0.0.0/33]")).isInstanceOf(PolicyException.class).hasMessageContaining("allow-sources");
        assertThatThrownBy(() -> harness("hosts: {web: not-an-instance}")).isInstanceOf(PolicyException.class).hasMessageContaining("hosts");
        assertThatThrownBy(() -> harness("block-source: {rule-numbers: 50-10}")).isInstanceOf(PolicyException.class).hasMessageContaining("rule-numbers");
        assertThatThrownBy(() -> harness("invalid-users: {threshold: 2}")).isInstanceOf(PolicyException.class).hasMessageContaining("invalid-users");
    }

    @Test
    void oddEventsNeverThrow() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: escalate\nbrute-force: {enumeration: {enabled: true}, slow: {enabled: true}}");
        h.feed(l.line(null, -1, null), l.line("sshd", -1, ""), l.line(null, -1, "Failed password for root from"),
                l.line("dropbear", 7, "Exit before auth from <"), l.line("sshd", 8, "Disconnecting: Too many authentication failures"),
                l.line("sshd", 8, "Connection closed by  [preauth]"));
        h.finish(Instant.parse("2024-05-02T00:00:00Z"));
        assertThat(h.problems).isEmpty();
    }

    static SshIntrusionDetector detector(EngineHarness h) {
        try {
            var f = EngineHarness.class.getDeclaredField("engine");
            f.setAccessible(true);
            var engine = f.get(h);
            var pf = engine.getClass().getDeclaredField("policies");
            pf.setAccessible(true);
            @SuppressWarnings("unchecked")
            List<ActivePolicy> ps = (List<ActivePolicy>) pf.get(engine);
            return (SshIntrusionDetector) ps.get(0).detector();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
