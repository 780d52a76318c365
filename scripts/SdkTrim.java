import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Trims the AWS SDK service jars of the Lambda zip (scripts/lambda-zip.sh) to the operations vigil calls. A service
 * jar (EC2's is 26 MB of classes) holds a request, a response, a marshaller and their shapes for every operation of
 * the service; vigil calls a few dozen. Kept: every class outside the service's model, paginators and waiters
 * packages (the clients, endpoints, auth); every model class named in vigil's own bytecode (the requests, responses
 * and shapes of the calls it makes: a call names its request and response types in its descriptor), each kept
 * request's marshaller, every modelled exception, and everything those reference (jdeps, class level), except what
 * the client classes reference: the clients name every operation, but the JVM loads an operation's classes only when
 * that operation is called. LambdaZipTest initializes every vigil class and every client of the zip, so a class the
 * verifier needs and the trim removed fails the build.
 * Usage: java scripts/SdkTrim.java CLASSES_DIR LIB_DIR   (rewrites LIB_DIR's software.amazon.awssdk service jars)
 */
public final class SdkTrim {
    private static final String SERVICES = "software.amazon.awssdk.services.";

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        Path lib = Path.of(args[1]);
        Set<String> vigilRefs = new HashSet<>();
        for (String[] e : jdeps(classes.toString())) if (e[1].startsWith(SERVICES)) vigilRefs.add(e[1]);
        try (var jars = Files.list(lib)) {
            for (Path jar : jars.sorted().toList()) {
                String svc = servicePackage(jar);
                if (svc != null) trim(jar, svc, vigilRefs);
            }
        }
    }

    /** The service's package for a service jar whose classes live under software/amazon/awssdk/services/NAME, else null. */
    private static String servicePackage(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            return z.stream().map(ZipEntry::getName).filter(n -> n.startsWith("software/amazon/awssdk/services/") && n.endsWith("Client.class"))
                    .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.')).filter(p -> p.split("\\.").length == 5)
                    .findFirst().orElse(null);
        }
    }

    private static void trim(Path jar, String pkg, Set<String> vigilRefs) throws Exception {
        Map<String, List<String>> edges = new HashMap<>();
        for (String[] e : jdeps(jar.toString())) edges.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
        Set<String> all = new TreeSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .forEach(n -> all.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        Deque<String> todo = new ArrayDeque<>();
        for (String c : all) {
            if (!trimmable(c, pkg) || vigilRefs.contains(c) || (c.startsWith(pkg + ".model.") && c.endsWith("Exception"))) todo.add(c);
        }
        Set<String> keep = new HashSet<>();
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (!all.contains(c) || !keep.add(c)) continue;
            if (c.startsWith(pkg + ".model.") && c.endsWith("Request") && !c.contains("$")) {
                todo.add(pkg + ".model.transform." + c.substring((pkg + ".model.").length()) + "Marshaller");
            }
            if (client(c, pkg)) continue;
            for (String d : edges.getOrDefault(c, List.of())) if (d.startsWith(pkg + ".")) todo.add(d);
        }
        long before = Files.size(jar);
        Path out = jar.resolveSibling(jar.getFileName() + ".trim");
        int dropped = 0;
        try (ZipFile z = new ZipFile(jar.toFile()); ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            zo.setLevel(Deflater.BEST_COMPRESSION);
            for (ZipEntry e : z.stream().toList()) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    String c = n.substring(0, n.length() - ".class".length()).replace('/', '.');
                    if (!keep.contains(c)) {
                        dropped++;
                        continue;
                    }
                }
                ZipEntry copy = new ZipEntry(n);
                copy.setTime(e.getTime());
                zo.putNextEntry(copy);
                try (InputStream in = z.getInputStream(e)) {
                    in.transferTo(zo);
                }
                zo.closeEntry();
            }
        }
        Files.move(out, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.err.printf("sdk-trim: %s: kept %d of %d classes, %,d -> %,d bytes%n", jar.getFileName(), keep.size(), all.size(), before, Files.size(jar));
        if (dropped == 0) System.err.println("sdk-trim: " + jar.getFileName() + ": nothing to drop");
    }

    /** The operations' classes: requests, responses, shapes, marshallers, paginators, waiters. */
    private static boolean trimmable(String c, String pkg) {
        return c.startsWith(pkg + ".model.") || c.startsWith(pkg + ".paginators.") || c.startsWith(pkg + ".waiters.");
    }

    /** The client interfaces and their implementations, which name every operation. */
    private static boolean client(String c, String pkg) {
        String simple = c.substring(c.lastIndexOf('.') + 1);
        return c.equals(pkg + "." + simple) && !simple.contains("$") && simple.endsWith("Client");
    }

    /** jdeps -verbose:class: {from, to} for every class-level dependency of the classes in PATH. */
    private static List<String[]> jdeps(String path) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none", "--multi-release", "21", path);
        if (rc != 0) throw new IllegalStateException("jdeps " + path + " failed: " + err);
        List<String[]> edges = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.startsWith("   ")) continue;
            String[] p = line.trim().split("\\s+");
            if (p.length >= 3 && p[1].equals("->")) edges.add(new String[] {p[0], p[2]});
        }
        return edges;
    }
}
