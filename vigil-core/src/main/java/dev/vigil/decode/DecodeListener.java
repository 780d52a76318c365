package dev.vigil.decode;

import dev.vigil.core.event.SecurityEvent;

/** Placeholder of the decoder API until the decoders land (replaced by the real file on merge). */
public interface DecodeListener {
    void onEvent(SecurityEvent event);

    void onError(String where, String message);

    default void onInput(String name) {}
}
