package io.mote.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads the committed files of {@link GoldenSnapshotFiles}: the format as it is on users' disks. */
class SnapshotGoldenFilesTest
{
    @TempDir
    Path dir;

    private Path golden(final String name) throws IOException
    {
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name))
        {
            assertThat(in).as("golden file " + name).isNotNull();
            final Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    @Test
    void shouldLoadEveryRowWhenTheSnapshotIsValid() throws Exception
    {
        final ModelSink sink = new ModelSink();
        final SnapshotReader.Info info = new SnapshotReader().load(golden("valid.snap"), sink);
        assertThat(info.journalIndex()).isEqualTo(GoldenSnapshotFiles.JOURNAL_INDEX);
        assertThat(info.rowCount()).isEqualTo(GoldenSnapshotFiles.ROWS.size());
        assertThat(sink.rows).isEqualTo(GoldenSnapshotFiles.ROWS);
    }

    @Test
    void shouldWriteTheGoldenBytesWhenGivenTheGoldenRows() throws Exception
    {
        final Path written = new SnapshotWriter().write(dir, GoldenSnapshotFiles.JOURNAL_INDEX, GoldenSnapshotFiles.ROWS.size(), GoldenSnapshotFiles.source());
        assertThat(written.getFileName().toString()).isEqualTo("snapshot-0000123400000007.snap");
        assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(golden("valid.snap")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "truncated.snap,     truncated",
        "flipped-byte.snap,  checksum mismatch",
        "wrong-version.snap, format version 99 is not supported",
        "bad-magic.snap,     bad magic",
    })
    void shouldRefuseTheWholeFileWhenItIsCorrupt(final String name, final String reason) throws Exception
    {
        final Path file = golden(name);
        final ModelSink sink = new ModelSink();
        assertThatThrownBy(() -> new SnapshotReader().load(file, sink))
            .isInstanceOf(CorruptSnapshotException.class)
            .hasMessageContaining(reason)
            .hasMessageContaining(file.toString())
            .satisfies(ex -> assertThat(((CorruptSnapshotException)ex).position()).isGreaterThanOrEqualTo(0));
        assertThat(sink.changes).as("nothing handed over from a corrupt file").isEmpty();
    }
}
