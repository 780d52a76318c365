package dev.vigil.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A local EC2 endpoint (WireMock on 127.0.0.1, random port) and an {@link Ec2Executor} pointed at it with static
 * credentials and a short retry budget (3 attempts, 10-50 ms). Answers are EC2's XML from the corpus where it has
 * them; {@link #error} builds EC2's error envelope (the form of the corpus' error files) for codes the corpus lacks.
 */
public final class Ec2Stub implements AutoCloseable {
    static final Path CORPUS = Path.of("../shared/corpus");
    public static final RetryBudget FAST = new RetryBudget(3, Duration.ofMillis(10), Duration.ofMillis(50));

    public final WireMockServer server;
    public final Ec2Executor executor;

    private Ec2Stub() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        executor = Ec2Executor.create(Region.US_EAST_1, URI.create("http://127.0.0.1:" + server.port()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")), FAST);
    }

    /** The stub's URL, for {@code --endpoint-url}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public static Ec2Stub start() {
        return new Ec2Stub();
    }

    /** Answers every call of {@code action} with this status and body. */
    public Ec2Stub answer(String action, int status, String body) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(body)));
        return this;
    }

    public ActionResult run(ActionPlan plan, boolean dryRun) {
        return executor.execute(plan, null, dryRun);
    }

    /** The form bodies received, oldest first, each parsed into URL-decoded key -> value. */
    public List<Map<String, String>> sent() {
        return server.findAll(postRequestedFor(urlEqualTo("/"))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(r -> form(r.getBodyAsString())).toList();
    }

    /**
     * The requests that change or tell something (everything but STS GetCallerIdentity, which a runtime makes once at
     * start to know its own principal), for tests that count effects.
     */
    public List<Map<String, String>> effects() {
        return sent().stream().filter(f -> !"GetCallerIdentity".equals(f.get("Action"))).toList();
    }

    /** STS GetCallerIdentity's answer for a runtime running as {@code arn}. */
    public Ec2Stub callerIdentity(String arn) {
        return answer("GetCallerIdentity", 200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                + "<Arn>" + arn + "</Arn><UserId>AROAEXAMPLE:x</UserId><Account>" + arn.split(":")[4] + "</Account></GetCallerIdentityResult>"
                + "<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) return out;
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(k, v) != null) throw new AssertionError("key sent twice: " + k);
        }
        return out;
    }

    /** A corpus file's text; the calling test is skipped when the corpus is not there. */
    public static String corpus(String relative) {
        Path p = CORPUS.resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus absent: skipped (" + p + ")");
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final String API_REF = "aws-ec2-api-reference/";
    public static final String LIBCLOUD = "libcloud/libcloud/test/compute/fixtures/ec2/";
    public static final String JCLOUDS = "jclouds/providers/aws-ec2/src/test/resources/";
    public static final String BOTOCORE = "botocore/tests/unit/response_parsing/xml/";

    /** EC2's error envelope, as in the corpus' error files, for a code the corpus has no file for. */
    public static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>0a2b8c4e-1111-4a4a-9c9c-5d5d5d5d5d5d</RequestID></Response>";
    }

    /** The body EC2 sends for calls that only say yes (the form of libcloud's modify_instance_attribute.xml). */
    public static String ok(String action) {
        return "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\n  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>\n"
                + "  <return>true</return>\n</" + action + "Response>";
    }

    /**
     * A plan whose undo is given (as scenarios mostly give it), so the executor reads nothing before acting and
     * sends only the calls under test. Learning the undo is tested in {@code Ec2UndoTest} with {@link #learning}.
     */
    static ActionPlan plan(String type, String target, Map<String, Object> params) {
        return new ActionPlan(type, target, params, "test plan", type + ":" + target, true, GIVEN_UNDO);
    }

    static final Map<String, Object> GIVEN_UNDO = Map.of("Action", "GivenByTheTest");

    /** A plan with no undo: the executor learns it while acting. */
    static ActionPlan learning(String type, String target, Map<String, Object> params) {
        return new ActionPlan(type, target, params, "test plan", type + ":" + target, true);
    }

    @Override
    public void close() {
        executor.close();
        server.stop();
    }
}
