package dev.vigil.scenario.ssh.bench;

/**
 * The bench's own split of a BSD syslog line ("Mmm dd hh:mm:ss host prog[pid]: message") into its parts: a stand-in
 * for the project's text decoder, so that the bench measures splitting too without depending on the decoders.
 */
record BenchLine(long secondOfYear, String host, String program, long pid, String message) {
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /** Null when the line is not BSD syslog with a program. */
    static BenchLine parse(String line) {
        if (line.length() < 17 || line.charAt(3) != ' ' || line.charAt(15) != ' ') return null;
        int month = MONTHS.indexOf(line.substring(0, 3)) / 3;
        if (month < 0) return null;
        int day = (line.charAt(4) == ' ' ? 0 : (line.charAt(4) - '0') * 10) + (line.charAt(5) - '0');
        long sec = ((line.charAt(7) - '0') * 10 + (line.charAt(8) - '0')) * 3600L + ((line.charAt(10) - '0') * 10 + (line.charAt(11) - '0')) * 60L
                + (line.charAt(13) - '0') * 10 + (line.charAt(14) - '0');
        int hs = 16;
        int he = line.indexOf(' ', hs);
        if (he < 0) return null;
        int colon = line.indexOf(": ", he + 1);
        if (colon < 0) return null;
        int bracket = line.lastIndexOf('[', colon);
        String program;
        long pid = -1;
        if (bracket > he && line.charAt(colon - 1) == ']') {
            program = line.substring(he + 1, bracket);
            pid = 0;
            for (int i = bracket + 1; i < colon - 1; i++) pid = pid * 10 + (line.charAt(i) - '0');
        } else {
            program = line.substring(he + 1, colon);
        }
        long days = day - 1;
        for (int m = 0; m < month; m++) days += SyntheticAuthLog.DAYS[m];
        return new BenchLine(days * 86400 + sec, line.substring(hs, he), program, pid, line.substring(colon + 2));
    }
}
