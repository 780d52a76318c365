package dev.vigil.notify;

import java.net.URI;
import java.util.function.Function;

/** Reads secrets from the environment variables a target names; problems name the variable, never its value. */
final class Secrets {
    private Secrets() {}

    static String get(Function<String, String> env, String var) {
        if (var == null || var.isBlank()) return null;
        String v = env.apply(var);
        return v == null || v.isBlank() ? null : v;
    }

    static URI url(Function<String, String> env, String var) {
        String v = get(env, var);
        return v == null ? null : HttpPoster.parse(v);
    }

    static String urlProblem(Function<String, String> env, String var) {
        if (var == null || var.isBlank()) return "no environment variable named for the URL";
        if (get(env, var) == null) return "environment variable " + var + " is not set";
        return "environment variable " + var + " does not hold an http(s) URL";
    }
}
