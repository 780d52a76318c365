package dev.vigil.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads any supported input, detected by content, and streams its events to a listener. Never throws for bad
 * input: each problem is one line naming the file and position, and decoding goes on with the next record or file.
 * Memory does not grow with input size: CloudTrail's {@code {"Records":[...]}} files are parsed record by record.
 */
public final class InputDecoder {
    private static final int PEEK = 1 << 16;

    private final DecodeOptions options;
    private final JsonFactory factory;

    private final java.util.function.UnaryOperator<SecurityEvent> prepare;
    private final int syncLines;
    /** The instance of a text log's lines when its name holds none (replay's --instance), or null. */
    private final dev.vigil.core.event.InstanceId instance;
    /** Each text line made a String before it is parsed (the path before lines were parsed from the bytes: tests). */
    private final boolean stringLines;

    public InputDecoder(DecodeOptions options) {
        this(options, e -> e, SYNC_LINES, null, false);
    }

    private InputDecoder(DecodeOptions options, java.util.function.UnaryOperator<SecurityEvent> prepare, int syncLines,
                         dev.vigil.core.event.InstanceId instance, boolean stringLines) {
        this.options = options;
        this.stringLines = stringLines;
        this.prepare = prepare;
        this.syncLines = syncLines;
        this.instance = instance;
        this.factory = JsonEvents.JSON.getFactory().copy();
        factory.setCodec(JsonEvents.JSON);
        factory.setStreamReadConstraints(BoundedJson.CONSTRAINTS);
    }

    /**
     * The same decoder, running {@code prepare} on each event of a big text log on the thread that reads it, before
     * the event is handed over ({@link dev.vigil.core.engine.Detector#prepare}: pure, thread-safe work).
     */
    public InputDecoder preparing(java.util.function.UnaryOperator<SecurityEvent> prepare) {
        return new InputDecoder(options, prepare, syncLines, instance, stringLines);
    }

    /**
     * The same decoder, giving the lines of a text log whose name holds no instance id {@code instance} (replay's
     * {@code --instance}) as it reads them: not a copy of each line made later to say it. Lines from JSON inputs
     * (CloudWatch Logs events) are left as they are read.
     */
    public InputDecoder withInstance(dev.vigil.core.event.InstanceId instance) {
        return new InputDecoder(options, prepare, syncLines, instance, stringLines);
    }

    /**
     * The same decoder, reading every input on the calling thread: for a caller that already decodes on a thread of
     * its own (replay's {@code DecodeAhead}), where a reading thread of the decoder's would only add a hand-over.
     */
    public InputDecoder onCallingThread() {
        return readingAheadAfter(Integer.MAX_VALUE);
    }

    /** The same decoder, reading text logs on a thread of their own past {@code lines} lines (tests: 0, or never). */
    InputDecoder readingAheadAfter(int lines) {
        return new InputDecoder(options, prepare, lines, instance, stringLines);
    }

    /**
     * The same decoder, making each line of a text log a String and parsing that, as before lines of ASCII were
     * parsed from the read buffer's bytes: the reference of the differential test (DecoderFuzzTest).
     */
    InputDecoder stringLines() {
        return new InputDecoder(options, prepare, syncLines, instance, true);
    }

    /** A file or a directory tree (recursive, files sorted by path, hidden files skipped). */
    public void decode(Path path, DecodeListener listener) {
        decode(path, listener, null);
    }

    /**
     * The same, telling {@code bytesRead} how many bytes of the file have been read so far (compressed bytes for a
     * gzip file: what its size counts), as they are read: a progress bar's measure.
     */
    public void decode(Path path, DecodeListener listener, java.util.function.LongConsumer bytesRead) {
        if (Files.isDirectory(path)) {
            for (Path f : files(path, listener)) decode(f, listener, bytesRead);
            return;
        }
        Instant mtime = null;
        try {
            mtime = Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            // no reference time: syslog years then need --year
        }
        try (InputStream in = bytesRead == null ? Files.newInputStream(path) : counting(Files.newInputStream(path), bytesRead)) {
            decode(path.toString(), in, mtime, listener);
        } catch (IOException e) {
            listener.onInput(path.toString());
            listener.onError(path.toString(), "cannot read: " + reason(e));
        }
    }

    /** {@code in}, telling {@code bytesRead} the bytes read from it so far as they are read. */
    public static InputStream counting(InputStream in, java.util.function.LongConsumer bytesRead) {
        return new Counting(in, bytesRead);
    }

