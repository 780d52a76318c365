package dev.vigil.scenario.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.sigma.SigmaEvaluator;
import dev.vigil.core.sigma.SigmaException;
import dev.vigil.core.sigma.SigmaLoader;
import dev.vigil.core.sigma.SigmaRecord;
import dev.vigil.core.sigma.SigmaRule;
import dev.vigil.core.sigma.SigmaRules;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Sigma specification (sigma-rules-specification.md, sigma-appendix-modifiers.md,
 * sigma-correlation-rules-specification.md), one test per rule of it, each with records that match and records that
 * do not. Records are JSON written as CloudTrail writes it.
 */
class SigmaConformanceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static List<SigmaRule> compile(String yaml, Map<String, List<String>> placeholders) {
        return SigmaLoader.compile("rule.yml", "rule", SigmaFiles.parse("rule.yml", yaml), placeholders);
    }

    /** A rule whose detection is the given YAML (indented under detection:). */
    static SigmaRules detection(String det) {
        return detection(det, Map.of());
    }

    static SigmaRules detection(String det, Map<String, List<String>> placeholders) {
        String yaml = "title: t\nid: 1\nlogsource:\n    product: aws\n    service: cloudtrail\nlevel: high\ndetection:\n" + det.stripIndent().indent(4);
        return SigmaRules.of(compile(yaml, placeholders));
    }

    static SigmaRecord record(String json) {
        try {
            JsonNode n = JSON.readTree(json.replace('\'', '"'));
            return n::get;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static boolean matches(SigmaRules rules, String json) {
        SigmaRecord r = record(json);
        JsonNode name = r.field("eventName");
        SigmaEvaluator.Result res = new SigmaEvaluator(rules).evaluate(r, name == null ? null : name.asText(), "e", Instant.EPOCH);
        if (!res.failures().isEmpty()) throw res.failures().get(0).error();
        return !res.hits().isEmpty();
    }

    static SigmaException rejected(String det) {
        try {
            detection(det);
        } catch (SigmaException e) {
            return e;
        }
        throw new AssertionError("not rejected: " + det);
    }

    @Nested
    class SearchIdentifiers {
        @Test
        void aMapAndsItsFields() {
            SigmaRules r = detection("""
                    sel:
                        eventSource: iam.amazonaws.com
                        eventName: CreateUser
                    condition: sel""");
            assertThat(matches(r, "{'eventSource':'iam.amazonaws.com','eventName':'CreateUser'}")).isTrue();
            assertThat(matches(r, "{'eventSource':'iam.amazonaws.com','eventName':'DeleteUser'}")).isFalse();
            assertThat(matches(r, "{'eventName':'CreateUser'}")).isFalse();
        }

        @Test
        void aListOfMapsOrsThem() {
            SigmaRules r = detection("""
                    sel:
                        - eventName: CreateUser
                        - userAgent|contains: evil
                    condition: sel""");
            assertThat(matches(r, "{'eventName':'CreateUser'}")).isTrue();
            assertThat(matches(r, "{'eventName':'X','userAgent':'an evil tool'}")).isTrue();
            assertThat(matches(r, "{'eventName':'X','userAgent':'aws-cli'}")).isFalse();
        }

        @Test
        void aValueListOrsItsValues() {
            SigmaRules r = detection("""
                    sel:
                        eventName:
                            - StopLogging
                            - DeleteTrail
                    condition: sel""");
            assertThat(matches(r, "{'eventName':'DeleteTrail'}")).isTrue();
            assertThat(matches(r, "{'eventName':'StartLogging'}")).isFalse();
        }

        @Test
        void nullMeansAbsentOrNull() {
            SigmaRules r = detection("""
                    sel:
                        eventName: X
                        errorCode: null
                    condition: sel""");
            assertThat(matches(r, "{'eventName':'X'}")).isTrue();
            assertThat(matches(r, "{'eventName':'X','errorCode':null}")).isTrue();
            assertThat(matches(r, "{'eventName':'X','errorCode':'AccessDenied'}")).isFalse();
            assertThat(matches(r, "{'eventName':'X','errorCode':''}")).isFalse();
        }

        @Test
        void anEmptyValueMatchesOnlyEmptyText() {
            SigmaRules r = detection("""
                    sel:
                        errorCode: ''
                    condition: sel""");
            assertThat(matches(r, "{'errorCode':''}")).isTrue();
            assertThat(matches(r, "{'errorCode':'x'}")).isFalse();
            assertThat(matches(r, "{}")).isFalse();
        }

        @Test
        void nullInAListOfValuesIsRejected() {
            assertThat(rejected("""
                    sel:
                        errorCode:
                            - ''
                            - null
                    condition: sel""").getMessage()).contains("rule.yml:").contains("null cannot be part of a list");
        }

        @Test
        void numbersMatchAsText() {
            SigmaRules r = detection("""
                    sel:
                        requestParameters.fromPort: 22
                    condition: sel""");
            assertThat(matches(r, "{'requestParameters':{'fromPort':22}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'fromPort':'22'}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'fromPort':2222}}")).isFalse();
        }

        @Test
        void keywordSearchesAreRejected() {
            assertThat(rejected("""
                    keywords:
                        - 'evil'
                    condition: keywords""").getMessage()).contains("keyword search");
            assertThat(rejected("""
                    keywords:
                        '|all':
                            - a
                            - b
                    condition: keywords""").getMessage()).contains("keyword search");
        }
    }

    @Nested
    class Strings {
        @Test
        void matchingIsCaseInsensitiveUnlessCased() {
            SigmaRules r = detection("""
                    sel:
                        eventName: createuser
                    condition: sel""");
            assertThat(matches(r, "{'eventName':'CreateUser'}")).isTrue();
            SigmaRules cased = detection("""
                    sel:
                        userAgent|cased: TruffleHog
                    condition: sel""");
            assertThat(matches(cased, "{'userAgent':'TruffleHog'}")).isTrue();
            assertThat(matches(cased, "{'userAgent':'trufflehog'}")).isFalse();
        }

        @Test
        void wildcardsStarAndQuestionMark() {
            SigmaRules r = detection("""
                    sel:
                        userAgent: 'aws-cli/2.?.*'
                    condition: sel""");
            assertThat(matches(r, "{'userAgent':'aws-cli/2.9.1 Python'}")).isTrue();
            assertThat(matches(r, "{'userAgent':'aws-cli/2.15.1'}")).isFalse();
            assertThat(matches(r, "{'userAgent':'aws-cli/2.'}")).isFalse();
        }

        @Test
        void escapesOfWildcardsAndBackslashes() {
            // \* is a plain star
            SigmaRules star = detection("""
                    sel:
                        requestParameters.principal: '\\*'
                    condition: sel""");
            assertThat(matches(star, "{'requestParameters':{'principal':'*'}}")).isTrue();
            assertThat(matches(star, "{'requestParameters':{'principal':'123456789012'}}")).isFalse();
            // \? is a plain question mark
            SigmaRules q = detection("""
                    sel:
                        f: 'a\\?'
                    condition: sel""");
            assertThat(matches(q, "{'f':'a?'}")).isTrue();
            assertThat(matches(q, "{'f':'ab'}")).isFalse();
            // \\* : a backslash, then a wildcard
            SigmaRules bsWild = detection("""
                    sel:
                        f: 'C:\\\\*'
                    condition: sel""");
            assertThat(matches(bsWild, "{'f':'C:\\\\Windows'}")).isTrue();
            assertThat(matches(bsWild, "{'f':'C:Windows'}")).isFalse();
            // \\\* : a backslash and a plain star
            SigmaRules bsStar = detection("""
                    sel:
                        f: 'a\\\\\\*'
                    condition: sel""");
            assertThat(matches(bsStar, "{'f':'a\\\\*'}")).isTrue();
            assertThat(matches(bsStar, "{'f':'a\\\\x'}")).isFalse();
            // \\\\ is two backslashes; a single backslash not before a wildcard is plain
            SigmaRules two = detection("""
                    sel:
                        f: 'a\\\\\\\\b'
                    condition: sel""");
            assertThat(matches(two, "{'f':'a\\\\\\\\b'}")).isTrue();
            assertThat(matches(two, "{'f':'a\\\\b'}")).isFalse();
            SigmaRules plain = detection("""
                    sel:
                        f: 'a\\b'
                    condition: sel""");
            assertThat(matches(plain, "{'f':'a\\\\b'}")).isTrue();
        }

        @Test
        void containsStartswithEndswith() {
            SigmaRules r = detection("""
                    c:
                        userAgent|contains: S3 Browser
                    s:
                        eventName|startswith: UpdateFunctionConfiguration
                    e:
                        requestParameters.policyArn|endswith: /AdministratorAccess
                    condition: c or s or e""");
            assertThat(matches(r, "{'userAgent':'the s3 browser 9.1'}")).isTrue();
            assertThat(matches(r, "{'eventName':'UpdateFunctionConfiguration20150331v2'}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'policyArn':'arn:aws:iam::aws:policy/AdministratorAccess'}}")).isTrue();
            assertThat(matches(r, "{'eventName':'GetFunctionConfiguration','requestParameters':{'policyArn':'arn:aws:iam::aws:policy/AdministratorAccess-Amplify'}}")).isFalse();
        }

        @Test
        void allAndsTheValues() {
            SigmaRules r = detection("""
                    sel:
                        requestParameters|contains|all:
                            - '"s3:GetObject"'
                            - '"Allow"'
                    condition: sel""");
            assertThat(matches(r, "{'requestParameters':{'Effect':'Allow','Action':'s3:GetObject'}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'Effect':'Deny','Action':'s3:GetObject'}}")).isFalse();
            assertThat(rejected("""
                    sel:
                        f|contains|all: one
                    condition: sel""").getMessage()).contains("modifier 'all'");
        }

        @Test
        void anObjectIsMatchedAsItsJsonText() {
            SigmaRules r = detection("""
                    sel:
                        requestParameters|contains: Suspended
                    condition: sel""");
            assertThat(matches(r, "{'requestParameters':{'VersioningConfiguration':{'Status':'Suspended'}}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'VersioningConfiguration':{'Status':'Enabled'}}}")).isFalse();
        }

        @Test
        void windashTriesEveryDash() {
            SigmaRules r = detection("""
                    sel:
                        f|windash|contains: ' -enc '
                    condition: sel""");
            assertThat(matches(r, "{'f':'x /enc y'}")).isTrue();
            assertThat(matches(r, "{'f':'x \u2013enc y'}")).isTrue();
            assertThat(matches(r, "{'f':'x -enc y'}")).isTrue();
            assertThat(matches(r, "{'f':'x +enc y'}")).isFalse();
        }

        @Test
        void base64AndBase64offset() {
            SigmaRules b = detection("""
                    sel:
                        f|base64: 'secret'
                    condition: sel""");
            assertThat(matches(b, "{'f':'" + Base64.getEncoder().encodeToString("secret".getBytes()) + "'}")).isTrue();
            assertThat(matches(b, "{'f':'secret'}")).isFalse();
            SigmaRules off = detection("""
                    sel:
                        f|base64offset|contains: 'curl http'
                    condition: sel""");
            for (String prefix : List.of("", "a", "ab", "#!/bin/sh\\n")) {
                String enc = Base64.getEncoder().encodeToString((prefix.replace("\\n", "\n") + "curl http://x").getBytes());
                assertThat(matches(off, "{'f':'" + enc + "'}")).as("offset of " + prefix.length()).isTrue();
            }
            assertThat(matches(off, "{'f':'" + Base64.getEncoder().encodeToString("wget http://x".getBytes()) + "'}")).isFalse();
        }

        @Test
        void utf16BeforeBase64() {
            SigmaRules r = detection("""
                    sel:
                        f|utf16le|base64offset|contains: 'iex'
                    condition: sel""");
            String enc = Base64.getEncoder().encodeToString("x iex(y)".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
            assertThat(matches(r, "{'f':'" + enc + "'}")).isTrue();
            assertThat(matches(r, "{'f':'" + Base64.getEncoder().encodeToString("x iex(y)".getBytes()) + "'}")).isFalse();
            assertThat(rejected("""
                    sel:
                        f|utf16le: 'iex'
                    condition: sel""").getMessage()).contains("only supported before base64");
        }

        @Test
        void expandTakesPlaceholdersFromThePolicy() {
            SigmaRules r = detection("""
                    sel:
                        eventName: ConsoleLogin
                    filter:
                        sourceIPAddress|expand: '%Office%'
                    condition: sel and not filter""", Map.of("Office", List.of("198.51.100.*", "203.0.113.9")));
            assertThat(matches(r, "{'eventName':'ConsoleLogin','sourceIPAddress':'192.0.2.1'}")).isTrue();
            assertThat(matches(r, "{'eventName':'ConsoleLogin','sourceIPAddress':'198.51.100.20'}")).isFalse();
            assertThat(matches(r, "{'eventName':'ConsoleLogin','sourceIPAddress':'203.0.113.9'}")).isFalse();
            SigmaException e = rejected("""
                    sel:
                        f|expand: '%Nowhere%'
                    condition: sel""");
            assertThat(e.getMessage()).contains("placeholder %Nowhere%").contains("params.placeholders");
            // without expand, and escaped, % is plain text
            SigmaRules plain = detection("""
                    sel:
                        f: '%Office%'
                    esc:
                        g|expand: '\\%plain%Office%'
                    condition: sel or esc""", Map.of("Office", List.of("x")));
            assertThat(matches(plain, "{'f':'%Office%'}")).isTrue();
            assertThat(matches(plain, "{'g':'%plainx'}")).isTrue();
        }
    }

    @Nested
    class TypeModifiers {
        @Test
        void regularExpressionsAreCaseSensitiveWithFlags() {
            SigmaRules r = detection("""
                    sel:
                        userIdentity.arn|re: '.+:assumed-role/aws:.+'
                    condition: sel""");
            assertThat(matches(r, "{'userIdentity':{'arn':'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1'}}")).isTrue();
            assertThat(matches(r, "{'userIdentity':{'arn':'arn:aws:sts::1:assumed-role/AWS:ec2-instance/i-1'}}")).isFalse();
            SigmaRules i = detection("""
                    sel:
                        f|re|i: '^aws:'
                    condition: sel""");
            assertThat(matches(i, "{'f':'AWS:x'}")).isTrue();
            SigmaRules m = detection("""
                    sel:
                        f|re|m: '^second$'
                    condition: sel""");
            assertThat(matches(m, "{'f':'first\\nsecond'}")).isTrue();
            assertThat(matches(detection("""
                    sel:
                        f|re: '^second$'
                    condition: sel"""), "{'f':'first\\nsecond'}")).isFalse();
            SigmaRules s = detection("""
                    sel:
                        f|re|s: 'a.b'
                    condition: sel""");
            assertThat(matches(s, "{'f':'a\\nb'}")).isTrue();
            assertThat(rejected("""
                    sel:
                        f|re|contains: 'x'
                    condition: sel""").getMessage()).contains("cannot be combined");
            assertThat(rejected("""
                    sel:
                        f|re: '(unclosed'
                    condition: sel""").getMessage()).contains("regular expression");
        }

        @Test
        void theLiteralPrefilterNeverChangesTheAnswer() {
            // a value without the literal every match needs is not handed to the regex engine: same answers
            for (String re : List.of(".+:assumed-role/aws:.+", "^ab+c$", "xa?yz1", "a{2}bcd", "(?i)ABCD", "ab\\.cd", "[a-z]+-role-[0-9]{3}", "foo|barbaz")) {
                SigmaRules r = detection("sel:\n    f|re: '" + re + "'\ncondition: sel");
                java.util.regex.Pattern p = java.util.regex.Pattern.compile(re);
                for (String v : List.of("arn:aws:sts::1:assumed-role/aws:ec2/i-1", "abbbc", "xyz1", "xayz1", "aabcd", "abcd", "ab.cd", "abxcd",
                        "app-role-123", "barbaz", "foo", "none")) {
                    assertThat(matches(r, "{'f':'" + v + "'}")).as(re + " on " + v).isEqualTo(p.matcher(v).find());
                }
            }
        }

        @Test
        void aCatastrophicRegexOnAHostileValueFailsLoudly() {
            SigmaRules r = detection("""
                    sel:
                        f|re: '(a|aa)+$'
                    condition: sel""");
            String hostile = "a".repeat(5000) + "b";
            // deep recursion or too many steps: either way the rule fails, loudly, instead of hanging or reading "no match"
            assertThatThrownBy(() -> matches(r, "{'f':'" + hostile + "'}")).isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("regular expression (too deep|exceeded its step budget).*");
            SigmaRules slow = detection("""
                    sel:
                        f|re: '^(.*,){11}P'
                    condition: sel""");
            assertThatThrownBy(() -> matches(slow, "{'f':'" + "a,".repeat(30) + "'}")).isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("regular expression (too deep|exceeded its step budget).*");
        }

        @Test
        void cidrForIpv4AndIpv6() {
            SigmaRules r = detection("""
                    sel:
                        sourceIPAddress|cidr:
                            - 10.0.0.0/8
                            - '2001:db8::/32'
                    condition: sel""");
            assertThat(matches(r, "{'sourceIPAddress':'10.1.2.3'}")).isTrue();
            assertThat(matches(r, "{'sourceIPAddress':'2001:db8::1'}")).isTrue();
            assertThat(matches(r, "{'sourceIPAddress':'11.1.2.3'}")).isFalse();
            assertThat(matches(r, "{'sourceIPAddress':'AWS Internal'}")).isFalse();
            assertThat(matches(r, "{'sourceIPAddress':'ec2.amazonaws.com'}")).isFalse();
            assertThat(rejected("""
                    sel:
                        f|cidr: 10.0.0.0/33
                    condition: sel""").getMessage()).contains("not an IPv4 or IPv6 network");
        }

        @Test
        void existsTrueAndFalse() {
            SigmaRules yes = detection("""
                    sel:
                        requestParameters.userData|exists: true
                    condition: sel""");
            assertThat(matches(yes, "{'requestParameters':{'userData':'x'}}")).isTrue();
            assertThat(matches(yes, "{'requestParameters':{'userData':null}}")).isTrue();
            assertThat(matches(yes, "{'requestParameters':{}}")).isFalse();
            SigmaRules no = detection("""
                    sel:
                        errorCode|exists: false
                    condition: sel""");
            assertThat(matches(no, "{}")).isTrue();
            assertThat(matches(no, "{'errorCode':'x'}")).isFalse();
        }

        @Test
        void fieldrefComparesTwoFieldsOfTheRecord() {
            SigmaRules r = detection("""
                    sel:
                        eventName: UpdateLoginProfile
                    filter:
                        userIdentity.arn|fieldref: requestParameters.userName
                    condition: sel and not filter""");
            assertThat(matches(r, "{'eventName':'UpdateLoginProfile','userIdentity':{'arn':'bob'},'requestParameters':{'userName':'alice'}}")).isTrue();
            assertThat(matches(r, "{'eventName':'UpdateLoginProfile','userIdentity':{'arn':'alice'},'requestParameters':{'userName':'Alice'}}")).isFalse();
            SigmaRules ends = detection("""
                    sel:
                        userIdentity.arn|fieldref|endswith: requestParameters.userName
                    condition: sel""");
            assertThat(matches(ends, "{'userIdentity':{'arn':'arn:aws:iam::1:user/alice'},'requestParameters':{'userName':'alice'}}")).isTrue();
            assertThat(matches(ends, "{'userIdentity':{'arn':'arn:aws:iam::1:user/alice'},'requestParameters':{'userName':'bob'}}")).isFalse();
        }

        @Test
        void numericComparisons() {
            SigmaRules r = detection("""
                    big:
                        requestParameters.maxCount|gte: 10
                    small:
                        requestParameters.durationSeconds|lt: 900
                    condition: big or small""");
            assertThat(matches(r, "{'requestParameters':{'maxCount':10}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'maxCount':'12'}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'maxCount':9}}")).isFalse();
            assertThat(matches(r, "{'requestParameters':{'durationSeconds':899}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'durationSeconds':'n/a'}}")).isFalse();
            assertThat(matches(detection("""
                    sel:
                        n|gt: 1
                    condition: sel"""), "{'n':1}")).isFalse();
            assertThat(matches(detection("""
                    sel:
                        n|lte: 1
                    condition: sel"""), "{'n':1}")).isTrue();
            assertThat(rejected("""
                    sel:
                        n|gt: many
                    condition: sel""").getMessage()).contains("needs a number");
        }

        @Test
        void neqAndTimeParts() {
            SigmaRules neq = detection("""
                    sel:
                        userIdentity.type|neq: AssumedRole
                    condition: sel""");
            assertThat(matches(neq, "{'userIdentity':{'type':'Root'}}")).isTrue();
            assertThat(matches(neq, "{'userIdentity':{'type':'assumedrole'}}")).isFalse();
            assertThat(matches(neq, "{}")).isFalse();
            SigmaRules hour = detection("""
                    sel:
                        eventTime|hour: 3
                    condition: sel""");
            assertThat(matches(hour, "{'eventTime':'2024-05-01T03:10:00Z'}")).isTrue();
            assertThat(matches(hour, "{'eventTime':'2024-05-01T13:10:00Z'}")).isFalse();
        }

        @Test
        void unknownModifiersAreRejectedWithFileAndLine() {
            SigmaException e = rejected("""
                    sel:
                        eventName|sounds_like: x
                    condition: sel""");
            assertThat(e.file()).isEqualTo("rule.yml");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.construct()).isEqualTo("modifier 'sounds_like'");
        }
    }

    @Nested
    class Fields {
        @Test
        void dottedPathsArraysAndDottedKeys() {
            SigmaRules r = detection("""
                    sel:
                        requestParameters.ipPermissions.items.ipRanges.items.cidrIp: 0.0.0.0/0
                    condition: sel""");
            assertThat(matches(r, "{'requestParameters':{'ipPermissions':{'items':[{'ipRanges':{'items':[{'cidrIp':'10.0.0.0/8'}]}},"
                    + "{'ipRanges':{'items':[{'cidrIp':'192.0.2.0/24'},{'cidrIp':'0.0.0.0/0'}]}}]}}}")).isTrue();
            assertThat(matches(r, "{'requestParameters':{'ipPermissions':{'items':[{'ipRanges':{'items':[{'cidrIp':'10.0.0.0/8'}]}}]}}}")).isFalse();
            SigmaRules leafArray = detection("""
                    sel:
                        requestParameters.valuesToAdd: '123456789012'
                    condition: sel""");
            assertThat(matches(leafArray, "{'requestParameters':{'valuesToAdd':['111','123456789012']}}")).isTrue();
            assertThat(matches(leafArray, "{'requestParameters':{'valuesToAdd':[]}}")).isFalse();
            SigmaRules dotted = detection("""
                    sel:
                        tags.aws.cloudformation: x
                    condition: sel""");
            assertThat(matches(dotted, "{'tags':{'aws.cloudformation':'x'}}")).isTrue();
        }
    }

    @Nested
    class Conditions {
        static final String SELS = """
                a:
                    f: a
                b:
                    g: b
                c:
                    h: c
                """;

        @Test
        void andOrNotWithPrecedenceAndParentheses() {
            SigmaRules r = detection(SELS + "condition: a or b and not c");
            assertThat(matches(r, "{'f':'a','h':'c'}")).isTrue(); // a or (b and not c)
            assertThat(matches(r, "{'g':'b','h':'c'}")).isFalse();
            assertThat(matches(r, "{'g':'b'}")).isTrue();
            SigmaRules p = detection(SELS + "condition: (a or b) and not c");
            assertThat(matches(p, "{'f':'a','h':'c'}")).isFalse();
            SigmaRules n = detection(SELS + "condition: not a and b");
            assertThat(matches(n, "{'g':'b'}")).isTrue(); // (not a) and b
            assertThat(matches(n, "{'f':'a','g':'b'}")).isFalse();
        }

        @Test
        void oneOfAndAllOfPatternsAndThem() {
            String sels = """
                    selection_a:
                        f: a
                    selection_b:
                        g: b
                    _private:
                        h: c
                    """;
            assertThat(matches(detection(sels + "condition: 1 of selection_*"), "{'g':'b'}")).isTrue();
            assertThat(matches(detection(sels + "condition: all of selection_*"), "{'g':'b'}")).isFalse();
            assertThat(matches(detection(sels + "condition: all of selection_*"), "{'f':'a','g':'b'}")).isTrue();
            assertThat(matches(detection(sels + "condition: 1 of them"), "{'h':'c'}")).isFalse(); // _ names are not in them
            assertThat(matches(detection(sels + "condition: all of them"), "{'f':'a','g':'b'}")).isTrue();
            assertThat(matches(detection(sels + "condition: selection_a and not 1 of _priv*"), "{'f':'a','h':'c'}")).isFalse();
        }

        @Test
        void aListOfConditionsIsOred() {
            SigmaRules r = detection(SELS + "condition:\n    - a\n    - b");
            assertThat(matches(r, "{'g':'b'}")).isTrue();
            assertThat(matches(r, "{'h':'c'}")).isFalse();
        }

        @Test
        void badConditionsAreRejected() {
            assertThat(rejected(SELS + "condition: a and d").getMessage()).contains("no search identifier named 'd'");
            assertThat(rejected(SELS + "condition: sel*").getMessage()).contains("needs '1 of' or 'all of'");
            assertThat(rejected(SELS + "condition: (a or b").getMessage()).contains("not closed");
            assertThat(rejected(SELS + "condition: 2 of a*").getMessage()).contains("only '1 of' and 'all of'");
            assertThat(rejected(SELS + "condition: 1 of x*").getMessage()).contains("names no search identifier");
            assertThat(rejected(SELS + "condition: a ; b").getMessage()).contains("unexpected");
        }

        @Test
        void aRuleForAnotherLogSourceIsRejected() {
            assertThatThrownBy(() -> compile("title: t\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    s:\n        Image: x\n    condition: s\n", Map.of()))
                    .isInstanceOf(SigmaException.class).hasMessageContaining("rule.yml:2: logsource product: windows, category: process_creation").hasMessageContaining("AWS CloudTrail");
        }
    }

    @Nested
    class Index {
        @Test
        void recordsMeetOnlyTheRulesTheirEventNameCanMatch() {
            SigmaRules r = SigmaRules.of(compile("""
                    title: a
                    logsource: {product: aws, service: cloudtrail}
                    detection:
                        s:
                            - eventName: [StopLogging, DeleteTrail]
                            - eventName: UpdateTrail
                              errorCode: null
                        condition: s
                    ---
                    title: b
                    logsource: {product: aws, service: cloudtrail}
                    detection:
                        s:
                            userAgent|contains: TruffleHog
                        condition: s
                    """, Map.of()));
            assertThat(r.indexedCount()).isEqualTo(1);
            assertThat(r.readsEveryName()).isTrue();
            assertThat(r.fields()).contains("eventName", "errorCode", "userAgent");
            SigmaRules only = SigmaRules.of(compile("""
                    title: a
                    logsource: {product: aws, service: cloudtrail}
                    detection:
                        s:
                            eventName: [StopLogging, DeleteTrail]
                        f:
                            eventName: Other
                        condition: s and not f
                    """, Map.of()));
            assertThat(only.readsEveryName()).isFalse();
            assertThat(only.eventNames()).containsExactlyInAnyOrder("StopLogging", "DeleteTrail");
            assertThat(only.detailNames()).as("no rule reads a request").isEmpty();
        }

        @Test
        void aStartswithOnTheNameIndexesTheRuleByPrefixAndMatchesAsBefore() {
            SigmaRules r = detection("""
                    sel:
                        eventSource: lambda.amazonaws.com
                        eventName|startswith: AddPermission
                        requestParameters.principal: '\\*'
                    other:
                        eventName: CreateFunction20150331
                        requestParameters.functionName|startswith: x
                    condition: sel or other""");
            assertThat(r.indexedCount()).as("a prefix is not an exact name").isZero();
            assertThat(r.readsEveryName()).isTrue();
            assertThat(r.detailNames()).containsExactlyInAnyOrder("AddPermission*", "CreateFunction20150331");
            String open = "{'eventSource':'lambda.amazonaws.com','eventName':'%s','requestParameters':{'principal':'*','functionName':'y'}}";
            assertThat(matches(r, open.formatted("AddPermission20150331v2"))).isTrue();
            assertThat(matches(r, open.formatted("AddPermission"))).isTrue();
            assertThat(matches(r, open.formatted("addpermission20150331v2"))).as("case-insensitive, as the rule").isTrue();
            assertThat(matches(r, open.formatted("RemovePermission20150331v2"))).isFalse();
            assertThat(matches(r, open.formatted("AddPermissio"))).isFalse();
            assertThat(matches(r, "{'eventSource':'lambda.amazonaws.com','requestParameters':{'principal':'*'}}")).as("no eventName").isFalse();
            assertThat(matches(r, "{'eventSource':'lambda.amazonaws.com','eventName':'CreateFunction20150331','requestParameters':{'functionName':'xa'}}")).isTrue();
            assertThat(matches(r, "{'eventSource':'lambda.amazonaws.com','eventName':'createfunction20150331','requestParameters':{'functionName':'xa'}}")).isTrue();
            SigmaRules literalStar = detection("""
                    sel:
                        eventName|startswith: 'Add\\*'
                        requestParameters.principal: x
                    condition: sel""");
            assertThat(literalStar.detailNames()).as("a literal * in a prefix is not indexed").containsExactly("*");
            assertThat(matches(literalStar, "{'eventName':'Add*Permission','requestParameters':{'principal':'x'}}")).isTrue();
            assertThat(matches(literalStar, "{'eventName':'AddPermission','requestParameters':{'principal':'x'}}")).isFalse();
        }
    }
}
