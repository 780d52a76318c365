package dev.vigil.core.policy;

import dev.vigil.core.event.Principal;
import java.util.List;

/**
 * How vigil recognises its own API calls in CloudTrail, so that its remediations never trigger remediations:
 * the role ARNs it runs as and the session name it uses when assuming them.
 */
public record SelfIdentity(List<String> roleArns, String sessionName) {
    public static final String DEFAULT_SESSION = "vigil";

    public SelfIdentity {
        roleArns = List.copyOf(roleArns);
    }

    public static SelfIdentity defaults() {
        return new SelfIdentity(List.of(), DEFAULT_SESSION);
    }

    public boolean matches(Principal p) {
        if (p == null) return false;
        if (sessionName != null && sessionName.equals(p.sessionName())) return true;
        for (String arn : roleArns) {
            if (arn.equals(p.arn()) || arn.equals(p.sessionIssuerArn())) return true;
        }
        return false;
    }
}
