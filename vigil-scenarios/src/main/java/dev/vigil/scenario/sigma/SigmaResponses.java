package dev.vigil.scenario.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.finding.ActionPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The responses a Sigma finding can carry, as plans the policy opts into per rule or per tag: who made the call is
 * taken from {@code userIdentity} (written by CloudTrail, yet validated: a name or key id of the wrong shape gives
 * no plan), never from request parameters.
 * <ul>
 * <li>{@code deactivate-access-key}: UpdateAccessKey Status=Inactive for the long-term key (AKIA...) of an IAM
 * user; undo Status=Active.
 * <li>{@code revoke-role-sessions}: for a call made with an assumed role, the role gets the inline policy
 * {@value #REVOKE_POLICY} denying everything to sessions issued before the call's time ({@code aws:TokenIssueTime}),
 * as the console's "revoke active sessions" does; undo deletes it.
 * <li>{@code restart-trail}: StartLogging of the trail a StopLogging named; undo StopLogging. After DeleteTrail
 * there is nothing to restart: the finding says so and only notifies.
 * <li>{@code block-ip}: the caller (user or role) gets an inline policy denying every call from the source address
 * of the finding, when that is an IP address (not a service name); undo deletes it.
 * </ul>
 */
final class SigmaResponses {
    static final String DEACTIVATE_KEY = "deactivate-access-key";
    static final String REVOKE_SESSIONS = "revoke-role-sessions";
    static final String RESTART_TRAIL = "restart-trail";
    static final String BLOCK_IP = "block-ip";
    static final List<String> ALL = List.of(DEACTIVATE_KEY, REVOKE_SESSIONS, RESTART_TRAIL, BLOCK_IP);
    static final String REVOKE_POLICY = "vigil-revoke-older-sessions";
    static final String BLOCK_POLICY_PREFIX = "vigil-block-ip-";
    /** Calls whose request the plans read (whatever the rules read). */
    static final java.util.Set<String> DETAIL_CALLS = java.util.Set.of("StopLogging");

    private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern LONG_TERM_KEY = Pattern.compile("AKIA[A-Z0-9]{12,124}");
    private static final Pattern TRAIL = Pattern.compile("(arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\\d{12}:trail/)?[A-Za-z0-9._-]{3,128}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]{2,39}");

    private SigmaResponses() {}

    /** What {@link #plans} reads of the caller ({@code userIdentity}), for the decoder to keep. */
    static final List<String> IDENTITY_PATHS = List.of("type", "userName", "accessKeyId", "sessionContext.sessionIssuer.userName",
            "sessionContext.sessionIssuer.type");

    static List<ActionPlan> plans(CloudTrailCall c, JsonNode identity, Instant at) {
        List<ActionPlan> out = new ArrayList<>();
        String type = text(identity, "type");
        String user = text(identity, "userName");
        String key = text(identity, "accessKeyId");
        String roleName = identity == null ? null : text(identity.path("sessionContext").path("sessionIssuer"), "userName");
        String issuerType = identity == null ? null : text(identity.path("sessionContext").path("sessionIssuer"), "type");
        boolean iamUser = "IAMUser".equals(type) && user != null && IAM_NAME.matcher(user).matches();
        boolean role = "AssumedRole".equals(type) && "Role".equals(issuerType) && roleName != null && IAM_NAME.matcher(roleName).matches();

        if (iamUser && key != null && LONG_TERM_KEY.matcher(key).matches()) {
            out.add(new ActionPlan(DEACTIVATE_KEY, key, call("UpdateAccessKey", "UserName", user, "AccessKeyId", key, "Status", "Inactive"),
                    "deactivate access key " + key + " of IAM user " + user, DEACTIVATE_KEY + ":" + key, true,
                    call("UpdateAccessKey", "UserName", user, "AccessKeyId", key, "Status", "Active")));
        }
        if (role) {
            String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"VigilRevokeOlderSessions\",\"Effect\":\"Deny\",\"Action\":\"*\","
                    + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + at + "\"}}}]}";
            out.add(new ActionPlan(REVOKE_SESSIONS, roleName, call("PutRolePolicy", "RoleName", roleName, "PolicyName", REVOKE_POLICY, "PolicyDocument", doc),
                    "deny every session of role " + roleName + " issued before " + at, REVOKE_SESSIONS + ":" + roleName + ":" + at, true,
                    call("DeleteRolePolicy", "RoleName", roleName, "PolicyName", REVOKE_POLICY)));
        }
        if ("cloudtrail.amazonaws.com".equals(c.eventSource()) && "StopLogging".equals(c.eventName()) && !c.failed()) {
            String trail = text(c.requestParameters(), "name");
            if (trail != null && TRAIL.matcher(trail).matches()) {
                out.add(new ActionPlan(RESTART_TRAIL, trail, call("StartLogging", "Name", trail), "start logging again on trail " + trail,
                        RESTART_TRAIL + ":" + trail + ":" + at, true, call("StopLogging", "Name", trail)));
            }
        }
        String ip = c.sourceIp();
        if (ip != null && (IPV4.matcher(ip).matches() || (ip.indexOf(':') >= 0 && IPV6.matcher(ip).matches())) && (iamUser || role)) {
            String cidr = ip + (ip.indexOf(':') >= 0 ? "/128" : "/32");
            String policy = BLOCK_POLICY_PREFIX + ip.replace(':', '-').replace('.', '-');
            String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"VigilBlockIp\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                    + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"" + cidr + "\"}}}]}";
            if (iamUser) {
                out.add(new ActionPlan(BLOCK_IP, user, call("PutUserPolicy", "UserName", user, "PolicyName", policy, "PolicyDocument", doc),
                        "deny IAM user " + user + " every call from " + ip, BLOCK_IP + ":user/" + user + ":" + ip, true,
                        call("DeleteUserPolicy", "UserName", user, "PolicyName", policy)));
            } else {
                out.add(new ActionPlan(BLOCK_IP, roleName, call("PutRolePolicy", "RoleName", roleName, "PolicyName", policy, "PolicyDocument", doc),
                        "deny role " + roleName + " every call from " + ip, BLOCK_IP + ":role/" + roleName + ":" + ip, true,
                        call("DeleteRolePolicy", "RoleName", roleName, "PolicyName", policy)));
            }
        }
        return out;
    }

    /** Why a finding has no restart-trail plan although it concerns a trail, or null. */
    static String trailNote(CloudTrailCall c) {
        if ("cloudtrail.amazonaws.com".equals(c.eventSource()) && "DeleteTrail".equals(c.eventName())) {
            return "the trail was deleted: nothing to restart; re-create it (notify only)";
        }
        return null;
    }

    private static Map<String, Object> call(String action, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Action", action);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static String text(JsonNode n, String f) {
        if (n == null) return null;
        JsonNode v = n.get(f);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
