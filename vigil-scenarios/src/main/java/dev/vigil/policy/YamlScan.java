package dev.vigil.policy;

import dev.vigil.core.policy.PolicyException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * A pass over a policy file's YAML events before its nodes are built: nesting and aliases are counted here, where
 * each event has its line and the key path is known, so that a file past a limit is one {@code file:line: key:
 * message} error. SnakeYAML's own limits (set too) say neither.
 */
final class YamlScan {
    private YamlScan() {}

    /** A mapping or sequence being read: its path, and (mappings) whether the next scalar is a key. */
    private static final class Frame {
        final boolean mapping;
        final String path;
        boolean expectKey = true;
        String key;
        int index;

        Frame(boolean mapping, String path) {
            this.mapping = mapping;
            this.path = path;
        }

        String child() {
            String c = mapping ? (key == null ? "?" : key) : "[" + index + "]";
            if (!mapping) return path + c;
            return path.isEmpty() ? c : path + "." + c;
        }

        /** A value (or a key) has been read in this collection. */
        void advance(String scalar) {
            if (mapping && expectKey) {
                key = scalar;
                expectKey = false;
            } else if (mapping) {
                expectKey = true;
            } else {
                index++;
            }
        }
    }

    static void check(String file, String text, LoaderOptions options, int maxDepth, int maxAliases) {
        Deque<Frame> stack = new ArrayDeque<>();
        int aliases = 0;
        Iterator<Event> events = new Yaml(options).parse(new StringReader(text)).iterator();
        while (events.hasNext()) {
            Event e = events.next();
            int line = e.getStartMark() == null ? 1 : e.getStartMark().getLine() + 1;
            Frame top = stack.peek();
            String path = top == null ? "" : top.child();
            if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                if (stack.size() >= maxDepth) {
                    throw new PolicyException(file + ":" + line + ": " + prefix(path) + "nested deeper than " + maxDepth + " levels");
                }
                stack.push(new Frame(e instanceof MappingStartEvent, path));
            } else if (e instanceof CollectionEndEvent) {
                stack.pop();
                if (stack.peek() != null) stack.peek().advance(null);
            } else if (e instanceof ScalarEvent s) {
                if (top != null) top.advance(s.getValue());
            } else if (e instanceof AliasEvent) {
                if (++aliases > maxAliases) {
                    throw new PolicyException(file + ":" + line + ": " + prefix(path) + "more than " + maxAliases + " aliases (an alias bomb?)");
                }
                if (top != null) top.advance(null);
            }
        }
    }

    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
