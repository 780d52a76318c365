package dev.vigil.decode;

import dev.vigil.core.event.SecurityEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A listener that keeps everything it hears, for assertions. */
final class Collect implements DecodeListener {
    final List<SecurityEvent> events = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<String> inputs = new ArrayList<>();

    @Override
    public void onEvent(SecurityEvent event) {
        events.add(event);
    }

    @Override
    public void onError(String where, String message) {
        errors.add(where + ": " + message);
    }

    @Override
    public void onInput(String name) {
        inputs.add(name);
    }

    static Collect path(Path p, DecodeOptions options) {
        Collect c = new Collect();
        new InputDecoder(options).decode(p, c);
        return c;
    }

    static Collect path(Path p) {
        return path(p, DecodeOptions.defaults());
    }

    static Collect bytes(String name, byte[] data, DecodeOptions options) {
        Collect c = new Collect();
        new InputDecoder(options).decode(name, new ByteArrayInputStream(data), c);
        return c;
    }

    static Collect text(String name, String data) {
        return bytes(name, data.getBytes(StandardCharsets.UTF_8), DecodeOptions.defaults());
    }

    @SuppressWarnings("unchecked")
    <T extends SecurityEvent> List<T> of(Class<T> type) {
        return (List<T>) events.stream().filter(type::isInstance).toList();
    }
}
