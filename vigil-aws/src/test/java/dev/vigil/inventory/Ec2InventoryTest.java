package dev.vigil.inventory;

import dev.vigil.aws.Ec2Inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.inventory.StaticInventory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The daemon's start-up look-up over the EC2 API, served botocore's recorded XML responses by WireMock. */
class Ec2InventoryTest {
    static final String XML = Ec2Stub.BOTOCORE + "responses/";

    static Ec2Client client(Ec2Stub aws) {
        return Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(aws.endpoint())
                .credentialsProvider(dev.vigil.testing.LocalSqs.CREDS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void instancesGroupsAndAclsComeFromTheDescribeCalls() {
        try (Ec2Stub aws = Ec2Stub.start()) {
            aws.answer("DescribeInstances", 200, Ec2Stub.corpus(XML + "ec2-describe-instances.xml"))
                    .answer("DescribeSecurityGroups", 200, Ec2Stub.corpus(XML + "ec2-describe-security-groups.xml"))
                    .answer("DescribeNetworkAcls", 200, Ec2Stub.corpus(XML + "ec2-describe-network-acls.xml"));
            StaticInventory inv = StaticInventory.empty();
            List<String> problems = new ArrayList<>();
            try (Ec2Client ec2 = client(aws)) {
                int n = Ec2Inventory.load(ec2, "us-east-1", inv, (w, m) -> problems.add(w + ": " + m));
                assertThat(n).isPositive();
            }
            assertThat(problems).isEmpty();
            assertThat(inv.instances()).isNotEmpty();
            assertThat(inv.instances()).allSatisfy(i -> {
                assertThat(i.id()).isNotNull();
                assertThat(i.state()).isNotBlank();
                assertThat(i.launchTime()).isNotNull();
            });
            var first = inv.instances().iterator().next();
            assertThat(inv.instance(InstanceId.of(first.id().value()))).contains(first);
            // the forms sent: one page each, MaxResults=1000
            assertThat(aws.sent()).extracting(f -> f.get("Action") + " " + f.get("MaxResults"))
                    .containsExactly("DescribeInstances 1000", "DescribeSecurityGroups 1000", "DescribeNetworkAcls 1000");
        }
    }

    @Test
    void aDeniedCallIsOneProblemAndTheOthersStillLoad() {
        try (Ec2Stub aws = Ec2Stub.start()) {
            aws.answer("DescribeInstances", 200, Ec2Stub.corpus(XML + "ec2-describe-instances.xml"))
                    .answer("DescribeSecurityGroups", 403, Ec2Stub.error("UnauthorizedOperation", "You are not authorized to perform this operation."))
                    .answer("DescribeNetworkAcls", 200, Ec2Stub.corpus(XML + "ec2-describe-network-acls.xml"));
            StaticInventory inv = StaticInventory.empty();
            List<String> problems = new ArrayList<>();
            try (Ec2Client ec2 = client(aws)) {
                Ec2Inventory.load(ec2, "us-east-1", inv, (w, m) -> problems.add(w + ": " + m));
            }
            assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("DescribeSecurityGroups failed", "not authorized"));
            assertThat(inv.instances()).isNotEmpty();
        }
    }
}
