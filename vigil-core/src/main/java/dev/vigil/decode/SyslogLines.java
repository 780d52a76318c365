package dev.vigil.decode;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SshLogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one log line (BSD syslog, RFC 5424, ISO-8601 rsyslog, systemd journal short output, auditd) into an
 * {@link SshLogLine} of any program; rules pick sshd's. Time rules (see docs/inputs.md): BSD lines carry no year,
 * taken from the configured year, else from the reference time (file modification time, or the CloudWatch event's
 * time), a line later than the reference (a day's slack) meaning the year before; lines with no timestamp take the last
 * timestamp seen, else the reference time. Inferred times are marked {@code timeInferred}.
 */
final class SyslogLines {
    private static final Pattern BSD = Pattern.compile("^([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)? (.*)$");
    private static final Pattern ISO = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?) (.*)$");
    private static final Pattern PROGRAM = Pattern.compile("^([A-Za-z0-9_./-]+)(?:\\[(\\d+)\\])?: ?(.*)$");
    private static final Pattern BRACKET_PROGRAM = Pattern.compile("^\\[([A-Za-z0-9_./-]+)\\]: ?(.*)$");
    // the epoch's digits are bounded (12 reach year 33658): a longer one is no audit line, never a NumberFormatException
    private static final Pattern AUDIT = Pattern.compile("^type=\\S+ msg=audit\\((\\d{1,12})(?:\\.(\\d{1,3}))?:\\d+\\): (.*)$");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Pattern OFFSET_NO_COLON = Pattern.compile("T.*[+-]\\d{4}$");
    private static final Pattern OFFSET = Pattern.compile("T.*[+-]\\d{2}:\\d{2}$");
    private static final java.time.Duration ROLLBACK_SLACK = java.time.Duration.ofDays(1);
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private final Integer year;
    private final ZoneId zone;
    private final Instant reference;
    private Instant last;

    SyslogLines(Integer year, ZoneId zone, Instant reference) {
        this.year = year;
        this.zone = zone;
        this.reference = reference;
    }

    static InstanceId instanceIn(String text) {
        if (text == null) return null;
        Matcher m = INSTANCE.matcher(text);
        return m.find() ? InstanceId.of(m.group()) : null;
    }

    /**
     * @param fallback the time to use when the line has none (CloudWatch event timestamp), or null
     * @return the parsed line, or null when it is no log line vigil knows
     */
    SshLogLine parse(String line, Instant fallback, InstanceId instance, AccountId account, String id, Origin origin) {
        SshLogLine fast = fastBsd(line, fallback, instance, account, id, origin);
        if (fast != null) return fast;
        return general(line, fallback, instance, account, id, origin);
    }

    /**
     * {@link #parse parse}{@code (line, null, instance, null, null, origin)} of the line of ASCII that is {@code n}
     * bytes of {@code b} from {@code off}: the common BSD line read from the bytes, only its host, program and message
     * made Strings; any other line made a String and parsed as {@link #parse} does.
     */
    SshLogLine parseAscii(byte[] b, int off, int n, InstanceId instance, Origin origin) {
        SshLogLine fast = fastBsd(b, off, n, instance, origin);
        if (fast != null) return fast;
        return general(new String(b, off, n, StandardCharsets.ISO_8859_1), null, instance, null, null, origin);
    }

    /** {@link #parse} of a line that is not {@link #fastBsd}'s. */
    private SshLogLine general(String line, Instant fallback, InstanceId instance, AccountId account, String id, Origin origin) {
        Instant time;
        boolean inferred = false;
        String rest;
        String host = null;
        String program = null;
        long pid = 0;
        Matcher m;
        Rfc5424 r;
        if ((m = BSD.matcher(line)).matches()) {
            time = bsdTime(m, fallback); // only the year is inferred: the line has a timestamp
            rest = m.group(6);
        } else if ((r = Rfc5424.parse(line)) != null) {
            time = "-".equals(r.timestamp()) ? null : isoTime(r.timestamp()); // NILVALUE: dated like a journal line
            return emit(time, time == null, nil(r.host()), nil(r.app()), number(r.procId()), r.message(), fallback, instance, account, id,
                    origin);
        } else if ((m = ISO.matcher(line)).matches()) {
            time = isoTime(m.group(1));
            rest = m.group(2);
        } else if ((m = AUDIT.matcher(line)).matches()) {
            long ms = Long.parseLong(m.group(1)) * 1000L + (m.group(2) == null ? 0 : Long.parseLong((m.group(2) + "00").substring(0, 3)));
            return emit(Instant.ofEpochMilli(ms), false, null, "audit", 0, line, fallback, instance, account, id, origin);
        } else {
            time = null; // journal short output and bare "program[pid]: message" lines have no timestamp
            rest = line;
        }
        if (time == null && rest == line) {
            // no timestamp: "host program[pid]: msg" or "program[pid]: msg"
            Matcher p = PROGRAM.matcher(rest);
            int sp = rest.indexOf(' ');
            if (sp > 0) {
                Matcher q = PROGRAM.matcher(rest.substring(sp + 1));
                if (q.matches() && !rest.substring(0, sp).endsWith(":")) {
                    return emit(null, true, rest.substring(0, sp), q.group(1), number(q.group(2)), q.group(3), fallback, instance, account, id, origin);
                }
            }
            if (p.matches()) return emit(null, true, null, p.group(1), number(p.group(2)), p.group(3), fallback, instance, account, id, origin);
            return null;
        }
        Matcher p = PROGRAM.matcher(rest);
        if (p.matches() && facilityLevel(p.group(1)) && p.group(2) == null) {
            // busybox syslogd / svlogd: "TIME auth.info: [program[pid]: ]message" (no host, the facility.level in the program's place)
            rest = p.group(3);
            Matcher q = PROGRAM.matcher(rest);
            if (q.matches() && !facilityLevel(q.group(1))) {
                program = q.group(1);
                pid = number(q.group(2));
                rest = q.group(3);
            }
        } else if (p.matches()) {
            program = p.group(1);
            pid = number(p.group(2));
            rest = p.group(3);
        } else if ((p = BRACKET_PROGRAM.matcher(rest)).matches()) {
            program = p.group(1);
            rest = p.group(2);
        } else {
            int sp = rest.indexOf(' ');
            if (sp > 0) {
                host = rest.substring(0, sp);
                String after = rest.substring(sp + 1);
                int fl = after.indexOf(' ');
                if (fl > 0 && facilityLevel(after.substring(0, fl))) after = after.substring(fl + 1); // "host auth.info sshd[1]: ..." 
                if ((p = PROGRAM.matcher(after)).matches()) {
                    program = p.group(1);
                    pid = number(p.group(2));
                    rest = p.group(3);
                } else if ((p = BRACKET_PROGRAM.matcher(after)).matches()) {
                    program = p.group(1);
                    rest = p.group(2);
                } else {
                    rest = after;
                }
            }
        }
        return emit(time, inferred, host, program, pid, rest, fallback, instance, account, id, origin);
    }

    // ---- the common case without regular expressions: "Mmm dd hh:mm:ss host prog[pid]: msg" ----------------

    /** A BSD day's first character: a space or a digit, its value; else -1. */
    private static final byte[] DAY_TENS = new byte[128];

    static {
        java.util.Arrays.fill(DAY_TENS, (byte) -1);
        DAY_TENS[' '] = 0;
        for (char c = '0'; c <= '9'; c++) DAY_TENS[c] = (byte) (c - '0');
    }

    private int cachedKey = -1;
    private Instant cachedMinute;

    /** BSD syslog with host and program, parsed by hand (replay of big auth logs spends its time here); else null. */
    private SshLogLine fastBsd(String l, Instant fallback, InstanceId instance, AccountId account, String id, Origin origin) {
        int n = l.length();
        if (n < 20 || l.charAt(3) != ' ' || l.charAt(9) != ':' || l.charAt(12) != ':' || l.charAt(15) != ' ') return null;
        int month = monthAt(l);
        char d1 = l.charAt(4);
        char d2 = l.charAt(5);
        // the day's tens from a table, not a test of d1 == ' ': a log that starts on a two-digit day has no branch to
        // its first one-digit day in C2's profile, which then threw the compiled method away mid-log and compiled it again
        int tens = d1 < DAY_TENS.length ? DAY_TENS[d1] : -1;
        if (month == 0 || tens < 0 || !isDigit(d2) || l.charAt(6) != ' ') return null;
        int day = tens * 10 + (d2 - '0');
        if (!isDigit(l.charAt(7)) || !isDigit(l.charAt(8)) || !isDigit(l.charAt(10)) || !isDigit(l.charAt(11))
                || !isDigit(l.charAt(13)) || !isDigit(l.charAt(14))) return null;
        int hour = (l.charAt(7) - '0') * 10 + (l.charAt(8) - '0');
        int minute = (l.charAt(10) - '0') * 10 + (l.charAt(11) - '0');
        int second = (l.charAt(13) - '0') * 10 + (l.charAt(14) - '0');
        int hostEnd = l.indexOf(' ', 16);
        if (hostEnd < 0) return null;
        // the program ends at the first ": ", which must hold the first space after the host (else it is not "host
        // program[pid]:", left to the general parser): one search for a character, not two searches
        int sp = l.indexOf(' ', hostEnd + 1);
        if (sp < 0 || sp - 1 <= hostEnd || l.charAt(sp - 1) != ':') return null;
        int progEnd = sp - 1;
        String program;
        long pid = 0;
        int bracket = l.indexOf('[', hostEnd + 1, progEnd);
        if (bracket > 0) {
            if (l.charAt(progEnd - 1) != ']') return null;
            program = l.substring(hostEnd + 1, bracket);
            for (int i = bracket + 1; i < progEnd - 1; i++) {
                char c = l.charAt(i);
                if (!isDigit(c)) return null;
                pid = pid * 10 + (c - '0');
            }
        } else {
            program = l.substring(hostEnd + 1, progEnd);
        }
        if (facilityLevel(program)) return null; // "host auth.info: ...": left to the general parser
        if (program.isEmpty() || hour > 23 || minute > 59 || second > 60) return null;
        int key = ((month * 32 + day) * 24 + hour) * 60 + minute;
        Instant at;
        if (key == cachedKey && fallback == null && second < 60) {
            at = cachedMinute.plusSeconds(second);
        } else {
            at = bsdInstant(month, day, hour, minute, second, fallback, l.substring(0, 6));
            if (fallback == null && second < 60) {
                cachedKey = key;
                cachedMinute = at.minusSeconds(second);
            }
        }
        last = at;
        // only the year is inferred: the line has a timestamp
        return new SshLogLine(id, at, account, null, origin, instance, l.substring(16, hostEnd), program, pid,
                l.substring(progEnd + 2), false);
    }

    /**
     * {@link #fastBsd(String, Instant, InstanceId, AccountId, String, Origin)} of the line of ASCII that is {@code n}
     * bytes of {@code b} from {@code off} (no fallback time, account or id), step for step the same tests on the bytes
     * as on the String's characters; the host, program and message Strings are made from the bytes.
     */
    private SshLogLine fastBsd(byte[] b, int off, int n, InstanceId instance, Origin origin) {
        if (n < 20 || b[off + 3] != ' ' || b[off + 9] != ':' || b[off + 12] != ':' || b[off + 15] != ' ') return null;
        int month = monthAt(b, off);
        byte d1 = b[off + 4]; // ASCII: 0..127, within DAY_TENS
        byte d2 = b[off + 5];
        int tens = d1 >= 0 ? DAY_TENS[d1] : -1;
        if (month == 0 || tens < 0 || !isDigit(d2) || b[off + 6] != ' ') return null;
        int day = tens * 10 + (d2 - '0');
        if (!isDigit(b[off + 7]) || !isDigit(b[off + 8]) || !isDigit(b[off + 10]) || !isDigit(b[off + 11])
                || !isDigit(b[off + 13]) || !isDigit(b[off + 14])) return null;
        int hour = (b[off + 7] - '0') * 10 + (b[off + 8] - '0');
        int minute = (b[off + 10] - '0') * 10 + (b[off + 11] - '0');
        int second = (b[off + 13] - '0') * 10 + (b[off + 14] - '0');
        int end = off + n;
        int hostEnd = indexOf(b, (byte) ' ', off + 16, end);
        if (hostEnd < 0) return null;
        int sp = indexOf(b, (byte) ' ', hostEnd + 1, end);
        if (sp < 0 || sp - 1 <= hostEnd || b[sp - 1] != ':') return null;
        int progEnd = sp - 1;
        String program;
        long pid = 0;
        int bracket = indexOf(b, (byte) '[', hostEnd + 1, progEnd);
        if (bracket >= 0) { // (the String's test "> 0": a bracket there is past the host, never at 0)
            if (b[progEnd - 1] != ']') return null;
            program = program(b, hostEnd + 1, bracket);
            for (int i = bracket + 1; i < progEnd - 1; i++) {
                byte c = b[i];
                if (!isDigit(c)) return null;
                pid = pid * 10 + (c - '0');
            }
        } else {
            program = program(b, hostEnd + 1, progEnd);
        }
        if (facilityLevel(program)) return null;
        if (program.isEmpty() || hour > 23 || minute > 59 || second > 60) return null;
        int key = ((month * 32 + day) * 24 + hour) * 60 + minute;
        Instant at;
        if (key == cachedKey && second < 60) {
            at = cachedMinute.plusSeconds(second);
        } else {
            at = bsdInstant(month, day, hour, minute, second, null, latin1(b, off, off + 6));
            if (second < 60) {
                cachedKey = key;
                cachedMinute = at.minusSeconds(second);
            }
        }
        last = at;
        return new SshLogLine(null, at, null, null, origin, instance, host(b, off + 16, hostEnd), program, pid,
                latin1(b, progEnd + 2, end), false);
    }

    // The last line's host and program, and their bytes: a log's lines mostly share both, and comparing a few bytes
    // costs less than making two Strings a line. One of each: bounded whatever the log holds.
    private byte[] hostBytes = new byte[0];
    private String host = "";
    private byte[] programBytes = new byte[0];
    private String program = "";

    /** Whether the bytes of {@code b} from {@code from} to {@code to} are {@code last}'s (a loop: a few bytes). */
    private static boolean same(byte[] b, int from, int to, byte[] last) {
        if (to - from != last.length) return false;
        for (int i = 0; i < last.length; i++) {
            if (b[from + i] != last[i]) return false;
        }
        return true;
    }

    /** The host that is the bytes of {@code b} from {@code from} to {@code to}: the last line's String when equal. */
    private String host(byte[] b, int from, int to) {
        if (!same(b, from, to, hostBytes)) {
            hostBytes = java.util.Arrays.copyOfRange(b, from, to);
            host = new String(hostBytes, StandardCharsets.ISO_8859_1);
        }
        return host;
    }

    /** The program that is the bytes of {@code b} from {@code from} to {@code to}: the last line's String when equal. */
    private String program(byte[] b, int from, int to) {
        if (!same(b, from, to, programBytes)) {
            programBytes = java.util.Arrays.copyOfRange(b, from, to);
            program = new String(programBytes, StandardCharsets.ISO_8859_1);
        }
        return program;
    }

    /** The ASCII bytes of {@code b} from {@code from} to {@code to} as a String. */
    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The first index of {@code c} in {@code b} from {@code from} to {@code to}, or -1. */
    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** {@link #monthAt(String)} of the three bytes of {@code b} from {@code off}. */
    private static int monthAt(byte[] b, int off) {
        byte x = b[off];
        byte y = b[off + 1];
        byte z = b[off + 2];
        for (int i = 0; i < 12; i++) {
            String m = MONTHS[i];
            if (m.charAt(0) == x && m.charAt(1) == y && m.charAt(2) == z) return i + 1;
        }
        return 0;
    }

    private static final java.util.Set<String> FACILITIES = java.util.Set.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7");
    private static final java.util.Set<String> LEVELS = java.util.Set.of("emerg", "panic", "alert", "crit", "err", "error", "warn",
            "warning", "notice", "info", "debug");

    /** "auth.info", "authpriv.notice", "local7.debug": a syslog facility.level as some daemons write before the program. */
    static boolean facilityLevel(String s) {
        int dot = s.indexOf('.');
        if (dot <= 0 || dot != s.lastIndexOf('.') || s.length() > 16) return false;
        return FACILITIES.contains(s.substring(0, dot)) && LEVELS.contains(s.substring(dot + 1));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private SshLogLine emit(Instant time, boolean inferred, String host, String program, long pid, String message, Instant fallback,
                            InstanceId instance, AccountId account, String id, Origin origin) {
        if (time == null) {
            inferred = fallback == null;
            time = fallback != null ? fallback : last != null ? last : reference;
            if (time == null) time = Instant.EPOCH;
        } else {
            last = time;
        }
        return new SshLogLine(id, time, account, null, origin, instance, host, program, pid, message, inferred);
    }

    private Instant bsdTime(Matcher m, Instant fallback) {
        int month = monthOf(m.group(1));
        if (month == 0) throw new Shape("unknown month '" + m.group(1) + "'");
        int day = Integer.parseInt(m.group(2));
        int hour = Integer.parseInt(m.group(3));
        int minute = Integer.parseInt(m.group(4));
        int second = Integer.parseInt(m.group(5));
        return bsdInstant(month, day, hour, minute, second, fallback, m.group(1) + " " + day);
    }

    /**
     * A BSD timestamp's instant. A CloudWatch event's own timestamp dates its line best; then --year; then the file's
     * modification time. A log holds no line from after it was written: later than the reference (a day's slack for
     * clocks and zones) means the year before, e.g. a December line in a file last written in January.
     */
    private Instant bsdInstant(int month, int day, int hour, int minute, int second, Instant fallback, String shown) {
        Instant ref = fallback != null ? fallback : year != null ? null : reference != null ? reference : Instant.EPOCH;
        int y = ref == null ? year : ref.atZone(zone).getYear();
        try {
            // second 60 (a leap second) is read as the next minute's first
            Instant t = LocalDateTime.of(y, month, day, hour, minute).atZone(zone).toInstant().plusSeconds(second);
            if (ref != null && t.isAfter(ref.plus(ROLLBACK_SLACK))) {
                y--;
                t = LocalDateTime.of(y, month, day, hour, minute).atZone(zone).toInstant().plusSeconds(second);
            }
            return t;
        } catch (java.time.DateTimeException e) {
            throw new Shape("invalid date " + shown.trim() + " in " + y);
        }
    }

    private Instant isoTime(String s) {
        String t = s.replace(' ', 'T').replace(',', '.');
        if (OFFSET_NO_COLON.matcher(t).find()) t = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
        try {
            if (t.endsWith("Z") || OFFSET.matcher(t).find()) return OffsetDateTime.parse(t).toInstant();
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // an RFC 5424 timestamp is any token of the line's: quoted escaped and cut, the error stays one line
            throw new Shape("invalid timestamp '" + JsonEvents.printable(s) + "'");
        }
    }

    /** The month {@code l}'s first three characters name (as {@link #monthOf} of them), or 0; {@code l} has three. */
    private static int monthAt(String l) {
        char a = l.charAt(0);
        char b = l.charAt(1);
        char c = l.charAt(2);
        for (int i = 0; i < 12; i++) {
            String m = MONTHS[i];
            if (m.charAt(0) == a && m.charAt(1) == b && m.charAt(2) == c) return i + 1;
        }
        return 0;
    }

    private static int monthOf(String s) {
        for (int i = 0; i < 12; i++) {
            if (MONTHS[i].equals(s)) return i + 1;
        }
        return 0;
    }

    private static long number(String s) {
        if (s == null || s.equals("-")) return 0;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String nil(String s) {
        return "-".equals(s) ? null : s;
    }
}
