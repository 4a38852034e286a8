package io.mote.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The snapshot files of a directory, by the journal index in their names. */
public final class Snapshots
{
    private Snapshots()
    {
    }

    /** Snapshot files in {@code dir}, newest (highest journal index) first. */
    public static List<Path> newestFirst(final Path dir)
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, SnapshotDescriptor.PREFIX + "*" + SnapshotDescriptor.SUFFIX))
        {
            for (final Path file : stream)
            {
                if (indexOf(file) != null)
                {
                    files.add(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list snapshots in " + dir, ex);
        }
        files.sort(Comparator.comparingLong((Path file) -> indexOf(file)).reversed());
        return files;
    }

    /** The journal index a snapshot file's name claims, or null for a name that is not one. */
    static Long indexOf(final Path file)
    {
        final String name = file.getFileName().toString();
        final String hex = name.substring(SnapshotDescriptor.PREFIX.length(), name.length() - SnapshotDescriptor.SUFFIX.length());
        if (hex.length() != 16)
        {
            return null;
        }
        try
        {
            return Long.parseUnsignedLong(hex, 16);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    /** Removes {@code .tmp} files a crash left behind mid-write; they were never renamed, so never valid. */
    public static void deleteTemporary(final Path dir)
    {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, SnapshotDescriptor.PREFIX + "*" + SnapshotDescriptor.TEMP_SUFFIX))
        {
            for (final Path file : stream)
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove unfinished snapshots in " + dir, ex);
        }
    }
}
