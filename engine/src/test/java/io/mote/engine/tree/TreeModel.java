package io.mote.engine.tree;

import io.mote.engine.tree.RecordingSink.Row;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A plain in-memory JSON tree, its generators, its serializer (with randomly chosen escapes and
 * whitespace) and the reference spreading of §2.3 written as a direct recursion over the tree,
 * against which the streaming parser is checked. Keys often repeat within an object (short keys
 * from a small alphabet, and up to two own values "/"): the model keeps only the last occurrence.
 */
final class TreeModel {
    private TreeModel() {
    }

    sealed interface Node permits Leaf, Obj {
    }

    enum Kind { STRING, NUMBER, TRUE, FALSE, NULL }

    record Leaf(Kind kind, String text) implements Node {
    }

    record Obj(List<Entry> entries) implements Node {
    }

    record Entry(String key, Node value) {
    }

    /** A pattern, a payload tree valid for it, whether it carries the replace directive, and a serialization style. */
    record Case(List<String> pattern, Obj top, boolean replace, long styleSeed) {
        String patternText() {
            return String.join("/", pattern);
        }

        Obj topWithDirective() {
            if (!replace) {
                return top;
            }
            final List<Entry> entries = new ArrayList<>(top.entries());
            final Random random = new Random(styleSeed);
            entries.add(random.nextInt(entries.size() + 1), new Entry("/", new Leaf(Kind.STRING, "+")));
            if (random.nextInt(4) == 0) {
                entries.add(random.nextInt(entries.size() + 1), new Entry("/", new Leaf(Kind.STRING, "+")));
            }
            return new Obj(entries);
        }
    }

    // ---- generators

    static Arbitrary<Case> cases() {
        return Arbitraries.of(List.<String>of(), List.of("a"), List.of("+"), List.of("a", "+"), List.of("+", "+"),
                        List.of("a", "+", "b", "+"), List.of("+", "x"), List.of("x", "y", "+", "+", "z"))
                .flatMap(pattern -> Combinators.combine(top(wildcards(pattern)), Arbitraries.of(true, false),
                        Arbitraries.longs()).as((top, replace, seed) -> new Case(pattern, top, replace, seed)));
    }

    private static int wildcards(List<String> pattern) {
        return (int) pattern.stream().filter("+"::equals).count();
    }

    /** Values below a non-final '+' level must be objects without an own value; below the pattern anything goes. */
    private static Arbitrary<Obj> top(int wildcards) {
        Arbitrary<? extends Node> inner = free(3);
        for (int i = 1; i < wildcards; i++) {
            inner = object(inner, false);
        }
        return object(inner, false);
    }

