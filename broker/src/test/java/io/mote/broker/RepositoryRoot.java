package io.mote.broker;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's top directory, whichever module directory the tests run in. */
final class RepositoryRoot
{
    private RepositoryRoot()
    {
    }

    /** The nearest directory above the working directory that holds the {@code mote-broker} launcher. */
    static Path path()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("mote-broker")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no mote-broker launcher above " + Path.of("").toAbsolutePath());
    }
}
