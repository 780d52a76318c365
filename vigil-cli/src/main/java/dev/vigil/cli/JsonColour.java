package dev.vigil.cli;

/**
 * One JSON line coloured as {@code jq -C} colours it (keys blue, strings green, null dim), for a terminal only: into a
 * pipe or with {@code NO_COLOR} the line is printed as it is, so {@code | jq} reads it unchanged.
 */
final class JsonColour {
    private JsonColour() {}

    static String of(Terminal t, String json) {
        if (!t.colour()) return json;
        StringBuilder b = new StringBuilder(json.length() + 64);
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (end < json.length() && json.charAt(end) != '"') end += json.charAt(end) == '\\' ? 2 : 1;
                end = Math.min(end + 1, json.length());
                int next = end;
                while (next < json.length() && json.charAt(next) == ' ') next++;
                boolean key = next < json.length() && json.charAt(next) == ':';
                b.append(t.paint(key ? Terminal.BLUE + ";" + Terminal.BOLD : Terminal.GREEN, json.substring(i, end)));
                i = end;
            } else if (json.startsWith("null", i)) {
                b.append(t.paint(Terminal.DIM, "null"));
                i += 4;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
