package dev.vigil.decode;

/** Placeholder of the decoder API until the decoders land (replaced by the real file on merge). */
public final class InputDecoder {
    public InputDecoder(DecodeOptions options) {}

    public void decode(java.nio.file.Path path, DecodeListener listener) {
        listener.onInput(path.toString());
        listener.onError(path.toString(), "decoders not yet available");
    }

    public void decode(String name, java.io.InputStream in, DecodeListener listener) {
        listener.onError(name, "decoders not yet available");
    }
}
