package dev.vigil.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * What the build wrote into the class path: the project's version (the root pom's {@code revision}, which Maven's
 * resource filtering puts into {@code dev/vigil/version.properties}) and, for the CLI, the commit
 * ({@code dev/vigil/commit.properties}, from {@code scripts/build-info.sh}). One reader for everything that prints or
 * names by them: {@code vigil --version}, the man pages, the Lambda zip's name in the template.
 */
public final class BuildInfo {
    /** The filtered resource holding {@code version}; it lives in this module, so every module's class path has it. */
    public static final String VERSION_RESOURCE = "/dev/vigil/version.properties";

    private BuildInfo() {}

    /** The project's version; empty when the classes were built without Maven's resource filtering. */
    public static Optional<String> version() {
        return property(VERSION_RESOURCE, "version");
    }

    /**
     * {@code key} of the properties file {@code resource} (an absolute class-path name), stripped; empty when the
     * resource or the key is missing, the value blank, or still the unfiltered {@code ${...}} placeholder, and when the
     * resource cannot be read (what it names is printed, never decided on: "unknown" beats failing {@code --version}).
     */
    public static Optional<String> property(String resource, String key) {
        if (!resource.startsWith("/")) throw new IllegalArgumentException("not an absolute resource name: " + resource);
        try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key);
            return v == null || v.isBlank() || v.startsWith("${") ? Optional.empty() : Optional.of(v.strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
