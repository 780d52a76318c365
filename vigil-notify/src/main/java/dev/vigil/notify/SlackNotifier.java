package dev.vigil.notify;

import dev.vigil.core.policy.TargetDef;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Slack incoming webhook: posts the Block Kit message(s) of {@link MessageFormatter#slack}. The webhook URL comes
 * from the environment variable named by the target's {@code webhook-url-env}; it is never put in a result.
 */
public final class SlackNotifier implements Notifier {
    private final HttpPoster http;
    private final Function<String, String> env;
    private final MessageFormatter format;

    SlackNotifier(HttpPoster http, Function<String, String> env, MessageFormatter format) {
        this.http = http;
        this.env = env;
        this.format = format;
    }

    public static SlackNotifier create(HttpRetry retry, Function<String, String> env) {
        return new SlackNotifier(HttpPoster.create(retry), env, new MessageFormatter());
    }

    @Override
    public Delivery send(TargetDef target, Notice notice) {
        String var = target.settings().get("webhook-url-env");
        URI uri = Secrets.url(env, var);
        if (uri == null) return Delivery.failed(Secrets.urlProblem(env, var), 0);
        List<String> messages = format.slack(notice, target.settings().get("channel"));
        int attempts = 0;
        for (int i = 0; i < messages.size(); i++) {
            Delivery d = http.post(uri, messages.get(i), Map.of(), HttpPoster.Timeouts.of(target));
            attempts += d.attempts();
            if (!d.ok()) {
                String part = messages.size() == 1 ? "" : "message " + (i + 1) + "/" + messages.size() + ": ";
                return Delivery.failed("slack: " + part + d.detail(), attempts);
            }
        }
        return Delivery.sent("slack: " + messages.size() + " message(s) posted", attempts);
    }
}
