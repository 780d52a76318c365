package dev.vigil.cli;

import dev.vigil.decode.DecodeOptions;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The decoders' size limits on the command line (defaults in docs/inputs.md). */
final class LimitOptions {
    @Option(names = "--max-line", paramLabel = "SIZE", description = "Longest text line, in characters (e.g. 64k; default 64k).")
    String line;

    @Option(names = "--max-record", paramLabel = "SIZE", description = "Largest JSON record or JSON Lines line, in bytes (e.g. 1m; default 1m).")
    String record;

    @Option(names = "--max-payload", paramLabel = "SIZE",
            description = "Most a CloudWatch Logs payload may decompress to, in bytes (default 8m).")
    String payload;

    DecodeOptions.Limits limits(CommandLine cl) {
        DecodeOptions.Limits d = DecodeOptions.Limits.DEFAULTS;
        return new DecodeOptions.Limits(size(cl, "--max-line", line, d.lineChars()), size(cl, "--max-record", record, d.recordBytes()),
                size(cl, "--max-payload", payload, d.payloadBytes()), d.depth());
    }

    /** {@code 4096}, {@code 64k}, {@code 1m}: at least 1, at most 1 GiB. */
    static int size(CommandLine cl, String option, String text, int def) {
        if (text == null) return def;
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) unit = 1024;
        else if (t.endsWith("m")) unit = 1024 * 1024;
        if (unit > 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t) * unit;
            if (t.length() <= 10 && v >= 1 && v <= (1L << 30)) return (int) v;
        } catch (NumberFormatException e) {
            // said below
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        throw new CommandLine.ParameterException(cl, option + " must be a size from 1 to 1g such as 65536, 64k or 1m, not '" + shown + "'");
    }
}
