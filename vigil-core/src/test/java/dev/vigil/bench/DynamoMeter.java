package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DynamoDB endpoint that forwards every request to moto and counts, from the request itself, the write request
 * units DynamoDB on demand would bill (moto's own ConsumedCapacity is nominal): PutItem ceil(item size / 1 KB);
 * UpdateItem and DeleteItem 1 (vigil's are on items under 1 KB: claims, deliveries, timers); TransactWriteItems twice
 * the sum over its items; BatchWriteItem the sum. A write whose condition fails is billed too, as DynamoDB does. Item
 * size as DynamoDB counts it: attribute names plus values (strings in UTF-8, numbers about 1 byte per 2 digits + 1).
 */
final class DynamoMeter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final URI moto;
    final AtomicLong writeUnits = new AtomicLong();
    final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    DynamoMeter(URI moto) throws IOException {
        this.moto = moto;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && target.startsWith("DynamoDB_20120810.")) count(target.substring(target.indexOf('.') + 1), in);
            HttpURLConnection c = (HttpURLConnection) moto.resolve(ex.getRequestURI().toString()).toURL().openConnection();
            c.setRequestMethod(ex.getRequestMethod());
            c.setDoOutput(in.length > 0);
            for (var h : ex.getRequestHeaders().entrySet()) {
                String k = h.getKey();
                if (k.equalsIgnoreCase("Host") || k.equalsIgnoreCase("Content-Length") || k.equalsIgnoreCase("Connection")) continue;
                c.setRequestProperty(k, String.join(",", h.getValue()));
            }
            if (in.length > 0) c.getOutputStream().write(in);
            int status = c.getResponseCode();
            byte[] out = (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            String type = c.getContentType();
            ex.getResponseHeaders().set("Content-Type", type == null ? "application/x-amz-json-1.0" : type);
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) ex.getResponseBody().write(out);
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "dynamo-meter");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void reset() {
        writeUnits.set(0);
        calls.clear();
    }

    private void count(String op, byte[] body) throws IOException {
        calls.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
        JsonNode b = JSON.readTree(body);
        long units = switch (op) {
            case "PutItem" -> units(b.path("Item"));
            case "UpdateItem", "DeleteItem" -> 1;
            case "TransactWriteItems" -> {
                long sum = 0;
                for (JsonNode t : b.path("TransactItems")) {
                    if (t.has("Put")) sum += units(t.path("Put").path("Item"));
                    else sum += 1; // Update, Delete, ConditionCheck
                }
                yield 2 * sum;
            }
            case "BatchWriteItem" -> {
                long sum = 0;
                for (JsonNode reqs : b.path("RequestItems")) {
                    for (JsonNode r : reqs) sum += r.has("PutRequest") ? units(r.path("PutRequest").path("Item")) : 1;
                }
                yield sum;
            }
            default -> 0;
        };
        writeUnits.addAndGet(units);
    }

    static long units(JsonNode item) {
        return Math.max(1, (size(item) + 1023) / 1024);
    }

    /** An item's size as DynamoDB counts it. */
    static long size(JsonNode item) {
        long n = 0;
        for (var it = item.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
        }
        return n;
    }

    private static long valueSize(JsonNode v) {
        if (v.has("S")) return v.get("S").asText().getBytes(StandardCharsets.UTF_8).length;
        if (v.has("N")) return v.get("N").asText().length() / 2 + 1;
        if (v.has("B")) return (v.get("B").asText().length() * 3L) / 4;
        if (v.has("BOOL") || v.has("NULL")) return 1;
        if (v.has("M")) return 3 + size(v.get("M"));
        if (v.has("L")) {
            long n = 3;
            for (JsonNode e : v.get("L")) n += 1 + valueSize(e);
            return n;
        }
        if (v.has("SS")) {
            long n = 0;
            for (JsonNode e : v.get("SS")) n += e.asText().getBytes(StandardCharsets.UTF_8).length;
            return n;
        }
        return 0;
    }

    Map<String, Long> callCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    static List<String> writeOps() {
        return List.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem");
    }
}
