package dev.vigil.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * LambdaZipTest's child JVM, whose class path is this class alone (it uses the JDK only): loads the Lambda handlers
 * from the unpacked zip through a class loader over its root and lib/*.jar whose parent is the platform class loader,
 * as Lambda's Java runtime does, so nothing but the zip and the JDK can be loaded. Then, printing one line each:
 * initializes every vigil class of the zip and every SDK client class of lib/ ({@code INIT-FAILED} for any that does
 * not link), runs the SnapStart priming ({@code PRIMED}), and builds each handler named in the arguments with its
 * no-argument constructor (the wiring from the environment the test sets) and hands it its event ({@code REPLY}).
 * Args: ZIP_DIR [HANDLER_CLASS EVENT_FILE]...
 */
public final class ZipHarness {
    private ZipHarness() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<URL> urls = new ArrayList<>();
        urls.add(root.toUri().toURL());
        List<Path> jars;
        try (Stream<Path> s = Files.list(root.resolve("lib"))) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path j : jars) urls.add(j.toUri().toURL());
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());

        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root.resolve("dev"))) {
            s.filter(p -> p.toString().endsWith(".class")).map(p -> root.relativize(p).toString()).sorted().forEach(names::add);
        }
        for (Path j : jars) {
            try (ZipFile z = new ZipFile(j.toFile())) {
                z.stream().map(e -> e.getName()).filter(n -> n.matches("software/amazon/awssdk/services/[a-z0-9]+/Default[A-Za-z0-9]+Client\\.class"))
                        .sorted().forEach(names::add);
            }
        }
        int ok = 0;
        long t0 = System.nanoTime();
        for (String n : names) {
            String cn = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            try {
                Class.forName(cn, true, loader);
                ok++;
            } catch (Throwable t) {
                System.out.println("INIT-FAILED " + cn + " " + t);
            }
        }
        System.out.println("INITIALIZED " + ok + " of " + names.size() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        Method prime = Class.forName("dev.vigil.lambda.SnapStartPriming", true, loader).getDeclaredMethod("prime");
        prime.setAccessible(true);
        t0 = System.nanoTime();
        Object asked = new java.util.TreeMap<>((java.util.Map<?, ?>) prime.invoke(null));
        System.out.println("PRIMED " + asked + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
        for (int i = 1; i + 1 < args.length; i += 2) {
            String requestId = "zip-" + i;
            Object context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, m, a) -> switch (m.getName()) {
                case "getAwsRequestId" -> requestId;
                case "getRemainingTimeInMillis" -> 60_000;
                case "getMemoryLimitInMB" -> 1024;
                case "toString" -> "context " + requestId;
                default -> null;
            });
            Class<?> type = Class.forName(args[i], true, loader);
            if (type.getClassLoader() != loader) throw new IllegalStateException(args[i] + " was not loaded from the zip");
            t0 = System.nanoTime();
            Object handler = type.getConstructor().newInstance();
            long built = System.nanoTime();
            Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handle.invoke(handler, new ByteArrayInputStream(Files.readAllBytes(Path.of(args[i + 1]))), out, context);
            System.out.println("TIMES " + args[i] + " built in " + (built - t0) / 1_000_000 + " ms, answered in " + (System.nanoTime() - built) / 1_000_000 + " ms");
            System.out.println("REPLY " + args[i] + " " + out.toString(StandardCharsets.UTF_8).replace('\n', ' '));
        }
        System.exit(0); // the SDK's idle-connection reaper threads
    }
}