    /**
     * Counts the bytes read and tells them as they are read; once {@link #defer}red (the text decoder reads on a thread
     * of its own), only when the thread that takes the events asks ({@link #tell}), so progress is told on that thread.
     */
    private static final class Counting extends java.io.FilterInputStream {
        private final java.util.function.LongConsumer bytesRead;
        private volatile long n;
        private volatile boolean deferred;
        private long told = -1;

        Counting(InputStream in, java.util.function.LongConsumer bytesRead) {
            super(in);
            this.bytesRead = bytesRead;
        }

        void defer() {
            deferred = true;
        }

        /** Tells the count if it moved since last told (the taking thread, once deferred). */
        void tell() {
            long k = n;
            if (k != told) {
                told = k;
                bytesRead.accept(k);
            }
        }

        private void moved(long by) {
            n += by; // one reading thread
            if (!deferred) {
                told = n;
                bytesRead.accept(n);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) moved(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int r = super.read(buf, off, len);
            if (r > 0) moved(r);
            return r;
        }

        @Override
        public long skip(long k) throws IOException {
            long r = super.skip(k);
            if (r > 0) moved(r);
            return r;
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
            if (b1 == 0x1f && b2 < 0) throw new IOException("truncated gzip (unexpected end of the compressed data)");
            if (b1 == 0x1f && b2 == 0x8b) {
                in = new BufferedInputStream(new ThreadedGunzip(head, name), PEEK);
            } else {
                in = head;
            }
            byte[] peek = peek(in, 4096);
            if (peek.length == 0) {
                in.read(); // an empty file has no events, which is not an error; an empty damaged gzip says so here
                return;
            }
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
                text(name, in, mtime, listener, raw instanceof Counting c ? c : null);
            }
        } catch (IOException e) {
            listener.onError(name, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // a bug, not the input's fault; still one line, and the next input is read
            listener.onError(name, "cannot decode: " + BoundedJson.message(e));
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

    /**
     * Up to {@code n} bytes from the start of {@code in}, which is then reset to where it was. A read that fails
     * (a gzip cut short) ends the peek: the bytes before it are still decoded, and the failure is met again where the
     * decoder reaches it, so it is reported at its record or line.
     */
    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        byte[] buf = new byte[Math.min(n, 8192)]; // grown as bytes come: most files are small
        int got = 0;
        try {
            while (got < n) {
                if (got == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(n, buf.length * 2));
                int k = in.read(buf, got, buf.length - got);
                if (k < 0) break;
                got += k;
            }
        } catch (IOException e) {
            // met again by the decoder after the good bytes
        }
        in.reset();
        return got == buf.length ? buf : java.util.Arrays.copyOf(buf, got);
    }

    private static int firstNonSpace(byte[] b) {
        for (int i = bomLength(b); i < b.length; i++) {
            if (!Character.isWhitespace(b[i])) return b[i];
        }
        return -1;
    }

    // ---- JSON: a CloudTrail Records file, one object, an array, or JSON Lines --------------------------------

    private void json(String name, InputStream in, DecodeListener listener) throws IOException {
        // as far as a whole first line can go (a record's limit), so that JSON Lines of big lines are still told apart
        byte[] peek = peek(in, Math.max(PEEK, options.limits().recordBytes() + 2));
        if (namedJsonLines(name) || isJsonLines(peek)) {
            jsonLines(name, in, listener);
            return;
        }
        JsonEvents conv = new JsonEvents(options, new SyslogLines(options.year(), options.textZone(), null));
        Count done = new Count(); // records finished; a problem is at record done + 1
        BoundedJson.Counting counted = new BoundedJson.Counting(in);
        try (BoundedJson.Parser p = new BoundedJson.Parser(factory.createParser(counted), counted, options.limits())) {
            JsonToken t;
            // one value, or several in a row (concatenated JSON): each is read in turn
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                        Origin origin = Origin.record(name, done.n + 1);
                        p.startRecord();
                        JsonNode node;
                        try {
                            node = p.readValueAsTree();
                        } catch (IOException | RuntimeException e) {
                            if (!skipBad(p, origin, e, listener)) return;
                            done.n++;
                            continue;
                        } finally {
                            p.endRecord();
                        }
                        emit(conv, node, origin, listener);
                        done.n++;
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    if (!object(name, p, conv, listener, done)) return;
                } else {
                    listener.onError(Origin.record(name, done.n + 1).describe(), "expected a JSON object or array, found " + JsonEvents.kind(t));
                    done.n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            listener.onError(Origin.record(name, done.n + 1).describe(), BoundedJson.message(e));
        }
    }

    /**
     * One record failed: reported at its position; past a limit (size, depth, a number's length) the record is skipped
     * and the document goes on. Broken syntax ends the document: where the next record starts cannot be known.
     *
     * @return whether the document goes on
     */
    private static boolean skipBad(BoundedJson.Parser p, Origin origin, Throwable e, DecodeListener listener) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) e = u.getCause();
        // past a limit, or a record whose values could not be converted: the parser is sound, skip to the record's end
        boolean sound = BoundedJson.recoverable(e) || !(e instanceof IOException);
        boolean goOn = sound && p.skipRecord();
        String m = e instanceof IOException || e instanceof BoundedJson.Limit ? BoundedJson.message(e) : "cannot decode: " + BoundedJson.message(e);
        listener.onError(origin.describe(), m + (goOn ? "" : "; the rest of the document is not read"));
        return goOn;
    }

