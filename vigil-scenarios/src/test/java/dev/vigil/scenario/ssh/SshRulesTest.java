package dev.vigil.scenario.ssh;

import static dev.vigil.scenario.ssh.SshIntrusionTest.harness;
import static dev.vigil.scenario.ssh.SshIntrusionTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.testing.EngineHarness;
import org.junit.jupiter.api.Test;

/**
 * The detect-and-notify rules (ssh-scanner, ssh-exploit-attempt, ssh-slow-brute-force, ssh-user-enumeration) and the
 * leaky-bucket thresholds: a burst just below and just above each capacity, slow attacks over hours of event time,
 * and PAM and sshd lines of one attempt counted once.
 */
class SshRulesTest {
    static final String SRC = "203.0.113.9";

    /** True when the finding plans anything but a notification (a detect-and-notify rule's listed responses are skipped). */
    private static boolean acts(Finding f) {
        boolean acts = f.actions().stream().anyMatch(a -> !a.type().equals("notify") && a.status() != ActionStatus.SKIPPED);
        if (!acts) {
            assertThat(f.actions()).filteredOn(a -> !a.type().equals("notify"))
                    .allSatisfy(a -> assertThat(a.detail()).contains("detects and notifies"));
        }
        return acts;
    }

    // ---- ssh-scanner: capacity 3, one leaks every 10 minutes -------------------------------------------------

    @Test
    void scannerFiresOnTheFourthFailedKeyExchangeOfABurstAndOnlyNotifies() {
        SshLines l = lines();
        EngineHarness h = harness("disconnect-burst: {threshold: 100}");
        h.feed(l.at(0, 1, "Unable to negotiate with 203.0.113.9 port 1: no matching key exchange method found. Their offer: x [preauth]"),
                l.at(5, 2, "Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.9 port 2"),
                l.at(5, 3, "Did not receive identification string from 203.0.113.9 port 3"));
        assertThat(h.findings(SshIntrusion.SCANNER)).isEmpty(); // the bucket holds its capacity
        h.feed(l.at(5, 4, "banner exchange: Connection from 203.0.113.9 port 4: invalid format"));
        Finding f = h.findings(SshIntrusion.SCANNER).get(0);
        assertThat(f.source()).isEqualTo(SRC);
        assertThat(f.facts()).containsEntry("count", "4").containsEntry("window", "capacity 3, leak 1 per 10m");
        assertThat(acts(f)).as("detect and notify by default, whatever the responses list").isFalse();
    }

    @Test
    void scannerWithActProposesTheStrategysResponse() {
        SshLines l = lines();
        EngineHarness h = harness("scanner: {capacity: 1, leak-speed: 1m, act: true}\ndisconnect-burst: {threshold: 100}");
        h.feed(l.at(0, 1, "Unable to negotiate with 203.0.113.9 port 1: no matching host key type found. Their offer: ssh-rsa [preauth]"),
                l.at(1, 2, "Unable to negotiate with 203.0.113.9 port 2: no matching host key type found. Their offer: ssh-rsa [preauth]"));
        assertThat(SshIntrusionTest.action(h.findings(SshIntrusion.SCANNER).get(0), "quarantine-instance").status()).isEqualTo(ActionStatus.PLANNED);
    }

    @Test
    void aScannerConnectionCountsOnceAndItsAddresslessLineTakesTheConnectionsAddress() {
        SshLines l = lines();
        EngineHarness h = harness("scanner: {capacity: 1, leak-speed: 1h}\ndisconnect-burst: {threshold: 100}");
        // one connection, three lines: the identification failure names no address, the close does
        h.feed(l.at(0, 7, "kex_exchange_identification: client sent invalid protocol identifier \"GET / HTTP/1.1\""),
                l.at(0, 7, "banner exchange: Connection from 203.0.113.9 port 4: invalid format"),
                l.at(0, 7, "Connection closed by 203.0.113.9 port 4 [preauth]"));
        assertThat(h.findings(SshIntrusion.SCANNER)).isEmpty();
        h.feed(l.at(1, 8, "kex_exchange_identification: Connection closed by remote host"),
                l.at(0, 8, "Connection closed by 203.0.113.9 port 5 [preauth]"));
        assertThat(h.findings(SshIntrusion.SCANNER)).singleElement().satisfies(f -> assertThat(f.facts()).containsEntry("count", "2"));
    }

