package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One daemon, several regions ({@code vigil run --region A --region B}, {@code --all-regions}), against moto's EC2 and
 * SQS: each watched region's events are answered in that region, an event of a region not watched is skipped (counted,
 * said once) and its group left open, the enabled regions are DescribeRegions' enabled ones, and a tailed file's lines
 * are placed in its instance's region as the start-up look-up (in every watched region) found it.
 */
@ExtendWith(Moto.class)
class MultiRegionOnMotoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Region US_EAST_1 = Region.US_EAST_1;
    static final Region AP_SOUTHEAST_2 = Region.AP_SOUTHEAST_2;
    static final String POLICY = """
            version: 1
            policies:
              - name: groups
                detector: sg-guard
                responses:
                  sg-open-to-world: [revoke-world-open]
            """;

    @TempDir
    Path dir;

    Moto moto;
    MotoAccount home;
    SqsClient sqs;
    final List<AutoCloseable> clients = new ArrayList<>();
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Moto m) {
        moto = m;
        home = new MotoAccount(m);
        sqs = m.sqs(MotoAccount.REGION);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : clients) c.close();
        sqs.close();
        home.ec2.close();
    }

    /** A group in {@code region} with SSH open to the world; [0] group id, [1] the rule's id. */
    String[] openGroup(Ec2Client ec2) {
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.30.0.0/16")).vpc().vpcId();
        String group = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("web").description("web servers")).groupId();
        String rule = ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(IpPermission.builder().ipProtocol("tcp")
                .fromPort(22).toPort(22).ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())).securityGroupRules().get(0)
                .securityGroupRuleId();
        return new String[] {group, rule};
    }

    Ec2Client ec2(Region r) {
        Ec2Client c = moto.ec2(r);
        clients.add(c);
        return c;
    }

    static Set<String> ingress(Ec2Client ec2, String group) {
        Set<String> out = new TreeSet<>();
        ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(group))).securityGroupRules().stream()
                .filter(r -> !r.isEgress()).forEach(r -> out.add(r.fromPort() + " " + r.cidrIpv4()));
        return out;
    }

    /** The sg-guard example's world-open call, made on {@code group} in {@code region}. */
    String worldOpenIn(Region region, String group, String rule) throws Exception {
        String e = home.sgGuardEvents(home.pgRule, home.sshWorldRule).get(1).replace(home.web, group).replace(home.sshWorldRule, rule)
                .replace("\"" + MotoAccount.REGION.id() + "\"", "\"" + region.id() + "\"");
        JsonNode n = JSON.readTree(e);
        assertThat(n.path("region").asText()).isEqualTo(region.id());
        assertThat(n.path("detail").path("awsRegion").asText()).isEqualTo(region.id());
        // a call of its own in each region (the example's event id would make the second a duplicate of the first)
        String id = java.util.UUID.nameUUIDFromBytes((region.id() + group).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("id", id);
        ((com.fasterxml.jackson.databind.node.ObjectNode) n.path("detail")).put("eventID", id);
        return n.toString();
    }

    String queue(String name, List<String> bodies) {
        String q = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        for (String body : bodies) sqs.sendMessage(b -> b.queueUrl(q).messageBody(body));
        return q;
    }

    LiveRuntime daemon(String policy, String queueUrl, List<Daemon.Tail> tails, List<String> regions, boolean all) throws Exception {
        Path p = dir.resolve("policy.yaml");
        Files.writeString(p, policy);
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        return LiveRuntime.checked(Policies.load(p), new LiveRuntime.Options(queueUrl, tails, true, dir.resolve("vigil.db"), List.of(),
                moto.endpoint(), null, null, null, false, true, 0, Moto.CREDS, null, true, Moto.ACCOUNT, null).watching(regions, all),
                Clock.systemUTC(), k -> null, w, (where, msg) -> problems.add(where + ": " + msg));
    }

    @Test
    void eachWatchedRegionsEventIsAnsweredInItsRegionAndAnUnwatchedRegionsIsSkippedAndSaidOnce() throws Exception {
        Ec2Client east = ec2(US_EAST_1);
        Ec2Client sydney = ec2(AP_SOUTHEAST_2);
        String[] e = openGroup(east);
        String[] s = openGroup(sydney);
        String q = queue("regions", List.of(
                worldOpenIn(MotoAccount.REGION, home.web, home.sshWorldRule),
                worldOpenIn(US_EAST_1, e[0], e[1]),
                worldOpenIn(AP_SOUTHEAST_2, s[0], s[1]),
                worldOpenIn(AP_SOUTHEAST_2, s[0], s[1])));

        try (LiveRuntime rt = daemon(POLICY, q, List.of(), List.of("eu-west-1", "us-east-1"), false)) {
            assertThat(rt.regions()).containsExactly("eu-west-1", "us-east-1");
            rt.daemon().run();
            assertThat(rt.metrics().outsideRegions()).as("both Sydney events skipped").isEqualTo(2);
            assertThat(rt.store().rejectedCount()).as("a skipped event is not a bad message").isZero();
        }

        assertThat(home.ingress(home.web)).as("eu-west-1 (home)").containsExactly("443 10.20.0.0/16");
        assertThat(ingress(east, e[0])).as("us-east-1: answered in its own region").isEmpty();
        assertThat(ingress(sydney, s[0])).as("ap-southeast-2: not watched, left alone").containsExactly("22 0.0.0.0/0");
        assertThat(out).filteredOn(f -> f.rule().equals("sg-open-to-world")).extracting(f -> f.region().value())
                .containsExactlyInAnyOrder("eu-west-1", "us-east-1");
        assertThat(out).flatExtracting(Finding::actions).allSatisfy(a -> assertThat(a.status()).as(a.detail()).isEqualTo(ActionStatus.APPLIED));
        assertThat(problems).filteredOn(p -> p.startsWith("region ap-southeast-2")).singleElement().satisfies(p -> assertThat(p)
                .contains("not among the regions watched (eu-west-1, us-east-1)", "--all-regions"));
    }

    /** The control: one --region is the home region, not a filter: the Sydney event is answered there (as before). */
    @Test
    void oneRegionIsTheHomeRegionNotAFilter() throws Exception {
        Ec2Client sydney = ec2(AP_SOUTHEAST_2);
        String[] s = openGroup(sydney);
        String q = queue("one", List.of(worldOpenIn(AP_SOUTHEAST_2, s[0], s[1])));
        try (LiveRuntime rt = daemon(POLICY, q, List.of(), List.of("eu-west-1"), false)) {
            rt.daemon().run();
            assertThat(rt.metrics().outsideRegions()).isZero();
        }
        assertThat(ingress(sydney, s[0])).isEmpty();
    }

    @Test
    void allRegionsWatchesTheEnabledRegionsOfThePartitionHomeFirst() throws Exception {
        Ec2Client east = ec2(US_EAST_1);
        String[] e = openGroup(east);
        // ap-east-1 is an opt-in region moto reports as not opted in: not watched
        String q = queue("all", List.of(worldOpenIn(US_EAST_1, e[0], e[1]), worldOpenIn(Region.AP_EAST_1, "sg-0123456789abcdef0", "sgr-0123456789abcdef0")));
        try (LiveRuntime rt = daemon(POLICY, q, List.of(), List.of("eu-west-1"), true)) {
            // moto 5.2.1's regions that need no opt-in, in the aws partition; neither GovCloud nor China, nor the not-opted-in
            List<String> enabled = new ArrayList<>(List.of("af-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
                    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1", "eu-central-1", "eu-north-1", "eu-south-1",
                    "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"));
            enabled.add(0, "eu-west-1");
            assertThat(rt.regions()).containsExactlyElementsOf(enabled);
            rt.daemon().run();
            assertThat(rt.metrics().outsideRegions()).isEqualTo(1);
        }
        assertThat(ingress(east, e[0])).isEmpty();
        assertThat(problems).anyMatch(p -> p.startsWith("region ap-east-1"));
    }

    @Test
    void aTailedFilesLinesArePlacedInTheirInstancesRegionAsTheLookUpFoundIt() throws Exception {
        Ec2Client east = ec2(US_EAST_1);
        String vpc = east.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        String subnet = east.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.40.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String bastion = east.runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1).maxCount(1).subnetId(subnet))
                .instances().get(0).instanceId();
        Path log = dir.resolve("auth.log");
        Files.copy(Path.of("examples/ssh/auth-bastion-a.log"), log);
        String q = queue("tail", List.of());
        List<Daemon.Tail> tails = List.of(new Daemon.Tail(log, dev.vigil.core.event.InstanceId.of(bastion)));
        try (LiveRuntime rt = daemon(Policies.defaultText(), q, tails, List.of("eu-west-1", "us-east-1"), false)) {
            rt.daemon().run();
        }
        List<Finding> ssh = out.stream().filter(f -> f.rule().startsWith("ssh-")).toList();
        assertThat(ssh).as(String.join("\n", problems)).isNotEmpty();
        assertThat(ssh).allSatisfy(f -> assertThat(f.region().value()).as(f.rule() + " " + f.resource()).isEqualTo("us-east-1"));
    }
}
