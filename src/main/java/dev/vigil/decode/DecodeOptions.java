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
 */
public record DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone, Predicate<String> cloudTrailRecord) {
    public DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone) {
        this(cloudTrailDetail, year, textZone, n -> true);
    }

    public static DecodeOptions defaults() {
        return new DecodeOptions(n -> true, null, ZoneOffset.UTC);
    }
}