    private static Arbitrary<Node> free(int depth) {
        final Arbitrary<Node> leaf = leaf().map(l -> l);
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, object(free(depth - 1), true).map(o -> o)));
    }

    private static Arbitrary<Obj> object(Arbitrary<? extends Node> child, boolean ownValue) {
        final Arbitrary<List<Entry>> entries = Combinators.combine(keys(), child).as((k, v) -> new Entry(k, (Node) v))
                .list().ofMaxSize(4);
        if (!ownValue) {
            return entries.map(Obj::new);
        }
        // Up to two own values, so that "/" repeats too (the last one wins).
        return Combinators.combine(entries, leaf().injectNull(0.6), leaf().injectNull(0.8),
                        Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 5))
                .as((list, own, again, position, againPosition) -> {
                    final List<Entry> all = new ArrayList<>(list);
                    if (own != null) {
                        all.add(Math.min(position, all.size()), new Entry("/", own));
                    }
                    if (again != null) {
                        all.add(Math.min(againPosition, all.size()), new Entry("/", again));
                    }
                    return new Obj(all);
                });
    }

    static Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'c').ofMinLength(1).ofMaxLength(2),
                Arbitraries.strings().withChars("aé中 \"\\\n\t\u0001$").ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("😀", "x😀y", "\u007f", "\uffff"));
    }

    private static Arbitrary<Leaf> leaf() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings().map(s -> new Leaf(Kind.STRING, s))),
                Tuple.of(3, numbers().map(s -> new Leaf(Kind.NUMBER, s))),
                Tuple.of(1, Arbitraries.of(Kind.TRUE, Kind.FALSE, Kind.NULL).map(k -> new Leaf(k, ""))));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').withChars("é中\n\t\u0000\u001f").ofMaxLength(6),
                Arbitraries.of("😀", "a😀", "#FFFFFF", "+", "/"));
    }

    static Arbitrary<String> numbers() {
        final Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.just("0"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(22).filter(s -> s.charAt(0) != '0'));
        final Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(4).map(s -> "." + s));
        final Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"),
                        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3)).as((e, s, d) -> e + s + d));
        return Combinators.combine(Arbitraries.of("", "-"), integer, fraction, exponent).as((s, i, f, e) -> s + i + f + e);
    }

    // ---- reference model

    static List<Row> expectedRows(Case c) {
        final List<Row> rows = new ArrayList<>();
        spread(c.pattern(), 0, null, c.top(), rows);
        return rows;
    }

    private static void spread(List<String> pattern, int level, String path, Node node, List<Row> rows) {
        while (level < pattern.size() && !pattern.get(level).equals("+")) {
            path = join(path, pattern.get(level));
            level++;
        }
        if (node instanceof Leaf leaf) {
            rows.add(row(path, leaf));
            return;
        }
        final List<Entry> entries = ((Obj) node).entries();
        for (int i = 0; i < entries.size(); i++) {
            final Entry e = entries.get(i);
            if (repeatedLater(entries, i)) {
                continue; // §2.3: the last occurrence of a key wins, as in JavaScript
            }
            if (e.key().equals("/")) {
                rows.add(row(path, (Leaf) e.value()));
            } else {
                spread(pattern, level < pattern.size() ? level + 1 : level, join(path, e.key()), e.value(), rows);
            }
        }
    }

    private static boolean repeatedLater(List<Entry> entries, int i) {
        for (int j = i + 1; j < entries.size(); j++) {
            if (entries.get(j).key().equals(entries.get(i).key())) {
                return true;
            }
        }
        return false;
    }

    private static String join(String path, String level) {
        return path == null ? level : path + "/" + level;
    }

    private static Row row(String topic, Leaf leaf) {
        return switch (leaf.kind()) {
            case STRING, NUMBER -> Row.of(topic, leaf.text());
            case TRUE -> Row.of(topic, "true");
            case FALSE -> Row.of(topic, "false");
            case NULL -> Row.of(topic, null);
        };
    }

    // ---- serializer

    /**
     * Writes the tree as JSON, choosing escapes and whitespace from {@code style}. When
     * {@code poisonAt >= 0}, the bytes {@code poison} are written as the first entry of the
     * object with that document-order index.
     */
    static byte[] json(Node node, Random style, int poisonAt, byte[] poison) {
        final Writer w = new Writer(style, poisonAt, poison);
        w.space();
        w.node(node);
        w.space();
        return w.out.toByteArray();
    }

    static int objectCount(Node node) {
        if (node instanceof Obj obj) {
            return 1 + obj.entries().stream().mapToInt(e -> objectCount(e.value())).sum();
        }
        return 0;
    }

    private static final class Writer {
        private static final String[] SPACES = {" ", "\n", "\t", "\r\n  "};
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Random style;
        final int poisonAt;
        final byte[] poison;
        int objects;

        Writer(Random style, int poisonAt, byte[] poison) {
            this.style = style;
            this.poisonAt = poisonAt;
            this.poison = poison;
        }

        void text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void space() {
            if (style.nextInt(4) == 0) {
                text(SPACES[style.nextInt(SPACES.length)]);
            }
        }

        void node(Node node) {
            if (node instanceof Leaf leaf) {
                switch (leaf.kind()) {
                    case STRING -> string(leaf.text());
                    case NUMBER -> text(leaf.text());
                    case TRUE -> text("true");
                    case FALSE -> text("false");
                    case NULL -> text("null");
                }
                return;
            }
            final List<Entry> entries = ((Obj) node).entries();
            text("{");
            space();
            if (objects++ == poisonAt) {
                out.writeBytes(poison);
                if (!entries.isEmpty()) {
                    text(",");
                }
            }
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    text(",");
                    space();
                }
                string(entries.get(i).key());
                space();
                text(":");
                space();
                node(entries.get(i).value());
                space();
            }
            text("}");
        }

        void string(String s) {
            text("\"");
            s.codePoints().forEach(cp -> {
                final boolean escape = style.nextInt(5) == 0;
                if (cp == '"' || cp == '\\') {
                    text(escape ? unicode(cp) : "\\" + (char) cp);
                } else if (cp == '/') {
                    text(escape ? "\\/" : "/");
                } else if (cp < 0x20) {
                    final String shortForm = switch (cp) {
                        case '\b' -> "\\b";
                        case '\f' -> "\\f";
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        case '\t' -> "\\t";
                        default -> null;
                    };
                    text(shortForm != null && !escape ? shortForm : unicode(cp));
                } else {
                    text(escape ? unicode(cp) : new String(Character.toChars(cp)));
                }
            });
            text("\"");
        }

        String unicode(int cp) {
            final StringBuilder sb = new StringBuilder();
            for (char c : Character.toChars(cp)) {
                final String hex = String.format("%04x", (int) c);
                sb.append("\\u").append(style.nextBoolean() ? hex : hex.toUpperCase());
            }
            return sb.toString();
        }
    }
}
