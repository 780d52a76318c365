package dev.vigil.decode;

import com.fasterxml.jackson.core.JsonFactory;
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
import java.util.List;
import java.util.stream.Stream;

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
            try (Stream<Path> s = Files.walk(path)) {
                List<Path> files = s.filter(Files::isRegularFile).filter(f -> !hidden(path.relativize(f))).sorted().toList();
                for (Path f : files) decode(f, listener);
            } catch (IOException | java.io.UncheckedIOException e) {
                listener.onError(path.toString(), "cannot list directory: " + e.getMessage());
            }
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
            listener.onError(path.toString(), "cannot read: " + e.getMessage());
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
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
        int i = 0;
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) i = 3;
        for (; i < b.length; i++) {
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
        long[] at = {0};
        try (JsonParser p = factory.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    at[0]++;
                    JsonNode node = p.readValueAsTree();
                    emit(conv, node, Origin.record(name, at[0]), listener);
                }
            } else if (t == JsonToken.START_OBJECT) {
                object(name, p, conv, listener, at);
            }
            if (p.nextToken() != null) listener.onError(name, "unexpected content after the JSON value at line " + p.currentLocation().getLineNr());
        } catch (JsonProcessingException e) {
            listener.onError(Origin.record(name, Math.max(at[0], 1)).describe(), "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            long record = at[0];
            listener.onError(record > 0 ? Origin.record(name, record).describe() : name, e.getMessage() + (record > 0 ? " (at record " + record + ")" : ""));
        }
    }

    /** A top-level object: streams {@code Records} arrays record by record; anything else is one event. */
    private void object(String name, JsonParser p, JsonEvents conv, DecodeListener listener, long[] at) throws IOException {
        ObjectNode other = JsonEvents.JSON.createObjectNode();
        boolean sawRecords = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if ("Records".equals(field) && v == JsonToken.START_ARRAY) {
                sawRecords = true;
                CloudTrailRecords ct = new CloudTrailRecords(options);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    at[0]++;
                    Origin origin = Origin.record(name, at[0]);
                    try {
                        listener.onEvent(ct.read(p, origin));
                    } catch (Shape s) {
                        listener.onError(origin.describe(), s.getMessage());
                    }
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new JsonProcessingException("Records must hold objects", p.currentLocation()) {
                        private static final long serialVersionUID = 1L;
                    };
                }
            } else {
                other.set(field, p.readValueAsTree());
            }
        }
        if (!sawRecords) {
            at[0] = 1;
            emit(conv, other, Origin.record(name, 1), listener);
        }
    }

    private static void emit(JsonEvents conv, JsonNode node, Origin origin, DecodeListener listener) {
        try {
            conv.decode(node, origin, listener::onEvent);
        } catch (Shape s) {
            listener.onError(origin.describe(), s.getMessage());
        }
    }

    /** JSON Lines: the first line is a whole JSON value and another non-blank line follows. */
    private boolean isJsonLines(byte[] peek) {
        int nl = -1;
        int start = 0;
        while (start < peek.length && Character.isWhitespace(peek[start])) start++;
        for (int i = start; i < peek.length; i++) {
            if (peek[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) return false;
        try (JsonParser p = factory.createParser(peek, start, nl - start)) {
            p.nextToken();
            p.skipChildren();
            if (p.nextToken() != null) return false;
        } catch (IOException e) {
            return false;
        }
        for (int i = nl + 1; i < peek.length; i++) {
            if (!Character.isWhitespace(peek[i])) return true; // a second line: each line is one value (bad ones are errors)
        }
        return true;
    }

    private void jsonLines(String name, InputStream in, DecodeListener listener) throws IOException {
        JsonEvents conv = new JsonEvents(options, new SyslogLines(options.year(), options.textZone(), null));
        BufferedReader r = reader(in);
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) continue;
            Origin origin = Origin.line(name, n);
            JsonNode node;
            try {
                node = JsonEvents.JSON.readTree(line);
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
    }

    // ---- Text logs ---------------------------------------------------------------------------------------------

    private void text(String name, InputStream in, Instant mtime, DecodeListener listener) throws IOException {
        SyslogLines parser = new SyslogLines(options.year(), options.textZone(), mtime);
        var instance = SyslogLines.instanceIn(name);
        BufferedReader r = reader(in);
        String line;
        long n = 0;
        long parsed = 0;
        long bad = 0;
        String firstBad = null;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) continue;
            Origin origin = Origin.line(name, n);
            try {
                SshLogLine e = parser.parse(line, null, instance, null, null, origin);
                if (e != null) {
                    parsed++;
                    listener.onEvent(e);
                    continue;
                }
            } catch (Shape s) {
                listener.onError(origin.describe(), s.getMessage());
                bad++;
                continue;
            }
            bad++;
            if (firstBad == null) firstBad = origin.describe();
            if (parsed > 0 && bad <= 10) listener.onError(origin.describe(), "not a log line (syslog, RFC 5424, ISO-8601, journal or audit)");
        }
        if (parsed == 0 && bad > 0) {
            listener.onError(name, "not a supported input: no JSON event and no log line (first at " + firstBad + ")");
        } else if (bad > 10) {
            listener.onError(name, (bad - 10) + " more lines that are not log lines");
        }
    }

    private static BufferedReader reader(InputStream in) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }
}
