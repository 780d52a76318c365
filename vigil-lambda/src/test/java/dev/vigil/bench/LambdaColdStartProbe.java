package dev.vigil.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, in a JVM of its own with the deployment jar on the class path: loads the handler class by name
 * and builds it with its no-argument constructor, as Lambda's Java runtime does during init (the production wiring,
 * from the environment the driver sets), then hands it one event. Prints one line: milliseconds from the JVM's start
 * (RuntimeMXBean, read after the fact so that its loading is not counted) to the handler ready, and to the first
 * event answered. Args: HANDLER_CLASS EVENT_FILE.
 */
public final class LambdaColdStartProbe {
    private LambdaColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        long ready = System.currentTimeMillis();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        long first = System.currentTimeMillis();
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("COLD-START {\"ready_ms\":" + (ready - start) + ",\"first_event_ms\":" + (first - start) + ",\"reply\":"
                + new String(out.toByteArray(), StandardCharsets.UTF_8) + "}");
        System.exit(0); // the SDK's idle-connection reaper threads are not daemons everywhere
    }
}
