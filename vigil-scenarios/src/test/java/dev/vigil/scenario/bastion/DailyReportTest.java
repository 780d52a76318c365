package dev.vigil.scenario.bastion;

import static dev.vigil.scenario.bastion.Bastions.B1;
import static dev.vigil.scenario.bastion.Bastions.B2;
import static dev.vigil.scenario.bastion.Bastions.WEB;
import static dev.vigil.scenario.bastion.Bastions.harness;
import static dev.vigil.scenario.bastion.Bastions.state;
import static dev.vigil.scenario.bastion.Bastions.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.testing.EngineHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The daily report at a local time, across daylight-saving changes, and what it says. */
class DailyReportTest {

    static EngineHarness reports(String zone, Instant first, Instant end) {
        return harness("daily-report: {time: \"09:00\", zone: " + zone + "}", Bastions.fleet())
                .feed(state(B1, "running", first)).finish(end);
    }

    @Test
    void nineOClockInBerlinAcrossTheSpringChange() {
        // 2025-03-30 02:00 CET -> 03:00 CEST: 09:00 local is 08:00Z before, 07:00Z from that day on
        EngineHarness h = reports("Europe/Berlin", t("2025-03-28T12:00:00Z"), t("2025-04-01T00:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).extracting(Finding::time)
                .containsExactly(t("2025-03-29T08:00:00Z"), t("2025-03-30T07:00:00Z"), t("2025-03-31T07:00:00Z"));
    }

    @Test
    void nineOClockInBerlinAcrossTheAutumnChange() {
        // 2025-10-26 03:00 CEST -> 02:00 CET: 07:00Z before, 08:00Z from that day on
        EngineHarness h = reports("Europe/Berlin", t("2025-10-24T12:00:00Z"), t("2025-10-28T00:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).extracting(Finding::time)
                .containsExactly(t("2025-10-25T07:00:00Z"), t("2025-10-26T08:00:00Z"), t("2025-10-27T08:00:00Z"));
    }

    @Test
    void nineOClockInNewYorkAcrossTheSpringChange() {
        // 2025-03-09 02:00 EST -> 03:00 EDT: 14:00Z before, 13:00Z from that day on
        EngineHarness h = reports("America/New_York", t("2025-03-07T15:00:00Z"), t("2025-03-10T23:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).extracting(Finding::time)
                .containsExactly(t("2025-03-08T14:00:00Z"), t("2025-03-09T13:00:00Z"), t("2025-03-10T13:00:00Z"));
    }

    @Test
    void theFirstReportIsTheNextOccurrenceAfterTheFirstEvent() {
        EngineHarness h = reports("UTC", t("2025-05-05T09:00:00Z"), t("2025-05-06T09:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).extracting(Finding::time).containsExactly(t("2025-05-06T09:00:00Z"));
        EngineHarness before = reports("UTC", t("2025-05-05T08:59:59Z"), t("2025-05-05T09:00:00Z"));
        assertThat(before.findings(BastionWatch.REPORT)).extracting(Finding::time).containsExactly(t("2025-05-05T09:00:00Z"));
    }

    @Test
    void scheduleHandlesGapsAndOverlaps() {
        DailySchedule berlin = new DailySchedule(LocalTime.of(2, 30), ZoneId.of("Europe/Berlin"));
        // 02:30 does not exist on 2025-03-30: moved forward by the gap to 03:30 CEST = 01:30Z
        assertThat(berlin.next(t("2025-03-29T12:00:00Z"))).isEqualTo(t("2025-03-30T01:30:00Z"));
        assertThat(berlin.next(t("2025-03-30T01:30:00Z"))).isEqualTo(t("2025-03-31T00:30:00Z"));
        // 02:30 happens twice on 2025-10-26: the first (CEST, 00:30Z) is taken, once
        assertThat(berlin.next(t("2025-10-25T12:00:00Z"))).isEqualTo(t("2025-10-26T00:30:00Z"));
        assertThat(berlin.next(t("2025-10-26T00:30:00Z"))).isEqualTo(t("2025-10-27T01:30:00Z"));
        DailySchedule utc = new DailySchedule(LocalTime.of(9, 0), ZoneOffset.UTC);
        assertThat(utc.next(t("2025-12-31T09:00:00Z"))).isEqualTo(t("2026-01-01T09:00:00Z"));
    }

    @Test
    void theReportNamesEveryBastionWithItsStateAndRunningTime() {
        Instant start = t("2025-05-04T06:00:00Z");
        EngineHarness h = harness("", Bastions.fleet()).feed(state(B1, "running", start), state(WEB, "stopped", start))
                .finish(t("2025-05-06T09:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).hasSize(3);
        Finding last = h.findings(BastionWatch.REPORT).get(2);
        assertThat(last.severity()).isEqualTo(Severity.INFO);
        assertThat(last.time()).isEqualTo(t("2025-05-06T09:00:00Z"));
        assertThat(last.summary()).isEqualTo("daily bastion report (09:00 UTC): 2 bastions, 1 running: "
                + "bastion-1 (" + B1 + ") running for 2 days 3 hours since 2025-05-04T06:00:00Z; bastion-2 (" + B2 + ") stopped");
        assertThat(last.facts()).containsEntry("bastions", "2").containsEntry("running", "1")
                .containsEntry("over-threshold", "bastion-1 (" + B1 + ")")
                .containsEntry(B1, "bastion-1, running for 2 days 3 hours since 2025-05-04T06:00:00Z, account 111122223333, eu-central-1")
                .containsEntry(B2, "bastion-2, stopped, account 111122223333, eu-central-1");
        assertThat(last.account()).hasToString("111122223333");
        // the web server is no bastion: not in the report
        assertThat(last.summary()).doesNotContain("web-1");
    }

    @Test
    void noBastionNoReportButTheReportResumesWhenOneAppears() {
        StaticInventory inv = StaticInventory.empty().add(Bastions.instance(WEB, "web-1", "running", t("2025-05-01T00:00:00Z"), java.util.Map.of()));
        EngineHarness h = harness("", inv).feed(state(WEB, "stopped", t("2025-05-04T10:00:00Z")))
                .feed(Bastions.createTags(t("2025-05-06T10:00:00Z"), WEB, "isBastion", "True"))
                .finish(t("2025-05-07T10:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).extracting(Finding::time).containsExactly(t("2025-05-07T09:00:00Z"));
    }

    @Test
    void disabledReportStillChecksTheCountDaily() {
        EngineHarness h = harness("daily-report: {enabled: false}, expected-count: 3", Bastions.fleet())
                .feed(state(WEB, "stopped", t("2025-05-04T10:00:00Z"))).finish(t("2025-05-06T10:00:00Z"));
        assertThat(h.findings(BastionWatch.REPORT)).isEmpty();
        // off from the first event, then reminded at each daily check
        assertThat(h.findings(BastionWatch.COUNT)).extracting(Finding::time)
                .containsExactly(t("2025-05-04T10:00:00Z"), t("2025-05-05T09:00:00Z"), t("2025-05-06T09:00:00Z"));
    }

    @Test
    void humanTimes() {
        assertThat(HumanTime.of(Duration.ofHours(51))).isEqualTo("2 days 3 hours");
        assertThat(HumanTime.of(Duration.ofHours(48).plusMinutes(5))).isEqualTo("2 days");
        assertThat(HumanTime.of(Duration.ofHours(24))).isEqualTo("1 day");
        assertThat(HumanTime.of(Duration.ofMinutes(61))).isEqualTo("1 hour 1 minute");
        assertThat(HumanTime.of(Duration.ofSeconds(42))).isEqualTo("42 seconds");
        assertThat(HumanTime.of(Duration.ZERO)).isEqualTo("0 minutes");
        assertThat(HumanTime.of(Duration.ofHours(-3))).isEqualTo("0 minutes");
    }
}
