package dev.vigil.scenario.audit;

import static dev.vigil.scenario.audit.Trail.ALICE;
import static dev.vigil.scenario.audit.Trail.BOB;
import static dev.vigil.scenario.audit.Trail.attach;
import static dev.vigil.scenario.audit.Trail.createAccessKey;
import static dev.vigil.scenario.audit.Trail.createUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** iam-user-created-off-hours: office hours in a zone, DST, holidays, and the follow-up window. */
class OffHoursUsersTest {
    static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    static final String NEW_YORK = """
            office-hours:
              zone: America/New_York
              holidays: [2024-07-04]
            """;

    static AuditRun audit(String params) {
        return new AuditRun("rules: [iam-user-created-off-hours]\n" + params, StaticInventory.empty());
    }

    static boolean reported(String params, String time) {
        return !audit(params).feed(createUser(time, ALICE, "u1")).findings.isEmpty();
    }

    @ParameterizedTest(name = "{0} -> off hours: {1}")
    @CsvSource({
        "2024-05-06T10:00:00Z, false", // Monday 10:00 UTC
        "2024-05-06T08:00:00Z, false", // start is inside
        "2024-05-06T07:59:59Z, true",
        "2024-05-06T17:59:59Z, false",
        "2024-05-06T18:00:00Z, true",  // end is outside
        "2024-05-04T11:00:00Z, true",  // Saturday
        "2024-05-05T02:00:00Z, true",  // Sunday night
    })
    void defaultOfficeHoursAreMondayToFridayEightToSixUtc(String time, boolean off) {
        assertThat(reported("", time)).isEqualTo(off);
    }

    @ParameterizedTest(name = "{0} -> off hours: {1}")
    @CsvSource({
        // New York moved to daylight saving time on Sunday 2024-03-10: the same UTC times fall on either side of 08:00 and 18:00.
        "2024-03-08T12:30:00Z, true",  // Friday 07:30 EST
        "2024-03-11T12:30:00Z, false", // Monday 08:30 EDT
        "2024-03-08T22:30:00Z, false", // Friday 17:30 EST
        "2024-03-11T22:30:00Z, true",  // Monday 18:30 EDT
        // and back on Sunday 2024-11-03
        "2024-11-01T12:30:00Z, false", // Friday 08:30 EDT
        "2024-11-04T12:30:00Z, true",  // Monday 07:30 EST
        // Independence Day, a Thursday, is a holiday in local dates
        "2024-07-04T15:00:00Z, true",  // Thursday 11:00 EDT, holiday
        "2024-07-05T03:30:00Z, true",  // still 2024-07-04 23:30 locally
        "2024-07-05T13:00:00Z, false", // Friday 09:00 EDT
        "2024-07-03T15:00:00Z, false", // Wednesday 11:00 EDT
    })
    void officeHoursFollowTheZoneAcrossDaylightSavingAndHolidays(String time, boolean off) {
        assertThat(reported(NEW_YORK, time)).isEqualTo(off);
    }

    @Test
    void theFindingSaysWhenLocallyAndWhy() {
        Finding f = audit(NEW_YORK).feed(createUser("2024-07-04T15:00:00Z", BOB, "temp-admin")).findings.get(0);
        assertThat(f.rule()).isEqualTo("iam-user-created-off-hours");
        assertThat(f.resource()).isEqualTo("arn:aws:iam::111122223333:user/temp-admin");
        assertThat(f.summary()).contains("temp-admin", "2024-07-04 11:00 Thu (America/New_York)", "holiday 2024-07-04", BOB.arn());
        assertThat(f.facts()).containsEntry("user", "temp-admin").containsEntry("created-by", BOB.arn());
        Finding sat = audit("").feed(createUser("2024-05-04T02:00:00Z", BOB, "x")).findings.get(0);
        assertThat(sat.summary()).contains("Saturday");
        Finding night = audit("").feed(createUser("2024-05-06T02:00:00Z", BOB, "x")).findings.get(0);
        assertThat(night.summary()).contains("outside 08:00-18:00");
    }

