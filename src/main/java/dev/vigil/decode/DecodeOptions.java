package dev.vigil.decode;

/** Placeholder of the decoder API until the decoders land (replaced by the real file on merge). */
public record DecodeOptions(java.util.function.Predicate<String> cloudTrailDetail, Integer year, java.time.ZoneId textZone) {
    public static DecodeOptions defaults() {
        return new DecodeOptions(n -> true, null, java.time.ZoneOffset.UTC);
    }
}
