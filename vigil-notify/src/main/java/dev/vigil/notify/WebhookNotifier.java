package dev.vigil.notify;

import dev.vigil.core.policy.TargetDef;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/**
 * Generic JSON webhook: posts {@link MessageFormatter#webhook}. URL from {@code url-env}; an optional header
 * ({@code header-name}, value from {@code header-value-env}) carries a token. Neither appears in a result.
 */
public final class WebhookNotifier implements Notifier {
    private final HttpPoster http;
    private final Function<String, String> env;
    private final MessageFormatter format;

    WebhookNotifier(HttpPoster http, Function<String, String> env, MessageFormatter format) {
        this.http = http;
        this.env = env;
        this.format = format;
    }

    public static WebhookNotifier create(HttpRetry retry, Function<String, String> env) {
        return new WebhookNotifier(HttpPoster.create(retry), env, new MessageFormatter());
    }

    @Override
    public Delivery send(TargetDef target, Notice notice) {
        String var = target.settings().get("url-env");
        URI uri = Secrets.url(env, var);
        if (uri == null) return Delivery.failed(Secrets.urlProblem(env, var), 0);
        Map<String, String> headers = Map.of();
        String name = target.settings().get("header-name");
        if (name != null && !name.isBlank()) {
            String hv = target.settings().get("header-value-env");
            String value = Secrets.get(env, hv);
            if (value == null) return Delivery.failed("environment variable " + hv + " for header " + name + " is not set", 0);
            headers = Map.of(name.trim(), value);
        }
        Delivery d;
        try {
            d = http.post(uri, format.webhook(notice), headers, HttpPoster.Timeouts.of(target));
        } catch (IllegalArgumentException e) { // a header name the HTTP client refuses; its message may quote the value
            return Delivery.failed("webhook: header " + name + " refused by the HTTP client", 0);
        }
        return d.ok() ? Delivery.sent("webhook: " + d.detail(), d.attempts()) : Delivery.failed("webhook: " + d.detail(), d.attempts());
    }
}
