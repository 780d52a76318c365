package dev.vigil.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small EventBridge Scheduler on 127.0.0.1 that keeps its schedules (REST-JSON as the SDK speaks it:
 * {@code POST/PUT/GET/DELETE /schedules/{name}?groupName=..}, errors as {@code x-amzn-ErrorType}), so that the
 * functions' timers take the production path ({@code SchedulerTimers}) and a test can fire a schedule by handing
 * its target input to the timer function, as Scheduler does.
 */
final class LocalScheduler implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A schedule as created: its expression and its target's input. */
    record Schedule(String name, String group, String expression, String input) {}

    final Map<String, Schedule> schedules = new ConcurrentSkipListMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LocalScheduler() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/schedules/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/schedules/".length());
        String method = ex.getRequestMethod();
        calls.add(method + " " + name);
        byte[] in = ex.getRequestBody().readAllBytes();
        switch (method) {
            case "POST", "PUT" -> {
                JsonNode b = JSON.readTree(in);
                if (method.equals("POST") && schedules.containsKey(name)) {
                    reply(ex, 409, "ConflictException", "{\"Message\":\"schedule " + name + " exists\"}");
                    return;
                }
                if (method.equals("PUT") && !schedules.containsKey(name)) {
                    reply(ex, 404, "ResourceNotFoundException", "{\"Message\":\"no schedule " + name + "\"}");
                    return;
                }
                schedules.put(name, new Schedule(name, b.path("GroupName").asText(), b.path("ScheduleExpression").asText(),
                        b.path("Target").path("Input").asText()));
                reply(ex, 200, null, "{\"ScheduleArn\":\"arn:aws:scheduler:eu-west-1:111122223333:schedule/g/" + name + "\"}");
            }
            case "GET" -> {
                Schedule s = schedules.get(name);
                if (s == null) {
                    reply(ex, 404, "ResourceNotFoundException", "{\"Message\":\"no schedule " + name + "\"}");
                    return;
                }
                ObjectNode o = JSON.createObjectNode().put("Name", s.name()).put("GroupName", s.group()).put("ScheduleExpression", s.expression());
                o.putObject("Target").put("Arn", LambdaHarness.TIMER_ARN).put("RoleArn", "arn:aws:iam::111122223333:role/vigil-scheduler")
                        .put("Input", s.input());
                reply(ex, 200, null, o.toString());
            }
            case "DELETE" -> {
                if (schedules.remove(name) == null) reply(ex, 404, "ResourceNotFoundException", "{\"Message\":\"no schedule " + name + "\"}");
                else reply(ex, 200, null, "{}");
            }
            default -> reply(ex, 405, "ValidationException", "{}");
        }
    }

    /** Fires a schedule as Scheduler does with ActionAfterCompletion DELETE: the schedule goes, its input is returned. */
    String fire(String name) {
        Schedule s = schedules.remove(name);
        if (s == null) throw new IllegalArgumentException("no schedule " + name + " among " + schedules.keySet());
        return s.input();
    }

    private static void reply(HttpExchange ex, int status, String errorType, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (errorType != null) ex.getResponseHeaders().add("x-amzn-ErrorType", errorType);
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
