package io.mote.persistence;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that must not be loaded: bad magic, unknown version, truncated, or a bad checksum. */
public final class CorruptSnapshotException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long position;

    public CorruptSnapshotException(final Path file, final long position, final String reason)
    {
        super("snapshot " + file + " is corrupt at byte " + position + ": " + reason);
        this.file = file;
        this.position = position;
    }

    /** The file refused. */
    public Path file()
    {
        return file;
    }

    /** Byte offset in the file where the problem was found. */
    public long position()
    {
        return position;
    }
}
