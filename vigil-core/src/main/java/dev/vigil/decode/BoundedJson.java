package dev.vigil.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * JSON with limits per record. Jackson's own {@link StreamReadConstraints} are set explicitly as the hard ceiling of a
 * document (past them a parser cannot go on); below them, {@link Parser} stops a record that grows past its size or
 * depth limit between two tokens, so that the caller can skip it whole and go on with the next record.
 */
final class BoundedJson {
    /** Hard ceilings: well above the per-record limits, so a record over its limit can still be skipped. */
    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(10_000)
            .maxNumberLength(16 * 1024 * 1024) // numbers are checked per record (MAX_NUMBER), where the record can be skipped
            .maxStringLength(16 * 1024 * 1024)
            .maxNameLength(64 * 1024)
            .maxDocumentLength(-1) // a CloudTrail file is one document of any size: records are bounded instead
            .maxTokenCount(-1)
            .build();

    /** The most digits a number may have (Jackson's own default): a longer one is never converted. */
    static final int MAX_NUMBER = 1_000;

    private BoundedJson() {}

    static JsonFactory factory() {
        JsonFactory f = JsonEvents.JSON.getFactory().copy();
        f.setCodec(JsonEvents.JSON);
        f.setStreamReadConstraints(CONSTRAINTS);
        return f;
    }

    /** A record past a limit: thrown between tokens, so the parser is intact and the record can be skipped. */
    static final class Limit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Limit(String message) {
            super(message, null, false, false);
        }
    }

    /** Counts the bytes the parser has taken from the input. */
    static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    /** Checks the current record's size (bytes read, within a read-ahead buffer) and depth at every token. */
    static final class Parser extends JsonParserDelegate {
        private static final int READ_AHEAD = 8 * 1024;
        private final Counting counter;
        private final DecodeOptions.Limits limits;
        private long limitAt = Long.MAX_VALUE;
        private int depthAt = Integer.MAX_VALUE;
        private int base;

        Parser(JsonParser p, Counting counter, DecodeOptions.Limits limits) {
            super(p);
            this.counter = counter;
            this.limits = limits;
        }

        /** Call at a record's first token: its limits count from here. */
        void startRecord() {
            limitAt = counter == null ? Long.MAX_VALUE : counter.count + limits.recordBytes() + READ_AHEAD;
            base = delegate.getParsingContext().getNestingDepth() - (delegate.currentToken() != null && delegate.currentToken().isStructStart() ? 1 : 0);
            depthAt = base + limits.depth();
        }

        /** No record limits (between records). */
        void endRecord() {
            limitAt = Long.MAX_VALUE;
            depthAt = Integer.MAX_VALUE;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = delegate.nextToken();
            if (counter != null && counter.count > limitAt) {
                throw new Limit("record larger than " + limits.recordBytes() + " bytes, skipped");
            }
            if (t != null && t.isStructStart() && delegate.getParsingContext().getNestingDepth() > depthAt) {
                throw new Limit("record nested deeper than " + limits.depth() + " levels, skipped");
            }
            if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) && delegate.getTextLength() > MAX_NUMBER) {
                throw new Limit("a number of " + delegate.getTextLength() + " digits (more than " + MAX_NUMBER + "), record skipped");
            }
            return t;
        }

        /**
         * After a record failed: reads on to its end, unchecked, so the next record can be read.
         *
         * @return false when the document cannot go on (its syntax is broken, or a hard ceiling was hit while skipping)
         */
        boolean skipRecord() {
            endRecord();
            try {
                while (delegate.getParsingContext().getNestingDepth() > base) {
                    if (delegate.nextToken() == null) return false;
                }
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /** True when the document may go on after this failure of one record (a limit, not broken syntax). */
    static boolean recoverable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Limit) return true;
            if (t instanceof StreamConstraintsException s) return s.getMessage() != null && s.getMessage().startsWith("Number value length");
        }
        return false;
    }

    /** One line: what was wrong, and where in the document when the parser knows. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Limit) return t.getMessage();
            if (t instanceof StreamConstraintsException s) return "past a JSON limit: " + firstLine(s.getOriginalMessage());
            if (t instanceof JsonProcessingException j) {
                var loc = j.getLocation();
                return "malformed JSON" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": "
                        + firstLine(j.getOriginalMessage());
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String one = nl < 0 ? s : s.substring(0, nl);
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
