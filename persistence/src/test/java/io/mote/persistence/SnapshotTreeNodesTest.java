package io.mote.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTreeNodesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCountTheTreeNodesOfRowsInTreeOrderWhenVerifying() throws CorruptSnapshotException
    {
        final String[] topics = {"a/b", "a/c", "a/c/d", "a!/x", "b", "b/"};
        final Path file = new SnapshotWriter().write(dir, 7, topics.length, sink ->
        {
            for (final String topic : topics)
            {
                final byte[] t = topic.getBytes(StandardCharsets.UTF_8);
                sink.accept(t, 0, t.length, new byte[] {1}, 0, 1, 0);
            }
        });

        final SnapshotReader.Info info = new SnapshotReader().verify(file);

        // a, a/b, a/c, a/c/d, a!, a!/x, b, b/"" : each level not shared with the row before counts once
        assertThat(info.treeNodes()).isEqualTo(8);
        assertThat(info.rowCount()).isEqualTo(topics.length);
    }
}
