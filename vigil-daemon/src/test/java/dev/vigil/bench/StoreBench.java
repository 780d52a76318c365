package dev.vigil.bench;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.aws.dynamo.DynamoSettings;
import dev.vigil.aws.dynamo.DynamoStore;
import dev.vigil.aws.dynamo.StateClients;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.ActionLedger;
import dev.vigil.live.CrashEvents;
import dev.vigil.live.LiveRuntime;
import dev.vigil.live.LiveStores;
import dev.vigil.notify.LocalHttp;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store benchmark (issue 18), on moto's server for DynamoDB:
 * <ol>
 *   <li>claims: 1, 2 and 4 daemons (threads, each with its own store instance and HTTP client) taking claim keys from
 *   one shared queue, each key claimed and completed once, as the responder does before and after an EC2 call; per
 *   store: the embedded SQLite store (each daemon its own file: what one-daemon-per-store means) and the DynamoDB
 *   store (one table for all). Claims per second, p50 and p99 of the claim call.</li>
 *   <li>write units per event: {@code vigil run --store dynamodb://TABLE} in this JVM over a queue of events, every
 *   DynamoDB request passing through {@link DynamoMeter}, which counts the write request units on-demand DynamoDB
 *   would bill; events that make no finding, and events that revoke a rule and notify.</li>
 * </ol>
 * Run: {@code bench/store-bench.sh [CLAIMS_PER_RUN]}.
 */
public final class StoreBench {
    private StoreBench() {}

    public static void main(String[] args) throws Exception {
        int claims = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("vigil-store-bench");
        try (MotoServer moto = Moto.startOwn();
             DynamoDbClient admin = StateClients.dynamo(Region.EU_WEST_1, moto.endpoint(), Moto.CREDS)) {
            System.out.printf("moto %s; %d claims per run; machine: %d cores%n", moto.endpoint(), claims, Runtime.getRuntime().availableProcessors());
            System.out.println();
            System.out.println("| store | daemons | claims/s | claim p50 ms | claim p99 ms | won |");
            System.out.println("|---|---|---|---|---|---|");
            for (String store : List.of("sqlite", "dynamodb")) {
                for (int daemons : List.of(1, 2, 4)) {
                    String table = "bench-" + store + "-" + daemons;
                    if (store.equals("dynamodb")) DynamoStore.createTable(admin, table);
                    Result r = claims(store, daemons, claims, dir, moto, table);
                    System.out.printf("| %s | %d | %,.0f | %.2f | %.2f | %d |%n", store, daemons, r.perSecond, r.p50, r.p99, r.won);
                }
            }
            System.out.println();
            writeUnits(moto, admin, dir, events);
        }
    }

    record Result(double perSecond, double p50, double p99, int won) {}

    static Result claims(String store, int daemons, int n, Path dir, MotoServer moto, String table) throws Exception {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) queue.add("revoke-world-open:sg-" + String.format("%017x", i) + ":sgr-" + i);
        long[][] latencies = new long[daemons][];
        AtomicInteger won = new AtomicInteger();
        List<AutoCloseable> closeables = new ArrayList<>();
        List<ActionLedger> ledgers = new ArrayList<>();
        for (int d = 0; d < daemons; d++) {
            if (store.equals("sqlite")) {
                SqliteStore s = SqliteStore.open(dir.resolve(table + "-" + d + ".db"), Clock.systemUTC());
                closeables.add(s);
                ledgers.add(s);
            } else {
                DynamoDbClient c = StateClients.dynamo(Region.EU_WEST_1, moto.endpoint(), Moto.CREDS);
                closeables.add(c);
                ledgers.add(new DynamoStore(c, table, DynamoSettings.defaults()));
            }
        }
        // a short warm-up on keys of their own (class loading, connections)
        for (ActionLedger l : ledgers) for (int i = 0; i < 20; i++) {
            String k = "warm-" + System.identityHashCode(l) + "-" + i;
            l.claim(k, "p", "r", Instant.now());
            l.complete(k, "applied");
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int d = 0; d < daemons; d++) {
            int me = d;
            ActionLedger ledger = ledgers.get(d);
            Thread t = new Thread(() -> {
                long[] lat = new long[n];
                int k = 0;
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (String key; (key = queue.poll()) != null; ) {
                    long t0 = System.nanoTime();
                    boolean mine = ledger.claim(key, "world", "sg-open-to-world", Instant.now()).isEmpty();
                    lat[k++] = System.nanoTime() - t0;
                    if (mine) {
                        won.incrementAndGet();
                        ledger.complete(key, "applied");
                    }
                }
                latencies[me] = Arrays.copyOf(lat, k);
            }, "daemon-" + d);
            threads.add(t);
            t.start();
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = closeables.size() - 1; i >= 0; i--) closeables.get(i).close();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(n / seconds, all[all.length / 2] / 1e6, all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6, won.get());
    }

    static void writeUnits(MotoServer moto, DynamoDbClient admin, Path dir, int events) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 100000, per: 1h}
                targets:
                  hook: {type: webhook, url-env: HOOK_URL}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open, notify]
                    notify: [hook]
                """);
        System.out.println("| events | DynamoDB requests per event | write request units per event | estimate (docs/scale-out.md) |");
        System.out.println("|---|---|---|---|");
        try (DynamoMeter meter = new DynamoMeter(moto.endpoint()); Ec2Stub aws = Ec2Stub.start(); LocalHttp hook = new LocalHttp();
             LocalSqs sqs = new LocalSqs()) {
            aws.server.stubFor(WireMock.post(WireMock.urlEqualTo("/")).withRequestBody(WireMock.containing("Action=RevokeSecurityGroupIngress&"))
                    .willReturn(WireMock.aResponse().withStatus(200).withBody(Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"))));
            int base = 0;
            for (boolean acting : List.of(false, true)) {
                String table = "wru-" + acting;
                DynamoStore.createTable(admin, table);
                String q = sqs.queue("wru-" + acting, 30);
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < events; i++) bodies.add(CrashEvents.event(base + i, acting));
                base += events;
                sqs.send(q, bodies);
                meter.reset();
                Map<String, String> env = Map.of("HOOK_URL", hook.url("/hook"), "AWS_ENDPOINT_URL_DYNAMODB", meter.endpoint().toString());
                ReportWriter quiet = new ReportWriter() {
                    @Override
                    public void finding(Finding f) {}

                    @Override
                    public void summary(RunSummary s) {}
                };
                try (LiveRuntime rt = new LiveRuntime(Policies.load(policy), new LiveRuntime.Options(q, List.of(), false,
                        Path.of(LiveStores.DYNAMODB + table), List.of(), aws.endpoint(), "eu-west-1", null, null, false, true, 0, LocalSqs.CREDS,
                        sqs.endpoint, false, "111122223333"), Clock.systemUTC(), env::get, quiet, (where, msg) -> System.err.println(where + ": " + msg))) {
                    rt.daemon().run();
                }
                long writes = DynamoMeter.writeOps().stream().mapToLong(op -> meter.callCounts().getOrDefault(op, 0L)).sum();
                long all = meter.callCounts().values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("| %d %s | %.2f (writes %.2f; %s) | %.2f | %s |%n", events,
                        acting ? "revoking a rule and notifying (a finding each)" : "making no finding", all / (double) events,
                        writes / (double) events, meter.callCounts(), meter.writeUnits.get() / (double) events,
                        acting ? "1 WRU dedupe + the claim, action and notification (not costed)" : "1 WRU (one conditional write)");
            }
        }
    }
}
