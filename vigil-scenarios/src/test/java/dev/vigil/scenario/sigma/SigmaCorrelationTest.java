package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.sigma.SigmaEvaluator;
import dev.vigil.core.sigma.SigmaException;
import dev.vigil.core.sigma.SigmaRecord;
import dev.vigil.core.sigma.SigmaRule;
import dev.vigil.core.sigma.SigmaRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Correlation rules (Sigma v2 and the legacy count() aggregation), in event time. */
class SigmaCorrelationTest {
    static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
    static final String FAILED = """
            title: Failed login
            name: failed_login
            logsource: {product: aws, service: cloudtrail}
            detection:
                s:
                    eventName: ConsoleLogin
                    responseElements.ConsoleLogin: Failure
                condition: s
            ---
            title: Successful login
            name: successful_login
            logsource: {product: aws, service: cloudtrail}
            detection:
                s:
                    eventName: ConsoleLogin
                    responseElements.ConsoleLogin: Success
                condition: s
            """;

    static SigmaRules rules(String yaml) {
        return SigmaRules.of(SigmaConformanceTest.compile(yaml, Map.of()));
    }

    static SigmaRecord login(String user, String result, String ip) {
        return SigmaConformanceTest.record("{'eventName':'ConsoleLogin','userIdentity':{'arn':'" + user + "'},'sourceIPAddress':'" + ip
                + "','responseElements':{'ConsoleLogin':'" + result + "'}}");
    }

