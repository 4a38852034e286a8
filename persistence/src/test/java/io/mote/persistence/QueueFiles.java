package io.mote.persistence;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Damages journal files the way a bad disk would, for tests. */
final class QueueFiles
{
    private QueueFiles()
    {
    }

    /** Flips one bit in the last byte of the first occurrence of {@code marker} in any cycle file. */
    static void flipByteOf(final Path dir, final String marker) throws IOException
    {
        final byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        }
        for (final Path file : files)
        {
            final byte[] content = Files.readAllBytes(file);
            final int at = indexOf(content, needle);
            if (at >= 0)
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    final long position = at + needle.length - 1;
                    raf.seek(position);
                    final int value = raf.read();
                    raf.seek(position);
                    raf.write(value ^ 0x01);
                }
                return;
            }
        }
        throw new IllegalStateException("marker " + marker + " not found in " + files);
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