    @Test
    void aSlowScannerLeaksAndNeverFires() {
        SshLines l = lines();
        EngineHarness h = harness("disconnect-burst: {threshold: 100}");
        for (int i = 0; i < 40; i++) { // one every 11 minutes for over 7 hours
            h.feed(l.at(660, 100 + i, "Unable to negotiate with 203.0.113.9 port 1: no matching cipher found. Their offer: x [preauth]"));
        }
        assertThat(h.findings(SshIntrusion.SCANNER)).isEmpty();
    }

    // ---- ssh-exploit-attempt: capacity 10, one leaks every minute ---------------------------------------------

    @Test
    void exploitAttemptIsABurstOfGraceTimeTimeouts() {
        SshLines l = lines();
        EngineHarness h = harness("disconnect-burst: {threshold: 1000}");
        for (int i = 0; i < 10; i++) h.feed(l.at(1, 200 + i, "Timeout before authentication for 203.0.113.9 port " + (4000 + i)));
        assertThat(h.findings(SshIntrusion.EXPLOIT_ATTEMPT)).isEmpty();
        h.feed(l.at(1, 300, "fatal: Timeout before authentication for 203.0.113.9 port 5000"));
        Finding f = h.findings(SshIntrusion.EXPLOIT_ATTEMPT).get(0);
        assertThat(f.summary()).contains("CVE-2024-6387");
        assertThat(f.severity().name()).isEqualTo("HIGH");
        assertThat(acts(f)).isFalse();
    }

