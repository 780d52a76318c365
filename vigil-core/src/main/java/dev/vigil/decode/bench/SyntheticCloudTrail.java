package dev.vigil.decode.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A deterministic synthetic CloudTrail log file ({@code {"Records":[...]}}, gzip) for the replay benchmark: records
 * of realistic size (about 1.2 KB) and mix: mostly read-only calls, with launches, tagging, security group
 * changes (some opened to the world), IAM user creation and console logins, as an account's trail has them.
 */
public final class SyntheticCloudTrail {
    private static final String ACCOUNT = "111122223333";
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2"};
    private static final String[] AGENTS = {
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances",
        "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
        "console.ec2.amazonaws.com", "aws-sdk-java/2.25.10 Linux/5.10 OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS Java/21.0.2 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/standard"
    };

    private SyntheticCloudTrail() {}

    public static void write(Path out, int records, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        long t = Instant.parse("2025-03-06T00:00:00Z").getEpochSecond();
        try (Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(out), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            w.write("{\"Records\":[");
            StringBuilder b = new StringBuilder(2048);
            for (int i = 0; i < records; i++) {
                t += r.nextInt(3);
                b.setLength(0);
                record(b, r, i, t);
                if (i > 0) w.write(',');
                w.append(b);
            }
            w.write("]}");
        }
    }

