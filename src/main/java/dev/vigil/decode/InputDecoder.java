package dev.vigil.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads any supported input, detected by content, and streams its events to a listener. Never throws for bad
 * input: each problem is one line naming the file and position, and decoding goes on with the next record or file.
 * Memory does not grow with input size: CloudTrail's {@code {"Records":[...]}} files are parsed record by record.
 */
public final class InputDecoder {
    private static final int PEEK = 1 << 16;

    private final DecodeOptions options;
    private final JsonFactory factory;

    public InputDecoder(DecodeOptions options) {
        this.options = options;
        this.factory = JsonEvents.JSON.getFactory().copy();
        factory.setCodec(JsonEvents.JSON);
        factory.setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 << 20).maxNestingDepth(200).build());
    }

    /** A file or a directory tree (recursive, files sorted by path, hidden files skipped). */
    public void decode(Path path, DecodeListener listener) {
        if (Files.isDirectory(path)) {
            for (Path f : files(path, listener)) decode(f, listener);
            return;
        }
        Instant mtime = null;
        try {
            mtime = Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            // no reference time: syslog years then need --year
        }
        try (InputStream in = Files.newInputStream(path)) {
            decode(path.toString(), in, mtime, listener);
        } catch (IOException e) {
            listener.onInput(path.toString());
            listener.onError(path.toString(), "cannot read: " + reason(e));
        }
    }

    /** Regular files under {@code root}, sorted by path; hidden files and directories (".name") below it are skipped, unread. */
    private static List<Path> files(Path root, DecodeListener listener) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !hidden(file)) out.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    listener.onError(file.toString(), "cannot read: " + reason(e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            listener.onError(root.toString(), "cannot list directory: " + reason(e));
        }
        out.sort(null);
        return out;
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** One named stream (gzip detected by its magic bytes). */
    public void decode(String name, InputStream in, DecodeListener listener) {
        decode(name, in, null, listener);
    }

    private void decode(String name, InputStream raw, Instant mtime, DecodeListener listener) {
        listener.onInput(name);
        InputStream in = null;
        try {
            BufferedInputStream head = new BufferedInputStream(raw, PEEK);
            head.mark(4);
            int b1 = head.read();
            int b2 = head.read();
            head.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                in = new BufferedInputStream(new ThreadedGunzip(head, name), PEEK);
            } else {
                in = head;
            }
            in.mark(PEEK);
            byte[] peek = in.readNBytes(4096);
            in.reset();
            if (peek.length == 0) return; // an empty file has no events, which is not an error
            for (byte b : peek) {
                if (b == 0) {
                    listener.onError(name, "binary file, skipped");
                    return;
                }
            }
            int first = firstNonSpace(peek);
            if (first == '{' || first == '[') {
                json(name, in, listener);
            } else {
                text(name, in, mtime, listener);
            }
        } catch (IOException e) {
            listener.onError(name, e.getMessage());
        } finally {
            if (in instanceof BufferedInputStream && in != raw) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing a fully read stream
                }
            }
        }
    }

    private static int firstNonSpace(byte[] b) {
        for (int i = bomLength(b); i < b.length; i++) {
            if (!Character.isWhitespace(b[i])) return b[i];
        }
        return -1;
    }

    // ---- JSON: a CloudTrail Records file, one object, an array, or JSON Lines --------------------------------

    private void json(String name, InputStream in, DecodeListener listener) throws IOException {
        in.mark(PEEK);
        byte[] peek = in.readNBytes(PEEK);
        in.reset();
        if (isJsonLines(peek)) {
            jsonLines(name, in, listener);
            return;
        }
        JsonEvents conv = new JsonEvents(options, new SyslogLines(options.year(), options.textZone(), null));
        Count done = new Count(); // records finished; a problem is at record done + 1
        try (JsonParser p = factory.createParser(in)) {
            JsonToken t;
            // one value, or several in a row (concatenated JSON): each is read in turn
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                        JsonNode node = p.readValueAsTree();
                        emit(conv, node, Origin.record(name, done.n + 1), listener);
                        done.n++;
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    object(name, p, conv, listener, done);
                } else {
                    listener.onError(Origin.record(name, done.n + 1).describe(), "expected a JSON object or array, found " + JsonEvents.kind(t));
                    done.n++;
                }
            }
        } catch (JsonProcessingException e) {
            listener.onError(Origin.record(name, done.n + 1).describe(), "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            listener.onError(Origin.record(name, done.n + 1).describe(), e.getMessage());
        }
    }

    /** A mutable count shared with the helpers that advance it, so an error can say where it happened. */
    private static final class Count {
        long n;
    }

    /** A top-level object: streams {@code Records} arrays record by record; anything else is one event. */
    private void object(String name, JsonParser p, JsonEvents conv, DecodeListener listener, Count done) throws IOException {
        ObjectNode other = JsonEvents.JSON.createObjectNode();
        boolean sawRecords = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if ("Records".equals(field) && v == JsonToken.START_ARRAY) {
                sawRecords = true;
                CloudTrailRecords ct = new CloudTrailRecords(options);
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    Origin origin = Origin.record(name, done.n + 1);
                    if (t != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        listener.onError(origin.describe(), "expected a JSON object, found " + JsonEvents.kind(t));
                    } else {
                        try {
                            listener.onEvent(ct.read(p, origin));
                        } catch (Shape s) {
                            listener.onError(origin.describe(), s.getMessage());
                        } catch (RuntimeException e) {
                            listener.onError(origin.describe(), "cannot decode: " + e.getMessage());
                        }
                    }
                    done.n++;
                }
            } else {
                other.set(field, p.readValueAsTree());
            }
        }
        if (!sawRecords) {
            emit(conv, other, Origin.record(name, done.n + 1), listener);
            done.n++;
        }
    }

    private static void emit(JsonEvents conv, JsonNode node, Origin origin, DecodeListener listener) {
        try {
            conv.decode(node, origin, listener::onEvent);
        } catch (Shape s) {
            listener.onError(origin.describe(), s.getMessage());
        } catch (RuntimeException e) {
            // a record constructor's check or a value jackson cannot convert: still this record's problem only
            listener.onError(origin.describe(), "cannot decode: " + e.getMessage());
        }
    }

    /**
     * JSON Lines: the first line is a whole JSON value and something follows it; or the first line is broken and the
     * next two are whole objects (a pretty-printed document never has two whole objects on consecutive lines).
     */
    private boolean isJsonLines(byte[] peek) {
        List<int[]> lines = new ArrayList<>(3);
        int start = bomLength(peek);
        for (int i = start; i < peek.length && lines.size() < 3; i++) {
            if (peek[i] == '\n') {
                if (!blank(peek, start, i)) lines.add(new int[] {start, i});
                start = i + 1;
            }
        }
        boolean more = lines.size() > 1 || (!lines.isEmpty() && !blank(peek, lines.get(0)[1], peek.length));
        if (lines.isEmpty() || !more) return false;
        if (wholeValue(peek, lines.get(0))) return true;
        return lines.size() == 3 && peek[lines.get(1)[0]] == '{' && wholeValue(peek, lines.get(1)) && peek[lines.get(2)[0]] == '{'
                && wholeValue(peek, lines.get(2));
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (!Character.isWhitespace(b[i])) return false;
        return true;
    }

    private boolean wholeValue(byte[] peek, int[] line) {
        try (JsonParser p = factory.createParser(peek, line[0], line[1] - line[0])) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static int bomLength(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
    }

    private void jsonLines(String name, InputStream in, DecodeListener listener) throws IOException {
        JsonEvents conv = new JsonEvents(options, new SyslogLines(options.year(), options.textZone(), null));
        BufferedReader r = reader(in);
        String line;
        long n = 0;
        try {
            while ((line = r.readLine()) != null) {
                n++;
                if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                Origin origin = Origin.line(name, n);
                JsonNode node;
                try (JsonParser p = factory.createParser(line)) {
                    node = p.readValueAsTree();
                    if (p.nextToken() != null) throw new JsonParseException(p, "more than one JSON value on the line");
                } catch (JsonProcessingException e) {
                    listener.onError(origin.describe(), "not JSON: " + e.getOriginalMessage());
                    continue;
                }
                if (node != null && node.isArray()) {
                    for (JsonNode x : node) emit(conv, x, origin, listener);
                } else {
                    emit(conv, node, origin, listener);
                }
            }
        } catch (IOException e) {
            listener.onError(Origin.line(name, n + 1).describe(), e.getMessage());
        }
    }

    // ---- Text logs ---------------------------------------------------------------------------------------------

    private void text(String name, InputStream in, Instant mtime, DecodeListener listener) {
        SyslogLines parser = new SyslogLines(options.year(), options.textZone(), mtime);
        var instance = SyslogLines.instanceIn(name);
        BufferedReader r = reader(in);
        String line;
        long n = 0;
        long parsed = 0;
        long bad = 0;
        // lines that are no log line, held until a good line shows the file is a log (else one error for the file)
        List<String> held = new ArrayList<>();
        try {
            while ((line = r.readLine()) != null) {
                n++;
                if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank() || line.startsWith("#")) continue;
                Origin origin = Origin.line(name, n);
                SshLogLine e;
                try {
                    e = parser.parse(line, null, instance, null, null, origin);
                } catch (Shape s) {
                    listener.onError(origin.describe(), s.getMessage());
                    continue;
                }
                if (e != null) {
                    if (parsed++ == 0) held.forEach(where -> listener.onError(where, NOT_A_LOG_LINE));
                    listener.onEvent(e);
                } else if (++bad <= MAX_LINE_ERRORS) {
                    if (parsed > 0) listener.onError(origin.describe(), NOT_A_LOG_LINE);
                    else held.add(origin.describe());
                }
            }
        } catch (IOException e) {
            listener.onError(Origin.line(name, n + 1).describe(), e.getMessage());
        }
        if (parsed == 0 && bad > 0) {
            listener.onError(name, "not a supported input: no JSON event and no log line (first at " + held.get(0) + ")");
        } else if (bad > MAX_LINE_ERRORS) {
            listener.onError(name, (bad - MAX_LINE_ERRORS) + " more lines that are not log lines");
        }
    }

    private static final String NOT_A_LOG_LINE = "not a log line (syslog, RFC 5424, ISO-8601, journal or audit)";
    private static final int MAX_LINE_ERRORS = 10;

    private static BufferedReader reader(InputStream in) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }
}
