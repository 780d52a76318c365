package dev.vigil.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The functions' deployment package, as {@code scripts/lambda-zip.sh} builds it: {@code target/dist/vigil-lambda-<version>.zip}
 * (the version is the pom's, from the filtered {@code dev/vigil/version.properties}). The template's {@code CodeUri}.
 */
public final class LambdaPackage {
    private LambdaPackage() {}

    /** The zip's path, relative to the project's root (where {@code sam deploy} and {@code aws cloudformation package} run). */
    public static String codeUri() {
        return "target/dist/vigil-lambda-" + version() + ".zip";
    }

    /** The project's version, or "unknown" when the classes were built without Maven's resource filtering. */
    public static String version() {
        try (InputStream in = LambdaPackage.class.getResourceAsStream("/dev/vigil/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v.strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