    /** A mutable count shared with the helpers that advance it, so an error can say where it happened. */
    private static final class Count {
        long n;
    }

    /**
     * A top-level object: streams {@code Records} arrays record by record; anything else is one event.
     *
     * @return whether the document goes on
     */
    private boolean object(String name, BoundedJson.Parser p, JsonEvents conv, DecodeListener listener, Count done) throws IOException {
        ObjectNode other = JsonEvents.JSON.createObjectNode();
        boolean sawRecords = false;
        p.startRecord(); // the object is one record, unless it holds Records
        try {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("Records".equals(field) && v == JsonToken.START_ARRAY) {
                    sawRecords = true;
                    p.endRecord();
                    if (!records(name, p, listener, done)) return false;
                    p.startRecord(); // what follows the Records array in the object is bounded too
                } else {
                    other.set(field, p.readValueAsTree());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (sawRecords) throw e; // after the Records: the document's own syntax is broken
            boolean goOn = skipBad(p, Origin.record(name, done.n + 1), e, listener);
            done.n++;
            return goOn;
        } finally {
            p.endRecord();
        }
        if (!sawRecords) {
            emit(conv, other, Origin.record(name, done.n + 1), listener);
            done.n++;
        }
        return true;
    }

    /** CloudTrail's {@code Records} array, record by record from the stream; the parser is at its START_ARRAY. */
    private boolean records(String name, BoundedJson.Parser p, DecodeListener listener, Count done) throws IOException {
        CloudTrailRecords ct = new CloudTrailRecords(options);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            Origin origin = Origin.record(name, done.n + 1);
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                listener.onError(origin.describe(), "expected a JSON object, found " + JsonEvents.kind(t));
            } else {
                p.startRecord();
                CloudTrailCall call = null;
                try {
                    call = ct.read(p, origin);
                } catch (Shape s) {
                    listener.onError(origin.describe(), s.getMessage());
                } catch (IOException | RuntimeException | StackOverflowError e) {
                    if (!skipBad(p, origin, e, listener)) return false;
                } finally {
                    p.endRecord();
                }
                if (call != null) emitCall(call, origin, listener);
            }
            done.n++;
        }
        return true;
    }

    /** A decoded call, after the shapes its rules read are checked: a wrong shape is an error, and the call still goes on. */
    private void emitCall(CloudTrailCall call, Origin origin, DecodeListener listener) {
        // only calls whose details were read (some rule reads them) are checked
        boolean details = !call.requestParameters().isMissingNode() || !call.responseElements().isMissingNode();
        String wrong = details ? TrailShapes.check(call) : null;
        if (wrong != null) listener.onError(origin.describe(), wrong);
        listener.onEvent(call);
    }

    private void emit(JsonEvents conv, JsonNode node, Origin origin, DecodeListener listener) {
        try {
            conv.decode(node, origin, e -> {
                if (e instanceof CloudTrailCall c) emitCall(c, origin, listener);
                else listener.onEvent(e);
            }, listener);
        } catch (Shape s) {
            listener.onError(origin.describe(), s.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // a record constructor's check or a value jackson cannot convert: still this record's problem only
            listener.onError(origin.describe(), "cannot decode: " + BoundedJson.message(e));
        }
    }

    /**
     * JSON Lines: the first line is a whole JSON value and something follows it; or, the first lines being broken,
     * two of the first eight lines are whole objects or arrays (a pretty-printed document has at most one such line
     * among its first few: its inner values end with a comma).
     */
    private boolean isJsonLines(byte[] peek) {
        List<int[]> lines = new ArrayList<>(8);
        int start = bomLength(peek);
        for (int i = start; i < peek.length && lines.size() < 8; i++) {
            if (peek[i] == '\n') {
                if (!blank(peek, start, i)) lines.add(new int[] {start, i});
                start = i + 1;
            }
        }
        boolean more = lines.size() > 1 || (!lines.isEmpty() && !blank(peek, lines.get(0)[1], peek.length));
        if (lines.isEmpty() || !more) return false;
        if (wholeValue(peek, lines.get(0))) return true;
        int whole = 0;
        for (int[] l : lines.subList(1, lines.size())) {
            if (wholeValue(peek, l) && ++whole == 2) return true;
        }
        return false;
    }

    /** {@code .jsonl} and {@code .ndjson} (gzipped or not) say so themselves: read line by line whatever the first lines hold. */
    private static boolean namedJsonLines(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".gz")) n = n.substring(0, n.length() - 3);
        return n.endsWith(".jsonl") || n.endsWith(".ndjson");
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
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int bomLength(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
    }

    /** One JSON value per line: a bad line is one error, and the next line is read (resynchronised at the newline). */
    private void jsonLines(String name, InputStream in, DecodeListener listener) throws IOException {
        JsonEvents conv = new JsonEvents(options, new SyslogLines(options.year(), options.textZone(), null));
        BoundedLines r = new BoundedLines(reader(in), options.limits().recordBytes());
        String line;
        long n = 0;
        try {
            while ((line = r.next()) != null) {
                n++;
                Origin origin = Origin.line(name, n);
                if (line == BoundedLines.TOO_LONG) {
                    listener.onError(origin.describe(), "line of " + r.length() + " characters, longer than the limit of "
                            + options.limits().recordBytes() + " for a JSON record, skipped");
                    continue;
                }
                if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                JsonNode node;
                try (BoundedJson.Parser p = new BoundedJson.Parser(factory.createParser(line), null, options.limits())) {
                    p.startRecord();
                    node = p.readValueAsTree();
                    if (p.nextToken() != null) throw new JsonParseException(p, "more than one JSON value on the line");
                } catch (IOException | RuntimeException | StackOverflowError e) {
                    boolean syntax = e instanceof JsonProcessingException && !BoundedJson.recoverable(e)
                            && !(e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException);
                    listener.onError(origin.describe(), syntax ? "not JSON: " + ((JsonProcessingException) e).getOriginalMessage().lines().findFirst().orElse("")
                            : BoundedJson.message(e));
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

    /** Lines read and parsed on the caller's thread; past them, on a thread of their own (a big log). */
    private static final int SYNC_LINES = 4096;
    /** Events and problems handed over at a time, and batches in flight: memory stays flat. */
    private static final int BATCH = 512;
    private static final int BATCHES = 16;

    /**
     * A text log. The first {@link #SYNC_LINES} lines are read and parsed here; a bigger input is read and parsed on
     * a thread of its own (a second core) while this thread hands its events and problems to {@code listener}, in the
     * order of the lines, exactly as if they were read here: the listener is only ever called on this thread.
     */
    private void text(String name, InputStream in, Instant mtime, DecodeListener listener, Counting counted) {
        TextLines t = new TextLines(name, in, mtime);
        if (t.read(listener, syncLines)) {
            t.end(listener);
            return;
        }
        if (counted != null) counted.defer();
        BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(BATCHES);
        Batches out = new Batches(queue, prepare);
        Thread worker = Thread.ofPlatform().daemon().name("decode " + name).unstarted(() -> {
            try {
                t.read(out, Long.MAX_VALUE);
                t.end(out);
            } catch (Stopped e) {
                // the taking thread has stopped
            } catch (Throwable e) { // handed over: thrown on the taking thread, as if it were read there
                try {
                    out.add(new Thrown(e));
                } catch (Stopped s) {
                    // the taking thread has stopped
                }
            } finally {
                out.close();
            }
        });
        worker.start();
        boolean done = false;
        try {
            while (true) {
                Object[] batch = queue.take();
                if (batch == Batches.END) break;
                for (Object o : batch) {
                    if (o == null) break;
                    if (o instanceof SecurityEvent e) listener.onEvent(e);
                    else if (o instanceof Problem p) listener.onError(p.where(), p.message());
                    else if (o instanceof Thrown x) rethrow(x.e());
                }
                if (counted != null) counted.tell();
            }
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.onError(name, "interrupted");
        } finally {
            if (!done) { // the listener threw, or this thread was interrupted: the reader stops, its lines are dropped
                out.stop();
                queue.clear();
                worker.interrupt();
                try {
                    worker.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void rethrow(Throwable e) {
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        throw new IllegalStateException(e);
    }

    /** A problem a reader thread found, handed to the taking thread in its place among the events. */
    private record Problem(String where, String message) {}

    /** What a reader thread threw. */
    private record Thrown(Throwable e) {}

    /** A listener that hands events and problems over in batches, on a bounded queue. */
    private static final class Batches implements DecodeListener {
        static final Object[] END = new Object[0];
        private final BlockingQueue<Object[]> queue;
        private final java.util.function.UnaryOperator<SecurityEvent> prepare;
        private volatile boolean stopped;
        private Object[] batch = new Object[BATCH];
        private int size;

        Batches(BlockingQueue<Object[]> queue, java.util.function.UnaryOperator<SecurityEvent> prepare) {
            this.queue = queue;
            this.prepare = prepare;
        }

        @Override
        public void onEvent(SecurityEvent event) {
            add(prepare.apply(event));
        }

        @Override
        public void onError(String where, String message) {
            add(new Problem(where, message));
        }

        void add(Object o) {
            batch[size++] = o;
            if (size == BATCH) flush();
        }

        private void flush() {
            if (size == 0) return;
            Object[] full = batch;
            batch = new Object[BATCH];
            size = 0;
            put(full);
        }

        private void put(Object[] b) {
            if (stopped) throw new Stopped();
            try {
                queue.put(b);
            } catch (InterruptedException e) {
                throw new Stopped();
            }
        }

        /** The last batch, then the end. */
        void close() {
            try {
                flush();
                put(END);
            } catch (Stopped e) {
                // nobody takes them any more
            }
        }

        void stop() {
            stopped = true;
        }
    }

    /** The taking thread has stopped: the reader thread ends. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    /** A text input's lines in order, and what is known of them so far; read by one thread at a time. */
    private final class TextLines {
        private final String name;
        private final SyslogLines parser;
        private final dev.vigil.core.event.InstanceId instance;
        private final ByteLines r;
        private long n;
        private long parsed;
        private long bad;
        // lines that are no log line, held until a good line shows the file is a log (else one error for the file)
        private final List<String> held = new ArrayList<>();

        TextLines(String name, InputStream in, Instant mtime) {
            this.name = name;
            this.parser = new SyslogLines(options.year(), options.textZone(), mtime);
            dev.vigil.core.event.InstanceId named = SyslogLines.instanceIn(name);
            this.instance = named != null ? named : InputDecoder.this.instance;
            this.r = new ByteLines(in, options.limits().lineChars());
        }

        /** Reads up to {@code max} more lines; true when the input has ended. */
        boolean read(DecodeListener listener, long max) {
            String line;
            try {
                for (long k = 0; k < max; k++) {
                    if ((line = r.next(!stringLines)) == null) return true;
                    n++;
                    Origin origin = Origin.line(name, n);
                    if (line == BoundedLines.TOO_LONG) {
                        listener.onError(origin.describe(), "line of " + r.length() + " characters, longer than the limit of "
                                + options.limits().lineChars() + ", skipped");
                        continue;
                    }
                    boolean ascii = line == ByteLines.ASCII; // its bytes in r's buffer (no BOM: that is not ASCII)
                    if (ascii) {
                        if (r.blankOrComment()) continue;
                    } else {
                        if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                        if (line.isBlank() || line.charAt(0) == '#') continue; // not blank: a first character
                    }
                    SshLogLine e;
                    try {
                        e = ascii ? parser.parseAscii(r.bytes(), r.start(), (int) r.length(), instance, origin)
                                : parser.parse(line, null, instance, null, null, origin);
                    } catch (Shape s) {
                        listener.onError(origin.describe(), s.getMessage());
                        continue;
                    } catch (RuntimeException | StackOverflowError x) {
                        listener.onError(origin.describe(), "cannot decode: " + BoundedJson.message(x));
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
                return false;
            } catch (IOException e) {
                listener.onError(Origin.line(name, n + 1).describe(), e.getMessage());
                return true;
            }
        }

        /** What is said of the whole input once it has ended. */
        void end(DecodeListener listener) {
            if (parsed == 0 && bad > 0) {
                listener.onError(name, "not a supported input: no JSON event and no log line (first at " + held.get(0) + ")");
            } else if (bad > MAX_LINE_ERRORS) {
                listener.onError(name, (bad - MAX_LINE_ERRORS) + " more lines that are not log lines");
            }
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
