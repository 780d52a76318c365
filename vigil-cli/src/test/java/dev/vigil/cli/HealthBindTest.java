package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@code --health-bind}: literal addresses, an optional port, nothing looked up. */
class HealthBindTest {
    @Test
    void parsesAddressesAndPorts() throws Exception {
        assertThat(HealthBind.parse("127.0.0.1")).isEqualTo(new HealthBind(InetAddress.getByName("127.0.0.1"), null));
        assertThat(HealthBind.parse("0.0.0.0:9464")).isEqualTo(new HealthBind(InetAddress.getByName("0.0.0.0"), 9464));
        assertThat(HealthBind.parse("[::1]:0")).isEqualTo(new HealthBind(InetAddress.getByName("::1"), 0));
        assertThat(HealthBind.parse("::1").address()).isEqualTo(InetAddress.getByName("::1"));
        for (String bad : new String[] {"localhost:9464", "example.com", "1.2.3.4:99999", "[::1", "1.2.3.4:x", "[::1]x"}) {
            assertThatThrownBy(() -> HealthBind.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theEndpointsListenWhereTheyAreTold() throws Exception {
        HealthBind b = HealthBind.parse("127.0.0.1:0");
        try (var http = dev.vigil.http.HttpEndpoints.start(b.address(), b.port(), new dev.vigil.metrics.Metrics(), java.time.Clock.systemUTC(), 60_000)) {
            assertThat(http.address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(HealthBind.show(http.address())).isEqualTo("127.0.0.1:" + http.port());
            var c = java.net.http.HttpClient.newHttpClient();
            var r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + HealthBind.show(http.address()) + "/healthz")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isIn(200, 503); // answered on the bound address (a fresh daemon's loop has not run yet)
        }
    }
}
