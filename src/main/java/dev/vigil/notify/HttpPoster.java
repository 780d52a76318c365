package dev.vigil.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Posts a JSON body with retries ({@link HttpRetry}). Results and failures say status codes and exception class
 * names only: the URL is a secret (a Slack webhook URL is its own credential), so it is never put into a detail,
 * and exception messages, which may quote it, are dropped.
 */
final class HttpPoster {
    /** Waits between attempts; tests pass one that records instead of sleeping. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient client;
    private final HttpRetry retry;
    private final Sleeper sleeper;

    HttpPoster(HttpClient client, HttpRetry retry, Sleeper sleeper) {
        this.client = client;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    static HttpPoster create(HttpRetry retry) {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        return new HttpPoster(c, retry, d -> Thread.sleep(d.toMillis()));
    }

    /** Parses a URL taken from the environment without echoing it on failure. */
    static URI parse(String url) {
        try {
            URI u = new URI(url.trim());
            String s = u.getScheme();
            if (u.getHost() == null || s == null || !(s.equalsIgnoreCase("https") || s.equalsIgnoreCase("http"))) return null;
            return u;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    Delivery post(URI uri, String body, Map<String, String> headers) {
        Duration waited = Duration.ZERO;
        String last = "not sent";
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Duration wait;
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(retry.requestTimeout())
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                headers.forEach(rb::header);
                HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                int code = r.statusCode();
                if (code >= 200 && code < 300) return Delivery.sent("HTTP " + code, attempt);
                last = "HTTP " + code + errorWord(r.body());
                if (code == 429) {
                    OptionalLong after = retryAfterSeconds(r);
                    wait = after.isPresent() ? Duration.ofSeconds(after.getAsLong()) : retry.backoff(attempt - 1);
                    if (wait.compareTo(retry.maxRetryAfter()) > 0) {
                        return Delivery.failed(last + ": rate limited, Retry-After " + wait.toSeconds() + " s exceeds the "
                                + retry.maxRetryAfter().toSeconds() + " s bound", attempt);
                    }
                } else if (code >= 500) {
                    wait = retry.backoff(attempt - 1);
                } else {
                    return Delivery.failed(last, attempt); // 4xx other than 429: retrying will not help
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
                wait = retry.backoff(attempt - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.failed("interrupted", attempt);
            } catch (RuntimeException e) {
                return Delivery.failed(e.getClass().getSimpleName(), attempt);
            }
            if (attempt == retry.maxAttempts()) return Delivery.failed(last + " after " + attempt + " attempts", attempt);
            if (waited.plus(wait).compareTo(retry.totalWait()) > 0) {
                return Delivery.failed(last + " after " + attempt + " attempts (retry wait budget spent)", attempt);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.failed(last + ": interrupted", attempt);
            }
            waited = waited.plus(wait);
        }
        return Delivery.failed(last, retry.maxAttempts());
    }

    /** Slack answers errors with a short code such as {@code invalid_payload}; anything else is left out. */
    private static String errorWord(String body) {
        if (body == null) return "";
        String b = body.trim();
        return b.matches("[a-z_]{1,40}") ? " " + b : "";
    }

    private static OptionalLong retryAfterSeconds(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("[0-9]{1,9}"))
                .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    }
}
