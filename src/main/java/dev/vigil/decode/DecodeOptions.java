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
 */
public record DecodeOptions(Predicate<String> cloudTrailDetail, Integer year, ZoneId textZone, Predicate<String> cloudTrailRecord,
                            java.util.Set<String> cloudTrailFields) {
    public DecodeOptions {
        cloudTrailFields = cloudTrailFields == null ? java.util.Set.of() : java.util.Set.copyOf(cloudTrailFields);
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
}