    /** Titles of the rules reported, in order, feeding records at the given seconds after T0. */
    static List<String> run(SigmaEvaluator ev, Object... secondsAndRecords) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < secondsAndRecords.length; i += 2) {
            long s = ((Number) secondsAndRecords[i]).longValue();
            SigmaEvaluator.Result r = ev.evaluate((SigmaRecord) secondsAndRecords[i + 1], "ConsoleLogin", "e" + i, T0.plusSeconds(s));
            r.hits().forEach(h -> out.add(h.rule().meta().title() + "@" + s));
        }
        return out;
    }

    @Test
    void eventCountPerGroupWithinTheTimespan() {
        SigmaRules r = rules(FAILED + """
                ---
                title: Many failed logins
                correlation:
                    type: event_count
                    rules: [failed_login]
                    group-by: [userIdentity.arn]
                    timespan: 5m
                    condition: {gte: 3}
                level: high
                """);
        SigmaEvaluator ev = new SigmaEvaluator(r);
        // alice fails 3 times within 5 minutes; bob fails 3 times but over 10 minutes; the base rules are silent
        assertThat(run(ev,
                0, login("alice", "Failure", "1.1.1.1"), 10, login("bob", "Failure", "2.2.2.2"), 60, login("alice", "Failure", "1.1.1.1"),
                299, login("alice", "Failure", "1.1.1.1"), 320, login("bob", "Failure", "2.2.2.2"), 640, login("bob", "Failure", "2.2.2.2")))
                .containsExactly("Many failed logins@299");
        assertThat(r.rules()).filteredOn(x -> "failed_login".equals(x.meta().name())).singleElement().matches(x -> !x.emits());
        assertThat(r.rules()).filteredOn(x -> "successful_login".equals(x.meta().name())).singleElement().matches(SigmaRule::emits);
    }

    @Test
    void theWindowStartsAfreshAfterAHitAndExpiresOldEvents() {
        SigmaRules r = rules(FAILED + """
                ---
                title: Two failures
                correlation: {type: event_count, rules: [failed_login], group-by: [userIdentity.arn], timespan: 1m, condition: {gt: 1}}
                """);
        SigmaEvaluator ev = new SigmaEvaluator(r);
        SigmaRecord f = login("alice", "Failure", "1.1.1.1");
        assertThat(run(ev, 0, f, 30, f, 40, f, 200, f, 261, f, 262, f)).containsExactly("Two failures@30", "Two failures@262");
    }

    @Test
    void valueCountCountsDistinctValues() {
        SigmaRules r = rules(FAILED + """
                ---
                title: Failures from many addresses
                correlation:
                    type: value_count
                    rules: [failed_login]
                    group-by: [userIdentity.arn]
                    timespan: 10m
                    condition: {field: sourceIPAddress, gte: 3}
                """);
        SigmaEvaluator ev = new SigmaEvaluator(r);
        assertThat(run(ev, 0, login("a", "Failure", "1.1.1.1"), 1, login("a", "Failure", "1.1.1.1"), 2, login("a", "Failure", "2.2.2.2"),
                3, login("b", "Failure", "3.3.3.3"), 4, login("a", "Failure", "3.3.3.3"))).containsExactly("Failures from many addresses@4");
    }

    @Test
    void temporalNeedsEveryRuleInTheTimespanInAnyOrder() {
        SigmaRules r = rules(FAILED + """
                ---
                title: Failure and success
                correlation: {type: temporal, rules: [failed_login, successful_login], group-by: [userIdentity.arn], timespan: 2m}
                """);
        assertThat(run(new SigmaEvaluator(r), 0, login("a", "Success", "x"), 60, login("a", "Failure", "x"))).containsExactly("Failure and success@60");
        assertThat(run(new SigmaEvaluator(r), 0, login("a", "Success", "x"), 200, login("a", "Failure", "x"))).isEmpty();
        assertThat(run(new SigmaEvaluator(r), 0, login("a", "Success", "x"), 60, login("b", "Failure", "x"))).isEmpty();
    }

    @Test
    void temporalOrderedNeedsTheOrderAndChainsCorrelations() {
        // the specification's example: many failed logins followed by a success of the same user
        SigmaRules r = rules(FAILED + """
                ---
                title: Multiple failed logons
                name: multiple_failed_login
                correlation: {type: event_count, rules: [failed_login], group-by: [userIdentity.arn], timespan: 10m, condition: {gte: 3}}
                ---
                title: Brute force then success
                correlation:
                    type: temporal_ordered
                    rules: [multiple_failed_login, successful_login]
                    group-by: [userIdentity.arn]
                    timespan: 10m
                level: high
                """);
        SigmaRecord f = login("a", "Failure", "x");
        SigmaRecord s = login("a", "Success", "x");
        List<String> hits = run(new SigmaEvaluator(r), 0, f, 1, f, 2, f, 3, s);
        // the inner correlation is used by the outer one: silent, as the specification's default (no generate) has it
        assertThat(hits).containsExactly("Brute force then success@3");
        // a success before the failures is the wrong order
        assertThat(run(new SigmaEvaluator(r), 0, s, 1, f, 2, f, 3, f)).isEmpty();
    }

    @Test
    void aliasesMapGroupByNamesToEachRulesField() {
        SigmaRules r = rules("""
                title: Key created
                name: key_created
                logsource: {product: aws, service: cloudtrail}
                detection:
                    s: {eventName: CreateAccessKey}
                    condition: s
                ---
                title: Key used
                name: key_used
                logsource: {product: aws, service: cloudtrail}
                detection:
                    s: {eventName: ListBuckets}
                    condition: s
                ---
                title: New key used at once
                correlation:
                    type: temporal_ordered
                    rules: [key_created, key_used]
                    group-by: [key]
                    timespan: 5m
                    aliases:
                        key:
                            key_created: responseElements.accessKey.accessKeyId
                            key_used: userIdentity.accessKeyId
                """);
        SigmaEvaluator ev = new SigmaEvaluator(r);
        SigmaRecord created = SigmaConformanceTest.record("{'eventName':'CreateAccessKey','responseElements':{'accessKey':{'accessKeyId':'AKIA1'}}}");
        SigmaRecord other = SigmaConformanceTest.record("{'eventName':'ListBuckets','userIdentity':{'accessKeyId':'AKIA2'}}");
        SigmaRecord used = SigmaConformanceTest.record("{'eventName':'ListBuckets','userIdentity':{'accessKeyId':'AKIA1'}}");
        assertThat(ev.evaluate(created, "CreateAccessKey", "1", T0).hits()).isEmpty();
        assertThat(ev.evaluate(other, "ListBuckets", "2", T0.plusSeconds(5)).hits()).isEmpty();
        SigmaEvaluator.Result hit = ev.evaluate(used, "ListBuckets", "3", T0.plusSeconds(9));
        assertThat(hit.hits()).singleElement().satisfies(h -> {
            assertThat(h.group()).containsEntry("key", "AKIA1");
            assertThat(h.eventIds()).containsExactly("1", "3");
        });
    }

    @Test
    void theLegacyCountAggregationWithTimeframe() {
        SigmaRules r = rules("""
                title: Enumeration
                logsource: {product: aws, service: cloudtrail}
                detection:
                    s:
                        eventName: [ListBuckets, ListRoles]
                    timeframe: 10m
                    condition: s | count() by sourceIPAddress > 2
                level: low
                """);
        SigmaEvaluator ev = new SigmaEvaluator(r);
        SigmaRecord a = SigmaConformanceTest.record("{'eventName':'ListBuckets','sourceIPAddress':'1.1.1.1'}");
        SigmaRecord b = SigmaConformanceTest.record("{'eventName':'ListRoles','sourceIPAddress':'2.2.2.2'}");
        int hits = 0;
        for (int i = 0; i < 2; i++) hits += ev.evaluate(b, "ListRoles", "b" + i, T0.plusSeconds(i)).hits().size();
        hits += ev.evaluate(a, "ListBuckets", "a0", T0.plusSeconds(3)).hits().size();
        assertThat(hits).isZero();
        assertThat(ev.evaluate(b, "ListRoles", "b2", T0.plusSeconds(4)).hits()).singleElement()
                .satisfies(h -> assertThat(h.rule().meta().title()).isEqualTo("Enumeration"));
    }

    @Test
    void stateIsBoundedPerCorrelation() {
        SigmaRules r = rules(FAILED + """
                ---
                title: Many
                correlation: {type: event_count, rules: [failed_login], group-by: [sourceIPAddress], timespan: 1h, condition: {gte: 2}}
                """);
        SigmaEvaluator ev = new SigmaEvaluator(r);
        for (int i = 0; i < SigmaEvaluator.MAX_GROUPS + 500; i++) ev.evaluate(login("a", "Failure", "10.0." + (i / 256) + "." + (i % 256)), "ConsoleLogin", "e" + i, T0);
        assertThat(ev.openGroups()).isLessThanOrEqualTo(SigmaEvaluator.MAX_GROUPS);
        assertThat(ev.evictions()).isEqualTo(500);
        // groups expire in event time: a sweep after the timespan drops them
        for (int i = 0; i < 5000; i++) ev.evaluate(login("b", "Failure", "192.0.2.1"), "ConsoleLogin", "x" + i, T0.plusSeconds(7200 + i));
        assertThat(ev.openGroups()).isLessThan(10);
    }

    @Test
    void unsupportedCorrelationsAreRejected() {
        assertThatThrownBy(() -> rules(FAILED + "---\ntitle: x\ncorrelation: {type: value_sum, rules: [failed_login], group-by: [a], timespan: 1h, condition: {field: n, gt: 1}}\n"))
                .isInstanceOf(SigmaException.class).hasMessageContaining("metric correlations are not supported");
        assertThatThrownBy(() -> rules(FAILED + "---\ntitle: x\ncorrelation: {type: event_count, rules: [failed_login], timespan: 1h, condition: {lt: 5}}\n"))
                .isInstanceOf(SigmaException.class).hasMessageContaining("upper bound alone");
        assertThatThrownBy(() -> rules(FAILED + "---\ntitle: x\ncorrelation: {type: event_count, rules: [nobody], timespan: 1h, condition: {gt: 5}}\n"))
                .isInstanceOf(SigmaException.class).hasMessageContaining("names no loaded rule");
        assertThatThrownBy(() -> rules(FAILED + "---\ntitle: x\ncorrelation: {type: event_count, rules: [failed_login], timespan: 1y, condition: {gt: 5}}\n"))
                .isInstanceOf(SigmaException.class).hasMessageContaining("timespan '1y'");
        assertThatThrownBy(() -> rules(FAILED + "---\ntitle: x\nname: c1\ncorrelation: {type: event_count, rules: [c2], timespan: 1h, condition: {gt: 5}}\n"
                + "---\ntitle: y\nname: c2\ncorrelation: {type: event_count, rules: [c1], timespan: 1h, condition: {gt: 5}}\n"))
                .isInstanceOf(SigmaException.class).hasMessageContaining("cycle");
    }

    @Test
    void generateKeepsTheRelatedRulesFindings() {
        SigmaRules r = rules(FAILED + """
                ---
                title: Many
                generate: true
                correlation: {type: event_count, rules: [failed_login], group-by: [userIdentity.arn], timespan: 1h, condition: {gte: 2}}
                """);
        assertThat(run(new SigmaEvaluator(r), 0, login("a", "Failure", "x"), 1, login("a", "Failure", "x")))
                .containsExactly("Failed login@0", "Failed login@1", "Many@1");
    }
}