    @Test
    void occasionalTimeoutsOverHoursAreNoExploit() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 100; i++) h.feed(l.at(90, 200 + i, "Timeout before authentication for 203.0.113.9 port " + (4000 + i)));
        assertThat(h.findings(SshIntrusion.EXPLOIT_ATTEMPT)).isEmpty();
    }

    // ---- ssh-slow-brute-force: capacity 10, one leaks every 10 minutes ----------------------------------------

    @Test
    void slowBruteForceOverHoursFiresWhereTheFastRuleCannot() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 19; i++) h.feed(l.at(300, 400 + i, "Failed password for root from 203.0.113.9 port " + (4000 + i) + " ssh2"));
        assertThat(h.findings(SshIntrusion.SLOW_BRUTE_FORCE)).as("below capacity after 19 attempts at one per 5 minutes").isEmpty();
        for (int i = 0; i < 6; i++) h.feed(l.at(300, 500 + i, "Failed password for root from 203.0.113.9 port " + (5000 + i) + " ssh2"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        Finding f = h.findings(SshIntrusion.SLOW_BRUTE_FORCE).get(0);
        assertThat(f.source()).isEqualTo(SRC);
        assertThat(f.time()).isAfter(l.now().minusSeconds(6 * 300 + 1));
        assertThat(acts(f)).isFalse();
    }

    @Test
    void oneFailureEveryTwelveMinutesLeaksAway() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 60; i++) h.feed(l.at(720, 400 + i, "Failed password for root from 203.0.113.9 port " + (4000 + i) + " ssh2"));
        assertThat(h.findings(SshIntrusion.SLOW_BRUTE_FORCE)).isEmpty();
    }

    @Test
    void aFastBurstIsReportedOnceByTheFastRule() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 30; i++) h.feed(l.at(2, 400 + i, "Failed password for root from 203.0.113.9 port " + (4000 + i) + " ssh2"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).hasSize(1);
        assertThat(h.findings(SshIntrusion.SLOW_BRUTE_FORCE)).isEmpty();
    }

    // ---- ssh-user-enumeration: capacity 5 distinct names, one leaks every 2 minutes --------------------------

    @Test
    void userEnumerationCountsDistinctNames() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 1000}\ninvalid-user: {threshold: 1000}\nslow-brute-force: {enabled: false}");
        for (int i = 0; i < 20; i++) h.feed(l.at(3, 600 + i, "Failed password for root from 203.0.113.9 port " + (4000 + i) + " ssh2"));
        String[] names = {"admin", "oracle", "test", "ubuntu", "pi"};
        for (int i = 0; i < names.length; i++) h.feed(l.at(3, 700 + i, "Invalid user " + names[i] + " from 203.0.113.9 port " + (5000 + i)));
        assertThat(h.findings(SshIntrusion.USER_ENUMERATION)).as("root plus five names: the sixth distinct one overflows").hasSize(1);
        Finding f = h.findings(SshIntrusion.USER_ENUMERATION).get(0);
        assertThat(f.facts().get("users")).contains("root", "admin", "pi");
        assertThat(acts(f)).isFalse();
    }

    @Test
    void fiveNamesInABurstStayBelowCapacity() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 1000}\ninvalid-user: {threshold: 1000}");
        String[] names = {"admin", "oracle", "test", "ubuntu", "pi"};
        for (int i = 0; i < names.length; i++) h.feed(l.at(3, 700 + i, "Invalid user " + names[i] + " from 203.0.113.9 port " + (5000 + i)));
        assertThat(h.findings(SshIntrusion.USER_ENUMERATION)).isEmpty();
    }

    @Test
    void aNewNameEveryFiveMinutesForHoursLeaksAway() {
        SshLines l = lines();
        EngineHarness h = harness("invalid-user: {threshold: 1000}");
        for (int i = 0; i < 40; i++) h.feed(l.at(300, 700 + i, "Invalid user name" + i + " from 203.0.113.9 port " + (5000 + i)));
        assertThat(h.findings(SshIntrusion.USER_ENUMERATION)).as("40 names over 3 hours, each leaked before the next").isEmpty();
        assertThat(h.findings(SshIntrusion.SLOW_BRUTE_FORCE)).as("but the slow brute force sees them").hasSize(1);
    }

    // ---- PAM and sshd: one attempt counted once ---------------------------------------------------------------

    private static String pam(String user) {
        return "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=" + user;
    }

    @Test
    void pamAndSshdLinesOfOneAttemptCountOnce() {
        SshLines l = lines();
        EngineHarness h = harness("user-enumeration: {enabled: false}");
        for (int i = 0; i < 4; i++) {
            h.feed(l.at(1, 800 + i, pam("root")), l.at(2, 800 + i, "Failed password for root from 203.0.113.9 port " + (4000 + i) + " ssh2"),
                    l.at(0, 800 + i, "Connection closed by authenticating user root 203.0.113.9 port " + (4000 + i) + " [preauth]"));
        }
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).as("4 attempts in 8 lines: below 5").isEmpty();
        // the fifth attempt: PAM's line alone, sshd's never written; it counts when its connection ends
        h.feed(l.at(1, 900, pam("root")));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        h.feed(l.at(1, 900, "Connection closed by authenticating user root 203.0.113.9 port 4999 [preauth]"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).hasSize(1);
        assertThat(SshResponsesTest.detector(h).stats().pamOnlyFailures()).isEqualTo(1);
    }

    @Test
    void withSshdsLineTheAttemptCountsAtSshdsLine() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 1}");
        h.feed(l.at(1, 800, pam("root")));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        h.feed(l.at(2, 800, "Failed password for root from 203.0.113.9 port 4000 ssh2"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).singleElement()
                .satisfies(f -> assertThat(f.facts().get("sample-1")).contains("Failed password"));
        assertThat(SshResponsesTest.detector(h).stats().pamOnlyFailures()).isZero();
    }

    @Test
    void pamOnlyFailuresCountWhereSshdsLineIsAbsent() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 4; i++) h.feed(l.at(1, 800 + i, pam("root")), l.at(0, 800 + i, "Received disconnect from 203.0.113.9 port 1:11: Bye Bye [preauth]"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        h.feed(l.at(1, 900, pam("root")));
        h.finish(l.now()); // a connection that never ended counts at the end of the input (or when dropped as idle)
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).singleElement().satisfies(f -> assertThat(f.source()).isEqualTo(SRC));
    }

    @Test
    void pamMoreFailuresAddOnlyWhatSshdDidNotSay() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {failures: 4}");
        // one connection: three sshd failures, pam_unix's first, then PAM's summary of the two retries: 3 attempts, not 6
        h.feed(l.at(1, 42, pam("root")));
        for (int i = 0; i < 3; i++) h.feed(l.at(1, 42, "Failed password for root from 203.0.113.9 port 4000 ssh2"));
        h.feed(l.at(1, 42, "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        // PAM alone on another connection: its first failure and two more are 3 attempts
        h.feed(l.at(1, 43, pam("root")),
                l.at(1, 43, "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).hasSize(1);
        assertThat(SshResponsesTest.detector(h).stats().pamOnlyFailures()).isEqualTo(3);
    }

    @Test
    void refusedConnectionsCountAndTheTcpWrapperDebugLineAddsNothing() {
        SshLines l = lines();
        EngineHarness h = harness("{}");
        for (int i = 0; i < 4; i++) {
            h.feed(l.at(1, 50 + i, "Connection refused by tcp wrapper"), l.at(0, 50 + i, "refused connect from 203.0.113.9 (203.0.113.9)"));
        }
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        h.feed(l.at(1, 60, "refused connect from 203.0.113.9 (203.0.113.9)"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).hasSize(1);
    }

    // ---- thresholds as leaky buckets for today's rules ---------------------------------------------------------

    @Test
    void disconnectBurstAndBruteForceTakeALeakyBucket() {
        SshLines l = lines();
        EngineHarness h = harness("disconnect-burst: {capacity: 2, leak-speed: 1m}\nbrute-force: {capacity: 2, leak-speed: 30s}");
        h.feed(l.at(0, 1, "Connection closed by 203.0.113.9 port 1 [preauth]"), l.at(10, 2, "Connection closed by 203.0.113.9 port 2 [preauth]"));
        assertThat(h.findings(SshIntrusion.DISCONNECT_BURST)).isEmpty();
        h.feed(l.at(10, 3, "Connection closed by 203.0.113.9 port 3 [preauth]"));
        assertThat(h.findings(SshIntrusion.DISCONNECT_BURST)).singleElement()
                .satisfies(f -> assertThat(f.facts()).containsEntry("window", "capacity 2, leak 1 per 1m"));
        // failures 40 s apart leak faster than they come: never above 2
        for (int i = 0; i < 10; i++) h.feed(l.at(40, 10 + i, "Failed password for root from 198.51.100.7 port 1 ssh2"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).isEmpty();
        for (int i = 0; i < 3; i++) h.feed(l.at(1, 30 + i, "Failed password for root from 198.51.100.7 port 1 ssh2"));
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).hasSize(1);
    }

    @Test
    void aWindowAndABucketTogetherAreAPolicyError() {
        assertThatThrownBy(() -> harness("disconnect-burst: {threshold: 3, leak-speed: 1m}")).hasMessageContaining("not both");
        assertThatThrownBy(() -> harness("scanner: {capacity: 0}")).hasMessageContaining("capacity");
        assertThatThrownBy(() -> harness("scanner: {window: 1m}")).hasMessageContaining("window");
    }

    @Test
    void theOlderBruteForceVariantsStandInForTheirNewRules() {
        SshLines l = lines();
        EngineHarness h = harness("brute-force: {slow: {enabled: true, failures: 10, window: 1h}}");
        for (int i = 0; i < 25; i++) h.feed(l.at(300, 400 + i, "Failed password for root from 203.0.113.9 port " + (4000 + i) + " ssh2"));
        assertThat(h.findings(SshIntrusion.SLOW_BRUTE_FORCE)).isEmpty();
        assertThat(h.findings(SshIntrusion.BRUTE_FORCE)).extracting(f -> f.facts().get("variant")).contains("slow");
    }
}
