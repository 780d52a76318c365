package dev.vigil.scenario.ssh;

import static dev.vigil.scenario.ssh.SshIntrusionTest.action;
import static dev.vigil.scenario.ssh.SshIntrusionTest.harness;
import static dev.vigil.scenario.ssh.SshIntrusionTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.scenario.ssh.auth.SshAuthClassifier;
import dev.vigil.testing.EngineHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address normalisation, and loopback and the host's own addresses: reported, never acted on (fail2ban's ignoreself). */
class SshAddressesTest {

    private static Finding bruteForce(EngineHarness h, SshLines l, String from) {
        for (int i = 0; i < 5; i++) h.feed(l.at(1, 900 + i, "Failed password for root from " + from + " port " + (4000 + i) + " ssh2"));
        return h.findings(SshIntrusion.BRUTE_FORCE).get(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Failed password for root from fe80::1%eth0 port 22 ssh2              | fe80::1
            Failed password for root from [2001:db8::5%25] port 22 ssh2          | 2001:db8::5
            Failed password for root from ::ffff:192.0.2.1 port 22 ssh2          | 192.0.2.1
            Failed password for root from ::FFFF:c000:0201 port 22 ssh2          | 192.0.2.1
            Failed password for root from ::ffff:c000:zz01 port 22 ssh2          | ::ffff:c000:zz01
            Failed password for root from 192.0.2.1%eth0 port 22 ssh2            | 192.0.2.1%eth0
            """)
    void addressesAreNormalised(String message, String address) {
        assertThat(SshAuthClassifier.classify("sshd", message).address()).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.5"})
    void loopbackIsReportedNeverActedOn(String from) {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        Finding f = bruteForce(h, l, from);
        assertThat(f.facts()).containsEntry("self", "a loopback address");
        assertThat(action(f, "quarantine-instance").status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(action(f, "quarantine-instance").detail()).contains("never acted on");
    }

    @Test
    void loopbackIsActedOnOnlyWhenThePolicySaysSo() {
        SshLines l = lines();
        Finding f = bruteForce(harness("ignore-self: false"), l, "127.0.0.1");
        assertThat(action(f, "quarantine-instance").status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void anAddressSshdNamesAsItsOwnIsNeverActedOn() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        h.feed(l.at(0, 1, "Connection from 10.0.1.17 port 50000 on 10.0.1.17 port 22 rdomain \"\""));
        Finding f = bruteForce(h, l, "10.0.1.17");
        assertThat(f.facts()).containsEntry("self", "this host's own address (sshd's local address)");
        assertThat(action(f, "quarantine-instance").status()).isEqualTo(ActionStatus.SKIPPED);
        // another source on the same instance is acted on
        Finding other = bruteForce(harness("{}"), lines(), "203.0.113.9");
        assertThat(action(other, "quarantine-instance").status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void selfAddressesAreNeverActedOn() {
        SshLines l = lines();
        Finding f = bruteForce(harness("self-addresses: [10.0.1.0/24]"), l, "10.0.1.99");
        assertThat(f.facts()).containsEntry("self", "in self-addresses");
        assertThat(action(f, "quarantine-instance").status()).isEqualTo(ActionStatus.SKIPPED);
    }

    @Test
    void hostNamesAreNeverBlocked() {
        SshLines l = lines();
        Finding f = bruteForce(harness("strategy: block"), l, "attacker.example.com");
        assertThat(f.source()).isEqualTo("attacker.example.com");
        assertThat(f.actions()).noneMatch(a -> a.type().equals("block-source") && a.status() == ActionStatus.PLANNED);
        assertThat(f.facts().get("block-source")).contains("not possible");
    }

    @Test
    void aZoneIndexNeverReachesTheBlock() {
        SshLines l = lines();
        Finding f = bruteForce(harness("strategy: block"), l, "2001:db8::77%eth0");
        assertThat(f.source()).isEqualTo("2001:db8::77");
        assertThat(f.actions()).filteredOn(a -> a.type().equals("block-source")).allSatisfy(a ->
                assertThat(a.params().toString()).doesNotContain("%"));
    }
}
