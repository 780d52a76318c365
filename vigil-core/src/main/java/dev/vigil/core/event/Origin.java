package dev.vigil.core.event;

/**
 * Where an event came from: a file and either a line (text inputs) or a record number (JSON inputs), both 1-based.
 * A value of 0 means "not applicable". Inputs that are not files (a queue message) use a descriptive name.
 */
public record Origin(String file, long line, long record) {
    public Origin {
        if (file == null) throw new IllegalArgumentException("origin needs a file or source name");
    }

    public static Origin line(String file, long line) {
        return new Origin(file, line, 0);
    }

    public static Origin record(String file, long record) {
        return new Origin(file, 0, record);
    }

    /** "file:line" or "file record N", for one-line messages. */
    public String describe() {
        if (line > 0) return file + ":" + line;
        if (record > 0) return file + " record " + record;
        return file;
    }
}
