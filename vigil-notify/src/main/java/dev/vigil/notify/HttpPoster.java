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
        return new HttpPoster(client(DEFAULT_CONNECT_TIMEOUT), retry, d -> Thread.sleep(d.toMillis()));
    }

    /** Connect timeout when a target sets none. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Total timeout (every attempt and wait together) when a target sets none. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** A delivery's bounds: the TCP connect, and everything together (attempts, waits between them, reading answers). */
    record Timeouts(Duration connect, Duration total) {
        static final Timeouts DEFAULT = new Timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT);

        /** From a target's {@code connect-timeout} and {@code timeout} settings (ISO-8601, checked when the policy loads). */
        static Timeouts of(dev.vigil.core.policy.TargetDef t) {
            return new Timeouts(setting(t, "connect-timeout", DEFAULT_CONNECT_TIMEOUT), setting(t, "timeout", DEFAULT_TIMEOUT));
        }

        private static Duration setting(dev.vigil.core.policy.TargetDef t, String key, Duration def) {
            String v = t.settings().get(key);
            if (v == null) return def;
            try {
                Duration d = Duration.parse(v);
                return d.isNegative() || d.isZero() ? def : d;
            } catch (java.time.format.DateTimeParseException e) {
                return def;
            }
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<Duration, HttpClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

    private static HttpClient client(Duration connect) {
        return HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private HttpClient clientFor(Duration connect) {
        if (connect.equals(DEFAULT_CONNECT_TIMEOUT)) return client;
        return clients.computeIfAbsent(connect, HttpPoster::client);
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
        return post(uri, body, headers, Timeouts.DEFAULT);
    }

    /**
     * Posts within {@code t}: each attempt waits at most the retry's request timeout and never past the total
     * deadline (headers and body both: the call is abandoned at the deadline), and no wait between attempts runs
     * past it either. A server that accepts and never answers costs at most {@code t.total()}.
     */
    Delivery post(URI uri, String body, Map<String, String> headers, Timeouts t) {
        HttpClient http = clientFor(t.connect());
        long deadline = System.nanoTime() + t.total().toNanos();
        Duration waited = Duration.ZERO;
        String last = "not sent";
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Duration wait;
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) return Delivery.failed(last + ": total timeout of " + t.total().toSeconds() + " s reached", attempt - 1);
            Duration attemptTimeout = left.compareTo(retry.requestTimeout()) < 0 ? left : retry.requestTimeout();
            java.util.concurrent.CompletableFuture<HttpResponse<String>> call = null;
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(attemptTimeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                headers.forEach(rb::header);
                call = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> r;
                try {
                    r = call.get(attemptTimeout.toNanos() + 50_000_000L, java.util.concurrent.TimeUnit.NANOSECONDS); // the body too
                } catch (java.util.concurrent.TimeoutException e) {
                    call.cancel(true);
                    throw new java.net.http.HttpTimeoutException("request timed out");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IOException(e.getCause() == null ? "failed" : e.getCause().getClass().getSimpleName());
                }
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
                if (call != null) call.cancel(true);
                Thread.currentThread().interrupt();
                return Delivery.failed("interrupted", attempt);
            } catch (RuntimeException e) {
                return Delivery.failed(e.getClass().getSimpleName(), attempt);
            }
            if (attempt == retry.maxAttempts()) return Delivery.failed(last + " after " + attempt + " attempts", attempt);
            if (Duration.ofNanos(deadline - System.nanoTime()).compareTo(wait) <= 0) {
                return Delivery.failed(last + " after " + attempt + " attempts (total timeout of " + t.total().toSeconds() + " s)", attempt);
            }
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
