package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code vigil test}: the examples' expectations pass; a changed one fails with a diff, exit 1 and JUnit XML saying so. */
class TestCommandTest {
    @TempDir
    Path dir;

    /** A copy of the examples' policy with one case whose inputs are the examples' own. */
    private Path policyWith(String caseName, String expect) throws Exception {
        Path p = dir.resolve("policy");
        Files.createDirectories(p.resolve("tests").resolve(caseName));
        Files.copy(Path.of("examples/policy.yaml"), p.resolve("policy.yaml"));
        Files.writeString(p.resolve("tests").resolve(caseName).resolve("expect.yaml"),
                expect.replace("EXAMPLES", Path.of("examples").toAbsolutePath().toString()));
        return p;
    }

    static Document xml(Path f) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
    }

    @Test
    void theExamplesPassAndSayWhatTheyRan() throws Exception {
        Path junit = dir.resolve("junit.xml");
        ReplayCommandTest.Run r = ReplayCommandTest.run("test", "examples/", "--junit", junit.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS ssh-web-1", "PASS ssh-bastion", "PASS sg-guard", "PASS guardduty", "PASS bastion", "PASS cloudtrail",
                "PASS ssh-deploy-stays-quiet").contains("7 passed, 0 failed");
        Element suite = xml(junit).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("7");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(7);
    }

    @Test
    void aChangedExpectationFails() throws Exception {
        // the real brute force is from 198.51.100.77: expecting another source, or a second one, must fail
        Path p = policyWith("web-1", """
                inputs: [EXAMPLES/ssh/cloudwatch-secure-web-1.json, EXAMPLES/ssh/describe-instances.json, EXAMPLES/ssh/describe-network-acls.json]
                findings:
                  - {rule: ssh-brute-force, resource: i-0a1b2c3d4e5f60718, source: 198.51.100.78}
                  - {rule: ssh-invalid-key, source: 192.0.2.44, count: 2}
                absent:
                  - {rule: ssh-invalid-user, source: 203.0.113.9}
                """);
        Path junit = dir.resolve("junit.xml");
        ReplayCommandTest.Run r = ReplayCommandTest.run("test", p.toString(), "--junit", junit.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL web-1")
                .contains("- expected {rule: ssh-brute-force, resource: i-0a1b2c3d4e5f60718, source: 198.51.100.78}")
                .contains("- expected {rule: ssh-invalid-key, source: 192.0.2.44, count: 2} (found 1)")
                .contains("+ must not appear {rule: ssh-invalid-user, source: 203.0.113.9}: {rule: ssh-invalid-user")
                .contains("{rule: ssh-brute-force, severity: high, resource: i-0a1b2c3d4e5f60718, source: 198.51.100.77")
                .contains("0 passed, 1 failed");
        Element suite = xml(junit).getDocumentElement();
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).contains("198.51.100.78");
        assertThat(failure.getTextContent()).contains("must not appear");

        // the same case with the truth passes
        Files.writeString(p.resolve("tests/web-1/expect.yaml"), Files.readString(p.resolve("tests/web-1/expect.yaml"))
                .replace("198.51.100.78", "198.51.100.77").replace("count: 2", "count: 1").replace("absent:\n  - {rule: ssh-invalid-user, source: 203.0.113.9}\n", ""));
        assertThat(ReplayCommandTest.run("test", p.toString()).code()).isZero();
    }

    @Test
    void exactListsEveryFindingAndAPolicyFileNamesItsCases() throws Exception {
        Path p = policyWith("sg", """
                inputs: [EXAMPLES/sg-guard]
                findings:
                  - {rule: sg-ingress-changed, resource: sg-0a11b22c33d44e55f, source: 198.51.100.23, actions: {revoke-ingress: planned}}
                exact: true
                """);
        ReplayCommandTest.Run r = ReplayCommandTest.run("test", p.resolve("policy.yaml").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("+ unexpected {rule: sg-open-to-world, severity: high, resource: sg-0f9e8d7c6b5a49382");
        assertThat(r.out().lines().filter(l -> l.contains("+ unexpected"))).hasSize(3);
    }

    @Test
    void aBadExpectationFileIsAUsageErrorNamingIt() throws Exception {
        Path p = policyWith("bad", "findings:\n  - {rule: x, sourec: 1.2.3.4}\ninputs: [EXAMPLES/sg-guard]\n");
        ReplayCommandTest.Run r = ReplayCommandTest.run("test", p.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("expect.yaml").contains("unknown key 'sourec'");
        Files.writeString(p.resolve("tests/bad/expect.yaml"), "findings: [unclosed\n");
        ReplayCommandTest.Run broken = ReplayCommandTest.run("test", p.toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains("line");
        assertThat(ReplayCommandTest.run("test", dir.resolve("nothing").toString()).code()).isEqualTo(2);
    }

    @Test
    void replayOfTheExamplesDoesNotReadTheirTestCases() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "json", "examples/");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).doesNotContain("ssh-deploy-stays-quiet").doesNotContain("10.0.5.20");
    }
}
