package dev.vigil.decode;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Predicate;

/**
 * How to decode.
 *
 * @param cloudTrailDetail CloudTrail event names whose {@code requestParameters}/{@code responseElements} are kept
 * @param year the year of syslog lines that carry none, or null to take it from the file's modification time
 * @param textZone the zone of log timestamps without an offset
 * @param cloudTrailRecord CloudTrail event names read in full; other records are read only for their time, name,
 *     source and error (replay: no enabled rule reads them, so their ids, addresses and callers are not decoded)
 * @param cloudTrailFields other top-level CloudTrail fields to keep in {@code CloudTrailCall.fields} (those Sigma
 *     rules name: {@code userIdentity} whole, {@code additionalEventData} ...); empty keeps none, {@code *} all
 * @param limits the largest line, record, payload and nesting an input may have (see docs/inputs.md)
 */
public record DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone, Predicate<String> cloudTrailRecord,
                            java.util.Set<String> cloudTrailFields, Limits limits) {
    public DecodeOptions {
        cloudTrailFields = cloudTrailFields == null ? java.util.Set.of() : java.util.Set.copyOf(cloudTrailFields);
        if (limits == null) limits = Limits.DEFAULTS;
    }

    public DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone, Predicate<String> cloudTrailRecord,
                         java.util.Set<String> cloudTrailFields) {
        this(cloudTrailDetail, year, textZone, cloudTrailRecord, cloudTrailFields, Limits.DEFAULTS);
    }

    public DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone, Predicate<String> cloudTrailRecord) {
        this(cloudTrailDetail, year, textZone, cloudTrailRecord, java.util.Set.of());
    }

    public DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone) {
        this(cloudTrailDetail, year, textZone, n -> true);
    }

    public static DecodeOptions defaults() {
        return new DecodeOptions(n -> true, null, ZoneOffset.UTC, n -> true, java.util.Set.of("*"));
    }

    public DecodeOptions withLimits(Limits l) {
        return new DecodeOptions(cloudTrailDetail, year, textZone, cloudTrailRecord, cloudTrailFields, l);
    }

    /**
     * Sizes past which one line or record is an error (named with its position) and decoding goes on with the next.
     *
     * @param lineChars the longest text line (a log line; for JSON Lines, {@code recordBytes} applies to a line)
     * @param recordBytes the largest JSON record (one element of {@code Records}, an array or JSON Lines, or a whole document)
     * @param payloadBytes the most a CloudWatch Logs payload ({@code awslogs.data}) may decompress to
     * @param depth the deepest nesting of arrays and objects inside one record
     */
    public record Limits(int lineChars, int recordBytes, int payloadBytes, int depth) {
        public static final Limits DEFAULTS = new Limits(64 * 1024, 1024 * 1024, 8 * 1024 * 1024, 100);

        public Limits {
            if (lineChars < 1 || recordBytes < 1 || payloadBytes < 1 || depth < 1) throw new IllegalArgumentException("limits must be positive");
        }
    }
}
