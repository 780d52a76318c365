package dev.vigil.core.policy;

import dev.vigil.core.event.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How vigil recognises its own API calls in CloudTrail, so that its remediations never trigger remediations: by the
 * identity of the principal, never by a name the caller chooses. A role session name alone proves nothing (anyone
 * who may assume any role names the session), so a call is vigil's own only when it is made by one of vigil's roles:
 *
 * <ul>
 *   <li>the policy's {@code self.role-arns}: role ARNs ({@code arn:aws:iam::ACCOUNT:role/[PATH/]NAME}; any session of
 *       the role, or only {@code self.session-name} when that is set), assumed-role ARNs
 *       ({@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}: that session) or IAM user ARNs (that user);
 *   <li>the roles vigil assumes in other accounts ({@code live.assume-roles}), with the session name vigil gives
 *       them ({@link #assumeSessionName()});
 *   <li>in the daemon and Lambda, the identity STS GetCallerIdentity reports at start ({@link #runsAs}): for an
 *       assumed role, that role with that session name (a Lambda function's role session is the function's name,
 *       an instance profile's the instance id).
 * </ul>
 *
 * <p>Roles compare on account and role name. An assumed-role ARN, as CloudTrail writes it, drops the role's path
 * ({@code role/team/vigil} assumes as {@code assumed-role/vigil/...}), and IAM role names are unique in an account
 * whatever their path and case, so the path is ignored and the name compared without case. With no role known,
 * nothing is vigil's own: every call is answered.
 */
public final class SelfIdentity {
    public static final String DEFAULT_SESSION = "vigil";

    private final List<String> roleArns;
    private final String sessionName;
    private final List<Own> configured;
    /** Learnt at start from GetCallerIdentity; written once by the runtime, read by every response. */
    private volatile List<Own> runtime = List.of();

    /** One principal of vigil's: a role (any session when {@code session} is null) or an exact IAM user/root ARN. */
    private record Own(String account, String role, String session, String exactArn) {
        boolean matches(Caller c) {
            if (exactArn != null) return exactArn.equals(c.arn);
            return role != null && account.equals(c.account) && role.equalsIgnoreCase(c.role) && (session == null || session.equals(c.session));
        }
    }

    /** A principal as roles compare: account, role name, session name (null when not a role session). */
    private record Caller(String arn, String account, String role, String session) {}

    public SelfIdentity(List<String> roleArns, String sessionName) {
        this(roleArns, sessionName, Map.of());
    }

    /**
     * @param roleArns the policy's {@code self.role-arns}
     * @param sessionName the policy's {@code self.session-name}, or null when the policy sets none
     * @param assumeRoles the policy's {@code live.assume-roles} (account id to role ARN)
     */
    public SelfIdentity(List<String> roleArns, String sessionName, Map<String, String> assumeRoles) {
        this.roleArns = List.copyOf(roleArns);
        this.sessionName = sessionName == null || sessionName.isBlank() ? null : sessionName;
        List<Own> own = new ArrayList<>();
        for (String arn : this.roleArns) {
            Own o = parse(arn, this.sessionName);
            if (o == null) throw new IllegalArgumentException("self.role-arns: '" + arn + "' is not an IAM role, assumed-role or user ARN");
            own.add(o);
        }
        for (String arn : assumeRoles.values()) {
            Own o = parse(arn, assumeSessionName());
            if (o != null && o.role != null) own.add(o);
        }
        this.configured = List.copyOf(own);
    }

    public static SelfIdentity defaults() {
        return new SelfIdentity(List.of(), null);
    }

    /** The ARNs the policy names in {@code self.role-arns}. */
    public List<String> roleArns() {
        return roleArns;
    }

    /** The session name the policy sets ({@code self.session-name}), or null. */
    public String sessionName() {
        return sessionName;
    }

    /** The session name vigil gives the roles it assumes. */
    public String assumeSessionName() {
        return sessionName != null ? sessionName : DEFAULT_SESSION;
    }

    /**
     * Records the identity this runtime's own credentials have (STS GetCallerIdentity's ARN). Returns false, and
     * changes nothing, for an ARN that is not a role session, user or root.
     */
    public boolean runsAs(String callerArn) {
        Caller c = caller(callerArn, null, null);
        Own o;
        if (c != null && c.role != null && c.session != null) o = new Own(c.account, c.role, c.session, null);
        else if (c != null && c.role == null && c.arn != null && (c.arn.contains(":user/") || c.arn.endsWith(":root"))) o = new Own(null, null, null, c.arn);
        else return false;
        List<Own> next = new ArrayList<>(runtime);
        if (!next.contains(o)) next.add(o);
        runtime = List.copyOf(next);
        return true;
    }

    /** True when vigil knows none of its principals (then nothing is skipped as its own). */
    public boolean unknown() {
        return configured.isEmpty() && runtime.isEmpty();
    }

    public boolean matches(Principal p) {
        if (p == null) return false;
        if (configured.isEmpty() && runtime.isEmpty()) return false; // replay without self.role-arns: nothing to parse the ARN for
        Caller c = caller(p.arn(), p.sessionIssuerArn(), p.accountId());
        if (c == null) return false;
        for (Own o : configured) if (o.matches(c)) return true;
        for (Own o : runtime) if (o.matches(c)) return true;
        return false;
    }

    @Override
    public String toString() {
        return "SelfIdentity" + configured + runtime;
    }

    private static Own parse(String arn, String session) {
        Caller c = caller(arn, null, null);
        if (c == null) return null;
        if (c.role != null) return new Own(c.account, c.role, c.session != null ? c.session : session, null);
        if (c.arn.contains(":user/")) return new Own(null, null, null, c.arn);
        return null;
    }

    /**
     * Reads {@code arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION}, {@code arn:PARTITION:iam::ACCOUNT:role/PATH/ROLE}
     * (the issuer of a session, when the session's own ARN is missing), or keeps any other ARN for exact comparison.
     */
    private static Caller caller(String arn, String issuerArn, String accountId) {
        if (arn != null) {
            String[] p = arn.split(":", 6);
            if (p.length == 6 && p[0].equals("arn")) {
                String resource = p[5];
                if (p[2].equals("sts") && resource.startsWith("assumed-role/")) {
                    int slash = resource.indexOf('/', 13);
                    if (slash < 0 || slash == 13 || slash == resource.length() - 1) return null;
                    return new Caller(arn, p[4], resource.substring(13, slash), resource.substring(slash + 1));
                }
                if (p[2].equals("iam") && resource.startsWith("role/")) {
                    String name = resource.substring(resource.lastIndexOf('/') + 1);
                    return name.isEmpty() ? null : new Caller(arn, p[4], name, null);
                }
                return new Caller(arn, p[4], null, null);
            }
        }
        if (issuerArn != null) { // an assumed-role principal whose session ARN is absent: the role, no session known
            Caller r = caller(issuerArn, null, null);
            if (r != null && r.role != null) return new Caller(null, r.account != null && !r.account.isEmpty() ? r.account : accountId, r.role, null);
        }
        return null;
    }
}
