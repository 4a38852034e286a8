package io.mote.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names and the pointer of the session log's directory.
 *
 * <pre>
 * sessions/
 *   CURRENT    "generation G segment S next-number M" (replaced by an atomic rename)
 *   gen-G/     Chronicle Queue: the folded live state written by a compaction, never appended to after
 *   seg-K/     Chronicle Queues: the records appended while seg-K was live; every K &gt;= S counts
 * </pre>
 *
 * <p>The log is gen-G followed by every seg-K with K &gt;= S, in ascending K. A generation or
 * segment outside that (older ones a compaction had not deleted yet, a generation it had not
 * finished) is never read and is deleted at the next start. {@code next-number} is above every
 * session number given before the pointer was written, ended ones included. The first format
 * ("generation G next-number M", the log appended to gen-G itself) reads as segment 1, which it
 * never had.
 *
 * <p>Threads: the starting thread, then the compacting one; never both at once.
 */
final class SessionDirectory
{
    static final String CURRENT = "CURRENT";
    private static final Pattern POINTER = Pattern.compile("generation (\\d+)(?: segment (\\d+))? next-number (\\d+)\\s*");
    private static final Pattern GENERATION_DIR = Pattern.compile("gen-(\\d+)");
    private static final Pattern SEGMENT_DIR = Pattern.compile("seg-(\\d+)");

    private final Path root;

    /** Which generation and segments hold the log, and the next session number. */
    record Pointer(long generation, long segment, long nextNumber)
    {
    }

    SessionDirectory(final Path root)
    {
        this.root = root;
    }

    Path root()
    {
        return root;
    }

    Path generation(final long number)
    {
        return root.resolve("gen-" + number);
    }

    Path segment(final long number)
    {
        return root.resolve("seg-" + number);
    }

    /** The pointer; {0, 1, 1} for a new directory. */
    Pointer readPointer() throws IOException
    {
        final Path pointer = root.resolve(CURRENT);
        if (!Files.exists(pointer))
        {
            return new Pointer(0, 1, 1);
        }
        final String text = Files.readString(pointer, StandardCharsets.US_ASCII);
        final Matcher matcher = POINTER.matcher(text);
        if (!matcher.matches())
        {
            throw new IllegalStateException("session log pointer " + pointer + " is unreadable ('" + text.strip()
                + "'); refusing to start without the persistent sessions it points to");
        }
        final long segment = matcher.group(2) == null ? 1 : Long.parseLong(matcher.group(2));
        return new Pointer(Long.parseLong(matcher.group(1)), segment, Long.parseLong(matcher.group(3)));
    }

    /** Replaces the pointer atomically and durably: after this returns, a crash finds the new one. */
    void writePointer(final Pointer pointer) throws IOException
    {
        final Path temp = root.resolve(CURRENT + ".tmp");
        Files.writeString(temp, "generation " + pointer.generation() + " segment " + pointer.segment() + " next-number "
            + pointer.nextNumber() + "\n", StandardCharsets.US_ASCII);
        JournalForcer.forceFile(temp);
        Files.move(temp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        JournalForcer.forceDirectory(root);
    }

    /** The segment numbers from {@code from} to {@code to} (inclusive) present on disk, ascending. */
    List<Long> segments(final long from, final long to) throws IOException
    {
        final List<Long> numbers = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root))
        {
            for (final Path entry : (Iterable<Path>)entries::iterator)
            {
                final Matcher matcher = SEGMENT_DIR.matcher(entry.getFileName().toString());
                if (matcher.matches())
                {
                    final long number = Long.parseLong(matcher.group(1));
                    if (number >= from && number <= to)
                    {
                        numbers.add(number);
                    }
                }
            }
        }
        numbers.sort(Comparator.naturalOrder());
        return numbers;
    }

    /** Deletes every generation but the pointer's and every segment below its first. */
    void deleteOutside(final Pointer pointer) throws IOException
    {
        try (Stream<Path> entries = Files.list(root))
        {
            for (final Path entry : (Iterable<Path>)entries::iterator)
            {
                final String name = entry.getFileName().toString();
                final Matcher generation = GENERATION_DIR.matcher(name);
                final Matcher segment = SEGMENT_DIR.matcher(name);
                if (generation.matches() && Long.parseLong(generation.group(1)) != pointer.generation()
                    || segment.matches() && Long.parseLong(segment.group(1)) < pointer.segment())
                {
                    deleteTree(entry);
                }
            }
        }
    }

    static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)walk.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
