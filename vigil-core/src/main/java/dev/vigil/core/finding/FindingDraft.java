package dev.vigil.core.finding;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule reports: the finding without its policy name and before its responses are decided. Rules fill it
 * with a builder; the engine adds the policy, filters the proposed actions through the policy's responses,
 * exemptions, idempotency and dry-run, and emits a {@link Finding}.
 */
public final class FindingDraft {
    final String rule;
    final Severity severity;
    Instant time;
    AccountId account;
    Region region;
    String resource;
    String source;
    String summary;
    final List<String> eventIds = new ArrayList<>(2); // one id most often (ArrayList's first growth is to ten)
    // the facts in the order given, as Facts keeps them (a finding takes a copy of the arrays, not a map's nodes)
    private String[] factKeys = new String[16];
    private int[] factHashes = new int[16];
    private String[] factValues = new String[16];
    private int factCount;
    final List<ActionPlan> proposals = new ArrayList<>();
    String noActionReason;
    SecurityEvent trigger;

    private FindingDraft(String rule, Severity severity) {
        this.rule = Objects.requireNonNull(rule);
        this.severity = Objects.requireNonNull(severity);
    }

    public static FindingDraft of(String rule, Severity severity) {
        return new FindingDraft(rule, severity);
    }

    /** Fills time, account, region and event id from the triggering event, and remembers it for loop safety. */
    public FindingDraft from(SecurityEvent event) {
        this.trigger = event;
        this.time = event.time();
        this.account = event.account();
        this.region = event.region();
        if (event.id() != null) this.eventIds.add(event.id()); // a record without an id (input that left it out) is still answered
        return this;
    }

    public FindingDraft time(Instant time) {
        this.time = time;
        return this;
    }

    public FindingDraft account(AccountId account) {
        this.account = account;
        return this;
    }

    public FindingDraft region(Region region) {
        this.region = region;
        return this;
    }

    public FindingDraft resource(String resource) {
        this.resource = resource;
        return this;
    }

    public FindingDraft source(String source) {
        this.source = source;
        return this;
    }

    public FindingDraft summary(String summary) {
        this.summary = summary;
        return this;
    }

    public FindingDraft eventId(String id) {
        if (id != null && !eventIds.contains(id)) eventIds.add(id);
        return this;
    }

    public FindingDraft eventIds(List<String> ids) {
        ids.forEach(this::eventId);
        return this;
    }

    /** A detail for notifications (name tag, launch time, who, what). Null values are left out. */
    public FindingDraft fact(String key, Object value) {
        if (value == null) return this;
        String v = String.valueOf(value);
        int i = Facts.indexOf(factKeys, factHashes, factCount, key);
        if (i >= 0) {
            factValues[i] = v; // as a map's put: the value replaced, the key where it was
            return this;
        }
        if (factCount == factKeys.length) {
            factKeys = java.util.Arrays.copyOf(factKeys, factCount * 2);
            factHashes = java.util.Arrays.copyOf(factHashes, factCount * 2);
            factValues = java.util.Arrays.copyOf(factValues, factCount * 2);
        }
        factKeys[factCount] = Objects.requireNonNull(key, "fact key");
        factHashes[factCount] = key.hashCode();
        factValues[factCount] = v;
        factCount++;
        return this;
    }

    /** A response this rule can carry out; the policy decides whether it is used. */
    public FindingDraft propose(ActionPlan plan) {
        proposals.add(plan);
        return this;
    }

    /** Report the finding but act on nothing but notifications (failed call, sample finding, ...). */
    public FindingDraft noAction(String reason) {
        this.noActionReason = reason;
        return this;
    }

    public String rule() {
        return rule;
    }

    public Severity severity() {
        return severity;
    }

    public Instant time() {
        return time;
    }

    public String resource() {
        return resource;
    }

    public String summary() {
        return summary;
    }

    public AccountId account() {
        return account;
    }

    public Region region() {
        return region;
    }

    public String source() {
        return source;
    }

    public List<String> eventIds() {
        return List.copyOf(eventIds);
    }

    public Map<String, String> facts() {
        return Facts.of(factKeys, factHashes, factValues, factCount);
    }

    public List<ActionPlan> proposals() {
        return List.copyOf(proposals);
    }

    public String noActionReason() {
        return noActionReason;
    }

    public SecurityEvent trigger() {
        return trigger;
    }

    /** The finding with the given policy name and action results. */
    public Finding toFinding(String policy, List<ActionResult> actions) {
        return new Finding(rule, policy, severity, Objects.requireNonNull(time, "finding time"), account, region,
                resource, source, summary == null ? rule : summary, eventIds, actions, Facts.of(factKeys, factHashes, factValues, factCount));
    }
}
