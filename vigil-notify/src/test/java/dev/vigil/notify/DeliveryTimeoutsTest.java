package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.policy.Policies;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A target's connect-timeout and timeout: checked when the policy loads, and a server that never answers costs at most the timeout. */
class DeliveryTimeoutsTest {
    private static PolicySet policy(String target) {
        return Policies.parse("t.yaml", """
                version: 1
                targets:
                  t: %s
                policies: []
                """.formatted(target));
    }

    @Test
    void timeoutsAreReadCheckedAndKeptPerTarget() {
        TargetDef t = policy("{type: webhook, url-env: U, connect-timeout: 2s, timeout: 1m}").targets().get("t");
        assertThat(HttpPoster.Timeouts.of(t)).isEqualTo(new HttpPoster.Timeouts(Duration.ofSeconds(2), Duration.ofMinutes(1)));
        TargetDef d = policy("{type: slack, webhook-url-env: U}").targets().get("t");
        assertThat(HttpPoster.Timeouts.of(d)).isEqualTo(HttpPoster.Timeouts.DEFAULT);
        assertThatThrownBy(() -> policy("{type: webhook, url-env: U, timeout: 11m}")).hasMessageContaining("timeout");
        assertThatThrownBy(() -> policy("{type: webhook, url-env: U, connect-timeout: 2m}")).hasMessageContaining("connect-timeout");
        assertThatThrownBy(() -> policy("{type: webhook, url-env: U, timeout: soon}")).hasMessageContaining("timeout");
        assertThatThrownBy(() -> policy("{type: email, to: a@b, from: c@d, smtp-host: h, timeout: 5s}")).hasMessageContaining("unknown setting");
    }

    @Test
    void aServerThatNeverAnswersCostsAtMostTheTotalTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var pool = Executors.newCachedThreadPool();
        s.setExecutor(pool);
        s.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        s.start();
        try {
            HttpPoster p = HttpPoster.create(HttpRetry.DEFAULT); // 4 attempts of 10 s each would be 40 s and more
            long t0 = System.nanoTime();
            Delivery d = p.post(URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/x"), "{}", Map.of(),
                    new HttpPoster.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)));
            long took = System.nanoTime() - t0;
            assertThat(d.ok()).isFalse();
            assertThat(d.detail()).contains("timeout");
            assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1900)).isLessThan(TimeUnit.SECONDS.toNanos(10));
        } finally {
            never.countDown();
            s.stop(0);
            pool.shutdownNow();
        }
    }
}
