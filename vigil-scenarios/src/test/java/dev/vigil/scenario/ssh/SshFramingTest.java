package dev.vigil.scenario.ssh;

import static dev.vigil.scenario.ssh.SshIntrusionTest.action;
import static dev.vigil.scenario.ssh.SshIntrusionTest.harness;
import static dev.vigil.scenario.ssh.SshIntrusionTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.testing.EngineHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's framing through the SSH user name, end to end through the policy: the source is the address sshd wrote
 * after the user name, an address named inside a user name is never blocked, and never shelters the attacker.
 */
class SshFramingTest {
    private static final String ATTACKER = "203.0.113.66";
    private static final String PARTNER = "198.51.100.1";

    @Test
    void fiveFramingLinesAttributeToTheAddressSshdWroteLast() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block");
        for (int i = 0; i < 5; i++) {
            h.feed(l.at(5, 100 + i, "Failed password for invalid user x from " + PARTNER + ": from " + ATTACKER + " port 50000 ssh2"));
        }
        Finding f = h.findings(SshIntrusion.BRUTE_FORCE).get(0);
        assertThat(f.source()).isEqualTo(ATTACKER);
        assertThat(action(f, "block-source").params()).containsEntry("CidrBlock", ATTACKER + "/32");
        assertThat(h.findings).noneMatch(x -> PARTNER.equals(x.source()));
        assertThat(h.findings).flatMap(Finding::actions).noneMatch(a -> String.valueOf(a.params()).contains(PARTNER + "/32"));
        // the user name is kept, as sshd wrote it
        assertThat(f.facts().get("users")).hasToString("x from " + PARTNER + ":");
    }

    @Test
    void everyFramedFormAttributesToTheAttacker() {
        SshLines l = lines();
        List<String> forms = List.of(
                "Failed password for invalid user x from %s port 22 ssh2: from %s port 50000 ssh2",
                "Failed password for x from %s port 22 ssh2 from %s port 50000 ssh2",
                "Failed publickey for invalid user x from %s port 22 ssh2: RSA SHA256:abc from %s port 50000 ssh2",
                "message repeated 5 times: [ Failed password for invalid user a from %s: from %s port 50000 ssh2]",
                "error: maximum authentication attempts exceeded for invalid user x from %s port 22 ssh2 from %s port 50000 ssh2 [preauth]",
                "Invalid user x from %s port 22 from %s port 50000");
        for (String form : forms) {
            EngineHarness h = harness("strategy: block");
            for (int i = 0; i < 5; i++) h.feed(l.at(5, 200 + i, String.format(form, PARTNER, ATTACKER)));
            assertThat(h.findings).as(form).isNotEmpty().allMatch(x -> ATTACKER.equals(x.source()), "attributed to the attacker");
        }
        EngineHarness dropbear = harness("strategy: block");
        for (int i = 0; i < 5; i++) {
            dropbear.feed(l.line("dropbear", 300 + i, "Bad password attempt for 'x' from " + PARTNER + ":22 z' from " + ATTACKER + ":50000"));
        }
        assertThat(dropbear.findings(SshIntrusion.BRUTE_FORCE)).singleElement().satisfies(f -> assertThat(f.source()).isEqualTo(ATTACKER));
    }

    @Test
    void anAllowListedAddressInTheUserNameNeverProtectsTheAttacker() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block\nallow-sources: [198.51.100.0/24]\nnotify-allow-listed: false");
        for (int i = 0; i < 5; i++) {
            h.feed(l.at(5, 400 + i, "Failed password for invalid user x from " + PARTNER + ": from " + ATTACKER + " port 50000 ssh2"));
        }
        Finding f = h.findings(SshIntrusion.BRUTE_FORCE).get(0);
        assertThat(f.source()).isEqualTo(ATTACKER);
        assertThat(action(f, "block-source").status()).isEqualTo(ActionStatus.PLANNED);
        // and the allow-listed partner itself is still never acted on
        EngineHarness partner = harness("strategy: block\nallow-sources: [198.51.100.0/24]");
        for (int i = 0; i < 5; i++) partner.feed(l.at(5, 500 + i, "Failed password for root from " + PARTNER + " port 4000 ssh2"));
        assertThat(action(partner.findings(SshIntrusion.BRUTE_FORCE).get(0), "block-source").status()).isEqualTo(ActionStatus.SKIPPED);
    }

    @Test
    void anAmbiguousLineIsCountedUnattributableNeverGuessed() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block");
        SshIntrusionDetector d = SshResponsesTest.detector(h);
        // a hostbased attempt whose client host name (the client's) embeds another complete sshd suffix: two readings
        String line = "Failed hostbased for x from " + PARTNER + " port 22 ssh2: RSA SHA256:a, client user \"u\", client host \"h"
                + " from " + ATTACKER + " port 50000 ssh2: RSA SHA256:b, client user \"v\", client host \"w\"";
        for (int i = 0; i < 5; i++) h.feed(l.at(5, 600 + i, line));
        // and a truncated line
        h.feed(l.at(5, 700, "Failed password for root from 203.0.113.7 po"));
        assertThat(h.findings).isEmpty();
        assertThat(d.stats().asMap()).containsEntry("ssh_unattributable", 6L);
    }

    @Test
    void controlCharactersInAUserNameAreEscapedInTheFinding() {
        SshLines l = lines();
        EngineHarness h = harness("strategy: block");
        h.feed(l.line("dropbear", 800, "Login attempt for nonexistent user 'ro\u001b[31mot\u2028x' from " + ATTACKER + ":4000"));
        Finding f = h.findings(SshIntrusion.INVALID_USER).get(0);
        assertThat(String.valueOf(f.facts().get("users"))).isEqualTo("ro\\x1b[31mot\\u2028x").doesNotContain("\u001b");
        assertThat(String.valueOf(f.facts().get("sample-1"))).doesNotContain("\u001b").doesNotContain("\u2028");
    }
}
