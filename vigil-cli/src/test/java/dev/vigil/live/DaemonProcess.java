package dev.vigil.live;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code vigil run} in a JVM of its own (the test's classpath), so it can be killed with SIGKILL or sent SIGTERM. */
final class DaemonProcess {
    private DaemonProcess() {}

    static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.vigil.cli.Main", "run"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false)
                .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile()).redirectError(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