    private static void record(StringBuilder b, SplittableRandom r, int i, long t) {
        int kind = r.nextInt(1000);
        String region = REGIONS[r.nextInt(REGIONS.length)];
        String user = "user" + r.nextInt(40);
        String ip = (r.nextInt(200) + 3) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
        String name;
        String source = "ec2.amazonaws.com";
        String req;
        String resp = "null";
        if (kind < 500) {
            name = "DescribeInstances";
            req = "{\"instancesSet\":{},\"filterSet\":{\"items\":[{\"name\":\"tag:Environment\",\"valueSet\":{\"items\":[{\"value\":\"prod\"}]}}]}}";
        } else if (kind < 700) {
            name = "AssumeRole";
            source = "sts.amazonaws.com";
            req = "{\"roleArn\":\"arn:aws:iam::" + ACCOUNT + ":role/deploy-" + r.nextInt(9) + "\",\"roleSessionName\":\"session-" + Long.toHexString(r.nextLong()) + "\",\"durationSeconds\":3600}";
            resp = "{\"credentials\":{\"accessKeyId\":\"ASIA" + hex(r, 16).toUpperCase() + "\",\"sessionToken\":\"" + hex(r, 120) + "\",\"expiration\":\"Mar 6, 2025, 4:00:00 AM\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROA" + hex(r, 17).toUpperCase() + ":session\",\"arn\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy/session\"}}";
        } else if (kind < 880) {
            name = "GetObject";
            source = "s3.amazonaws.com";
            req = "{\"bucketName\":\"app-artifacts-" + r.nextInt(5) + "\",\"Host\":\"app-artifacts.s3.amazonaws.com\",\"key\":\"builds/" + hex(r, 12) + "/bundle.tar.gz\"}";
        } else if (kind < 920) {
            name = "ConsoleLogin";
            source = "signin.amazonaws.com";
            req = "null";
            resp = "{\"ConsoleLogin\":\"Success\"}";
        } else if (kind < 950) {
            name = "RunInstances";
            String inst = "i-0" + hex(r, 16);
            boolean tagged = r.nextBoolean();
            req = "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0" + hex(r, 16) + "\",\"minCount\":1,\"maxCount\":1}]},\"instanceType\":\"t3.micro\",\"blockDeviceMapping\":{},\"monitoring\":{\"enabled\":false},\"disableApiTermination\":false,\"disableApiStop\":false,\"clientToken\":\"" + hex(r, 16) + "\""
                    + (tagged ? ",\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"instance\",\"tags\":[{\"key\":\"Owner\",\"value\":\"" + user + "\"},{\"key\":\"CostCenter\",\"value\":\"cc-" + r.nextInt(99) + "\"}]}]}" : "") + "}";
            resp = "{\"requestId\":\"" + uuid(r) + "\",\"reservationId\":\"r-0" + hex(r, 16) + "\",\"ownerId\":\"" + ACCOUNT + "\",\"groupSet\":{},\"instancesSet\":{\"items\":[{\"instanceId\":\"" + inst + "\",\"imageId\":\"ami-0" + hex(r, 16) + "\",\"instanceState\":{\"code\":0,\"name\":\"pending\"},\"launchTime\":" + t * 1000 + ",\"subnetId\":\"subnet-0" + hex(r, 16) + "\",\"vpcId\":\"vpc-0" + hex(r, 16) + "\"}]}}";
        } else if (kind < 975) {
            name = "CreateTags";
            req = "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0" + hex(r, 16) + "\"}]},\"tagSet\":{\"items\":[{\"key\":\"Owner\",\"value\":\"" + user + "\"},{\"key\":\"CostCenter\",\"value\":\"cc-1\"}]}}";
            resp = "{\"requestId\":\"" + uuid(r) + "\",\"_return\":true}";
        } else if (kind < 995) {
            name = "AuthorizeSecurityGroupIngress";
            String cidr = r.nextInt(4) == 0 ? "0.0.0.0/0" : "10." + r.nextInt(256) + ".0.0/16";
            int port = new int[] {22, 443, 3389, 8080, 5432}[r.nextInt(5)];
            req = "{\"groupId\":\"sg-0" + hex(r, 16) + "\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":" + port + ",\"toPort\":" + port + ",\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"" + cidr + "\"}]},\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}";
            resp = "{\"requestId\":\"" + uuid(r) + "\",\"_return\":true,\"securityGroupRuleSet\":{\"items\":[{\"groupOwnerId\":\"" + ACCOUNT + "\",\"groupId\":\"sg-0" + hex(r, 16) + "\",\"securityGroupRuleId\":\"sgr-0" + hex(r, 16) + "\",\"isEgress\":false,\"ipProtocol\":\"tcp\",\"fromPort\":" + port + ",\"toPort\":" + port + ",\"cidrIpv4\":\"" + cidr + "\"}]}}";
        } else {
            name = "CreateUser";
            source = "iam.amazonaws.com";
            req = "{\"userName\":\"svc-" + hex(r, 6) + "\"}";
            resp = "{\"user\":{\"path\":\"/\",\"userName\":\"svc\",\"userId\":\"AIDA" + hex(r, 17).toUpperCase() + "\",\"arn\":\"arn:aws:iam::" + ACCOUNT + ":user/svc\",\"createDate\":\"Mar 6, 2025, 3:00:00 AM\"}}";
        }
        String time = Instant.ofEpochSecond(t).toString();
        b.append("{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROA").append(hex(r, 17).toUpperCase())
                .append(":").append(user).append("\",\"arn\":\"arn:aws:sts::").append(ACCOUNT).append(":assumed-role/Admin/").append(user)
                .append("\",\"accountId\":\"").append(ACCOUNT).append("\",\"accessKeyId\":\"ASIA").append(hex(r, 16).toUpperCase())
                .append("\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::").append(ACCOUNT)
                .append(":role/Admin\",\"accountId\":\"").append(ACCOUNT).append("\",\"userName\":\"Admin\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"")
                .append(time).append("\",\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"").append(time).append("\",\"eventSource\":\"").append(source)
                .append("\",\"eventName\":\"").append(name).append("\",\"awsRegion\":\"").append(region).append("\",\"sourceIPAddress\":\"").append(ip)
                .append("\",\"userAgent\":\"").append(AGENTS[r.nextInt(AGENTS.length)]).append("\",\"requestParameters\":").append(req)
                .append(",\"responseElements\":").append(resp).append(",\"requestID\":\"").append(uuid(r)).append("\",\"eventID\":\"").append(uuid(r))
                .append("\",\"readOnly\":").append(kind < 880).append(",\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"")
                .append(ACCOUNT).append("\",\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"")
                .append(source.replace(".amazonaws.com", "")).append('.').append(region).append(".amazonaws.com\"}}");
    }

    private static String hex(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) s.append(Character.forDigit(r.nextInt(16), 16));
        return s.toString();
    }

    private static String uuid(SplittableRandom r) {
        return hex(r, 8) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 12);
    }
}
