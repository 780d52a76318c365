package dev.vigil.live;

import dev.vigil.aws.AccountRoutingExecutor;
import dev.vigil.aws.AwsClients;
import dev.vigil.aws.RetryBudget;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.notify.EmailNotifier;
import dev.vigil.notify.HttpRetry;
import dev.vigil.notify.Notifier;
import dev.vigil.notify.NotifyExecutor;
import dev.vigil.notify.QueuedNotifications;
import dev.vigil.notify.SlackNotifier;
import dev.vigil.notify.SnsNotifier;
import dev.vigil.notify.StdoutNotifier;
import dev.vigil.notify.WebhookNotifier;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How a live runtime carries out responses, wired the same way for the daemon and the Lambda functions: notifiers
 * by target type (Slack, webhook, email, stdout, and SNS when a target uses it), grouped by {@link NotifyExecutor};
 * every other plan through {@link AccountRoutingExecutor} in the finding's account and region.
 *
 * @param notifications the notification executor (retried deliveries go through it alone)
 * @param actions every plan: notifications to {@code notify}, the rest to the account's EC2 executor
 */
public record LiveActions(NotifyExecutor notifications, Executor actions) {
    /**
     * @param ownAccount the runtime's own account, or null when unknown (then only accounts with a role are acted in)
     * @param homeRegion the region of a finding that names none
     * @param endpoint an AWS-compatible endpoint for SNS, or null
     * @param env where secrets named by {@code *-env} settings are read
     * @param closeables what the caller closes at the end (the SNS notifier's clients)
     */
    public static LiveActions wire(PolicySet policies, AwsClients aws, String ownAccount, String homeRegion, URI endpoint,
                                   AwsCredentialsProvider credentials, Function<String, String> env, List<AutoCloseable> closeables) {
        return wire(policies, aws, ownAccount, homeRegion, endpoint, credentials, env, closeables, false);
    }

    /**
     * @param offPath true (the daemon): notify plans on the processing path are only queued ({@link QueuedNotifications})
     *                and {@link #notifications} sends them from the delivery worker; false (Lambda): sent in the call
     */
    public static LiveActions wire(PolicySet policies, AccountRoutingExecutor.Clients aws, String ownAccount, String homeRegion, URI endpoint,
                                   AwsCredentialsProvider credentials, Function<String, String> env, List<AutoCloseable> closeables,
                                   boolean offPath) {
        Map<String, Notifier> notifiers = new LinkedHashMap<>();
        notifiers.put("slack", SlackNotifier.create(HttpRetry.DEFAULT, env));
        notifiers.put("webhook", WebhookNotifier.create(HttpRetry.DEFAULT, env));
        notifiers.put("email", new EmailNotifier(env));
        notifiers.put("stdout", new StdoutNotifier(System.err));
        if (policies.targets().values().stream().anyMatch(t -> t.type().equals("sns"))) {
            SnsNotifier sns = new SnsNotifier(endpoint, credentials, RetryBudget.DEFAULT);
            closeables.add(sns);
            notifiers.put("sns", sns);
        }
        if (policies.targets().values().stream().anyMatch(t -> t.type().equals("securityhub"))) {
            var hub = new dev.vigil.notify.SecurityHubNotifier(new dev.vigil.notify.SecurityHubImporter(endpoint, credentials, RetryBudget.DEFAULT),
                    java.time.Clock.systemUTC());
            closeables.add(hub);
            notifiers.put("securityhub", hub);
        }
        NotifyExecutor notify = new NotifyExecutor(policies.targets(), notifiers, policies.live().notifyGroupWindow());
        Executor onPath = offPath ? new QueuedNotifications(policies.targets()) : notify;
        return new LiveActions(notify, new AccountRoutingExecutor(onPath, aws, ownAccount, homeRegion));
    }
}
