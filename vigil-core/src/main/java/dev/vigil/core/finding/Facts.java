package dev.vigil.core.finding;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A finding's facts: an immutable map in insertion order, kept as two small arrays. A replay may make a million
 * findings of a dozen facts each, and a {@code LinkedHashMap} copied into each {@link Finding} (a node per fact, and a
 * table) was a tenth of what the engine's thread allocated; a finding holds this map as it comes, and a draft makes
 * one by copying its arrays. A key is looked for in one pass: by identity (keys are mostly string literals), else by its
 * hash (kept beside it) and {@code equals}. Equal to any map with the same entries, as {@link Map} says; null values are kept.
 */
public final class Facts extends AbstractMap<String, String> {
    static final Facts EMPTY = new Facts(new String[0], new int[0], new String[0], 0);

    private final String[] keys;
    private final int[] hashes; // each key's hashCode (0 for null)
    private final String[] values;
    private final int size;

    private Facts(String[] keys, int[] hashes, String[] values, int size) {
        this.keys = keys;
        this.hashes = hashes;
        this.values = values;
        this.size = size;
    }

    /** {@code facts} itself when it is a {@code Facts}, else its entries copied in its iteration order. */
    public static Facts copyOf(Map<String, String> facts) {
        if (facts == null || facts.isEmpty()) return EMPTY;
        if (facts instanceof Facts f) return f;
        String[] k = new String[facts.size()];
        int[] h = new int[facts.size()];
        String[] v = new String[facts.size()];
        int i = 0;
        for (Map.Entry<String, String> e : facts.entrySet()) {
            k[i] = e.getKey();
            h[i] = Objects.hashCode(e.getKey());
            v[i] = e.getValue();
            i++;
        }
        return new Facts(k, h, v, i);
    }

    /** The first {@code size} entries of the arrays (copied: the caller goes on using its own). */
    static Facts of(String[] keys, int[] hashes, String[] values, int size) {
        if (size == 0) return EMPTY;
        return new Facts(Arrays.copyOf(keys, size), Arrays.copyOf(hashes, size), Arrays.copyOf(values, size), size);
    }

    /** Where {@code key} is among the first {@code size} keys (of those hashes), or -1. */
    static int indexOf(String[] keys, int[] hashes, int size, Object key) {
        int h = Objects.hashCode(key);
        for (int i = 0; i < size; i++) {
            String k = keys[i];
            if (k == key || (hashes[i] == h && k != null && k.equals(key))) return i;
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(keys, hashes, size, key) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(keys, hashes, size, key);
        return i < 0 ? null : values[i];
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) action.accept(keys[i], values[i]);
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < size;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (i >= size) throw new NoSuchElementException();
                        Map.Entry<String, String> e = new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
