package dev.vigil.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Replay inputs that are not local files ({@code s3://bucket/prefix}): an adapter the entry point gives lists and opens
 * them, so that the replay use case stays free of AWS. Each item is decoded as a stream, in the order listed.
 */
public interface RemoteInputs {
    RemoteInputs NONE = new RemoteInputs() {
        @Override
        public boolean handles(Path input) {
            return false;
        }

        @Override
        public List<Item> list(Path input, BiConsumer<String, String> errors) {
            return List.of();
        }

        @Override
        public InputStream open(Item item) throws IOException {
            throw new IOException("no remote inputs");
        }
    };

    /** One object: the name problems and origins use (e.g. {@code s3://bucket/key}), and its size in bytes. */
    record Item(String name, long size) {}

    /** True when {@code input} is one of this adapter's (as the command line gave it; a Path folds {@code //}). */
    boolean handles(Path input);

    /** The items under {@code input}, in order; a failure to list is one problem on {@code errors}. */
    List<Item> list(Path input, BiConsumer<String, String> errors);

    InputStream open(Item item) throws IOException;
}
