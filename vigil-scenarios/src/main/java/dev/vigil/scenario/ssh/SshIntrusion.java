package dev.vigil.scenario.ssh;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import dev.vigil.scenario.shared.QuarantineInstance;
import java.util.List;
import java.util.Map;

/**
 * The {@code ssh-intrusion} detector: reads sshd / Dropbear / auditd lines (CloudWatch Logs subscriptions or text
 * files), counts invalid users, rejected keys, pre-authentication disconnects and failed log-ins per instance and
 * source address in event-time windows, and answers with quarantine or a network ACL block of the source.
 */
public final class SshIntrusion implements DetectorType {
    public static final String NAME = "ssh-intrusion";
    public static final String INVALID_USER = "ssh-invalid-user";
    public static final String INVALID_KEY = "ssh-invalid-key";
    public static final String DISCONNECT_BURST = "ssh-disconnect-burst";
    public static final String BRUTE_FORCE = "ssh-brute-force";
    public static final String LOGIN_AFTER_FAILURES = "ssh-login-after-failures";
    public static final String BAN_EXPIRED = "ssh-ban-expired";
    public static final String SCANNER = "ssh-scanner";
    public static final String EXPLOIT_ATTEMPT = "ssh-exploit-attempt";
    public static final String SLOW_BRUTE_FORCE = "ssh-slow-brute-force";
    public static final String USER_ENUMERATION = "ssh-user-enumeration";

    private static final List<String> ACTING = List.of(QuarantineInstance.TYPE, SourceBlocks.BLOCK);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "sshd logs: invalid users, rejected keys, disconnect bursts, scanners, exploit attempts and brute force per instance and source;"
                + " quarantine or block the source";
    }

    @Override
    public List<RuleInfo> rules() {
        return List.of(
                new RuleInfo(INVALID_USER, Severity.MEDIUM, "log-in attempts for users that do not exist, per instance and source", ACTING),
                new RuleInfo(INVALID_KEY, Severity.MEDIUM, "public keys rejected on connections that never logged in", ACTING),
                new RuleInfo(DISCONNECT_BURST, Severity.LOW, "connections ended before authentication, per instance and source", ACTING),
                new RuleInfo(BRUTE_FORCE, Severity.HIGH, "failed log-ins from one source in a window (fail2ban's failures; slow, "
                        + "user-enumeration and distributed variants as options)", ACTING),
                new RuleInfo(SCANNER, Severity.MEDIUM, "pre-authentication scanning: key-exchange, banner and protocol failures from one source"
                        + " (detect and notify unless act: true)", ACTING),
                new RuleInfo(EXPLOIT_ATTEMPT, Severity.HIGH, "a burst of LoginGraceTime timeouts from one source, as the regreSSHion exploit"
                        + " (CVE-2024-6387) leaves (detect and notify unless act: true)", ACTING),
                new RuleInfo(SLOW_BRUTE_FORCE, Severity.HIGH, "failed log-ins from one source spread over hours, a leaky bucket (detect and"
                        + " notify unless act: true)", ACTING),
                new RuleInfo(USER_ENUMERATION, Severity.MEDIUM, "many different user names tried from one source (detect and notify unless"
                        + " act: true)", ACTING),
                new RuleInfo(LOGIN_AFTER_FAILURES, Severity.CRITICAL, "a successful log-in from a source that failed repeatedly just before", ACTING),
                new RuleInfo(BAN_EXPIRED, Severity.INFO, "a block-source ban reached its ban time: the deny entry is removed",
                        List.of(SourceBlocks.UNBLOCK)));
    }

    @Override
    public Detector create(Params params) {
        return new SshIntrusionDetector(SshSettings.read(params));
    }

    @Override
    public Map<String, List<String>> iamActions() {
        return Map.of(
                QuarantineInstance.TYPE, List.of("ec2:DescribeInstances", "ec2:ModifyNetworkInterfaceAttribute", "ec2:ModifyInstanceAttribute"),
                SourceBlocks.BLOCK, List.of("ec2:DescribeInstances", "ec2:DescribeNetworkAcls", "ec2:CreateNetworkAclEntry"),
                SourceBlocks.UNBLOCK, List.of("ec2:DeleteNetworkAclEntry"));
    }
}