    @Test
    void accessKeysAndAdminPoliciesInTheWindowAreFollowUps() {
        AuditRun r = audit("follow-up-window: 1h\n").feed(
                createUser("2024-05-04T02:00:00Z", ALICE, "u1"),
                createAccessKey("2024-05-04T02:03:00Z", ALICE, "u1", "AKIAEXAMPLE0000001"),
                attach("2024-05-04T02:04:00Z", ALICE, "u1", "arn:aws:iam::aws:policy/ReadOnlyAccess"), // not admin
                attach("2024-05-04T02:05:00Z", ALICE, "u1", ADMIN),
                createAccessKey("2024-05-04T02:06:00Z", ALICE, "other", "AKIAEXAMPLE0000002"), // another user
                createAccessKey("2024-05-04T03:00:01Z", ALICE, "u1", "AKIAEXAMPLE0000003")) // after the window
                .finish("2024-05-05T00:00:00Z");
        assertThat(r.rules()).containsOnly("iam-user-created-off-hours").hasSize(3);
        String createId = r.findings.get(0).eventIds().get(0);
        Finding key = r.findings.get(1);
        assertThat(key.facts()).containsEntry("access-key-created", "AKIAEXAMPLE0000001").containsEntry("follow-up-of", createId);
        assertThat(key.summary()).contains("access key AKIAEXAMPLE0000001", "3m later");
        assertThat(key.eventIds()).hasSize(2).contains(createId);
        Finding admin = r.findings.get(2);
        assertThat(admin.facts()).containsEntry("admin-policy-attached", ADMIN);
        assertThat(admin.time()).isEqualTo(Instant.parse("2024-05-04T02:05:00Z"));
    }

    @Test
    void aKeyCreatedByTheUserForItselfCountsForIt() {
        AuditRun r = audit("").feed(
                createUser("2024-05-04T02:00:00Z", ALICE, "mallory"),
                Trail.iam("CreateAccessKey", "2024-05-04T02:10:00Z",
                        new dev.vigil.core.event.Principal("IAMUser", "arn:aws:iam::111122223333:user/mallory", "111122223333", "mallory", null, null),
                        "{}", "{\"accessKey\":{\"accessKeyId\":\"AKIAEXAMPLE0000009\"}}"));
        assertThat(r.findings).hasSize(2);
        assertThat(r.findings.get(1).facts()).containsEntry("access-key-created", "AKIAEXAMPLE0000009");
    }

    @Test
    void callsLoggedJustBeforeTheCreationBecomeItsFacts() {
        // The order of the stratus-red-team detonation log: all in one second, CreateUser last.
        AuditRun r = audit("").feed(
                attach("2024-05-04T02:00:00Z", ALICE, "u1", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"),
                createAccessKey("2024-05-04T02:00:00Z", ALICE, "u1", "AKIAEXAMPLE0000001"),
                createAccessKey("2024-05-04T01:40:00Z", ALICE, "u2", "AKIAEXAMPLE0000002"),
                createUser("2024-05-04T02:00:00Z", ALICE, "u1"),
                createUser("2024-05-04T02:00:00Z", ALICE, "u2")); // its key came 20 minutes before: not its own
        assertThat(r.findings).hasSize(2);
        Finding f = r.findings.get(0);
        assertThat(f.facts()).containsEntry("access-key-created", "AKIAEXAMPLE0000001")
                .containsEntry("admin-policy-attached", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess");
        assertThat(f.eventIds()).hasSize(3);
        assertThat(r.findings.get(1).facts()).doesNotContainKey("access-key-created");
    }

    @Test
    void inOfficeHoursNothingIsReportedNorFollowedUp() {
        AuditRun r = audit("").feed(
                createUser("2024-05-06T10:00:00Z", ALICE, "u1"),
                createAccessKey("2024-05-06T10:01:00Z", ALICE, "u1", "AKIAEXAMPLE0000001"),
                attach("2024-05-06T10:02:00Z", ALICE, "u1", ADMIN));
        assertThat(r.findings).isEmpty();
    }

    @Test
    void failedCallsAndOtherServicesAreIgnored() {
        AuditRun r = audit("").feed(
                Trail.failed(createUser("2024-05-04T02:00:00Z", ALICE, "u1"), "EntityAlreadyExists"),
                Trail.call("transfer.amazonaws.com", "CreateUser", "2024-05-04T02:01:00Z", ALICE, "{\"userName\":\"sftp\"}", null, null),
                Trail.iam("CreateUser", "2024-05-04T02:02:00Z", ALICE, "{}", "null"));
        assertThat(r.findings).isEmpty();
        assertThat(r.problems).isEmpty();
        assertThat(r.detector.stats().failedCallsByName()).containsOnly(java.util.Map.entry("CreateUser", 1L));
    }

    @Test
    void customDaysAndHoursAcrossMidnight() {
        String nights = """
                office-hours:
                  days: [sat, sun]
                  start: "22:00"
                  end: "06:00"
                  zone: Europe/Paris
                """;
        assertThat(reported(nights, "2024-05-04T22:00:00Z")).isFalse(); // Sat (Sun 00:00 in Paris belongs to Saturday's night)
        assertThat(reported(nights, "2024-05-06T02:00:00Z")).isFalse(); // Mon 04:00 in Paris, Sunday's night
        assertThat(reported(nights, "2024-05-06T20:30:00Z")).isTrue();  // Mon 22:30 in Paris
        assertThat(reported(nights, "2024-05-04T12:00:00Z")).isTrue();  // Sat 14:00 in Paris
    }
}
