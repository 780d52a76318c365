package dev.vigil.deploy;

import dev.vigil.core.BuildInfo;

/**
 * The functions' deployment package, as {@code scripts/lambda-zip.sh} builds it: {@code target/dist/vigil-lambda-<version>.zip}
 * (the version is the pom's, {@link BuildInfo#version()}). The template's {@code CodeUri}.
 */
public final class LambdaPackage {
    private LambdaPackage() {}

    /** The zip's path, relative to the project's root (where {@code sam deploy} and {@code aws cloudformation package} run). */
    public static String codeUri() {
        return "target/dist/vigil-lambda-" + version() + ".zip";
    }

    /** The project's version, or "unknown" when the classes were built without Maven's resource filtering. */
    public static String version() {
        return BuildInfo.version().orElse("unknown");
    }
}
