package dev.vigil.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket from the JDK's HttpClient): open a page,
 * wait for its load event, evaluate expressions, and collect what it reported as errors (exceptions, console errors,
 * log entries such as a Content-Security-Policy violation or a blocked fetch). {@link #start} returns null when no
 * chromium is installed.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    private String session;

    private HeadlessChromium(Process process, Path profile, WebSocket ws) {
        this.process = process;
        this.profile = profile;
        this.ws = ws;
    }

    static String binary() {
        for (String b : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(b))) return b;
        }
        return null;
    }

    static HeadlessChromium start() throws Exception {
        String bin = binary();
        if (bin == null) return null;
        Path profile = Files.createTempDirectory("vigil-chromium");
        Process p = new ProcessBuilder(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,2400", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String url = null;
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            int i = line.indexOf("DevTools listening on ");
            if (i >= 0) {
                url = line.substring(i + "DevTools listening on ".length()).trim();
                break;
            }
        }
        if (url == null) {
            p.destroyForcibly();
            throw new IOException("chromium printed no DevTools address");
        }
        Thread drain = new Thread(() -> {
            try {
                err.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder buf = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        buf.append(data);
                        if (last) {
                            String text = buf.toString();
                            buf.setLength(0);
                            try {
                                while (self[0] == null) Thread.onSpinWait();
                                self[0].message(JSON.readTree(text));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        HeadlessChromium c = new HeadlessChromium(p, profile, ws);
        self[0] = c;
        return c;
    }

    private void message(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) f.complete(m);
            return;
        }
        events.add(m);
        String method = m.path("method").asText();
        JsonNode p = m.path("params");
        switch (method) {
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").path("exception").path("description").asText(p.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error") || p.path("type").asText().equals("warning")) errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
            }
            case "Log.entryAdded" -> {
                String level = p.path("entry").path("level").asText();
                if (level.equals("error") || level.equals("warning")) errors.add("log " + level + ": " + p.path("entry").path("text").asText());
            }
            default -> { }
        }
    }

    private JsonNode call(String method, Map<String, Object> params, boolean inPage) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id);
        m.put("method", method);
        m.set("params", JSON.valueToTree(params));
        if (inPage) m.put("sessionId", session);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ws.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
        JsonNode r = f.get(30, TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
        return r.path("result");
    }

    /** Opens a page on {@code url} and waits for its load event. */
    void open(URI url) throws Exception {
        String target = call("Target.createTarget", Map.of("url", "about:blank"), false).get("targetId").asText();
        session = call("Target.attachToTarget", Map.of("targetId", target, "flatten", true), false).get("sessionId").asText();
        call("Runtime.enable", Map.of(), true);
        call("Log.enable", Map.of(), true);
        call("Page.enable", Map.of(), true);
        events.clear();
        call("Page.navigate", Map.of("url", url.toString()), true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.stream().noneMatch(e -> e.path("method").asText().equals("Page.loadEventFired"))) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the page did not load in 30 s");
            Thread.sleep(20);
        }
    }

    /** The value of a JavaScript expression in the page (JSON-serializable results). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true), true);
        if (r.has("exceptionDetails")) throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true), true).get("data").asText());
    }

    @Override
    public void close() throws IOException {
        ws.abort();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var s = Files.walk(profile)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
