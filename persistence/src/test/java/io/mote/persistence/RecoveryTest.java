package io.mote.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecoverFromTheJournalAloneWhenThereIsNoSnapshot() throws Exception
    {
        final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        try (TestJournal journal = new TestJournal(dir.resolve("journal")))
        {
            journal.append(List.of(Change.set("a", "1", 1), Change.set("b", "2", 0)));
            journal.append(List.of(Change.delete("a")));
        }
        try (TestJournal reopened = new TestJournal(dir.resolve("journal")))
        {
            final ModelSink sink = new ModelSink();
            final Recovery.Result result = Recovery.recover(reopened.queue, snapshots, sink);
            assertThat(sink.rows).containsExactlyEntriesOf(java.util.Map.of("b", "0:2"));
            assertThat(result.snapshot()).isNull();
            assertThat(result.journal().rows()).isEqualTo(3);
        }
    }

    @Test
    void shouldNotStopAtTheSameCorruptRecordWhenRestartedAgain() throws Exception
    {
        final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        final Path journalDir = dir.resolve("journal");
        try (TestJournal journal = new TestJournal(journalDir))
        {
            journal.append(List.of(Change.set("keep", "AAAA-kept", 1)));
            journal.append(List.of(Change.set("bad", "BBBB-corrupt", 1)));
            journal.append(List.of(Change.set("after", "CCCC-dropped", 1)));
        }
        QueueFiles.flipByteOf(journalDir, "BBBB-corrupt");
        try (TestJournal reopened = new TestJournal(journalDir))
        {
            final ModelSink first = new ModelSink();
            final Recovery.Result result = Recovery.recover(reopened.queue, snapshots, first);
            assertThat(first.rows).containsOnlyKeys("keep");
            assertThat(result.journal().corrupt()).isTrue();
            assertThat(result.repairSnapshot()).exists();
            reopened.append(List.of(Change.set("new", "written after the repair", 2)));
        }
        try (TestJournal again = new TestJournal(journalDir))
        {
            final ModelSink second = new ModelSink();
            final Recovery.Result result = Recovery.recover(again.queue, snapshots, second);
            assertThat(second.rows).containsOnlyKeys("keep", "new");
            assertThat(result.journal().corrupt()).isFalse();
        }
    }

    @Test
    void shouldRefuseToStartWhenEverySnapshotIsCorrupt() throws Exception
    {
        final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        try (TestJournal journal = new TestJournal(dir.resolve("journal")))
        {
            journal.append(List.of(Change.set("a", "1", 1)));
            final Compactor.Result compacted = new Compactor(journal.queue, snapshots, new Compactor.Config(1, Duration.ofHours(1), 1), journal.journal::appendedBytes).compactOnce();
            Files.write(compacted.snapshot(), new byte[] {0});
            assertThatThrownBy(() -> Recovery.recover(journal.queue, snapshots, new ModelSink()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 1 snapshots in " + snapshots + " are corrupt");
        }
    }

    @Test
    void shouldRefuseToStartWhenTheJournalNoLongerHoldsTheSnapshotPosition() throws Exception
    {
        final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        try (TestJournal journal = new TestJournal(dir.resolve("journal")))
        {
            journal.append(List.of(Change.set("a", "1", 1)));
            new SnapshotWriter().write(snapshots, journal.journal.lastAppendedIndex() + 5, 0, sink -> { });
            assertThatThrownBy(() -> Recovery.recover(journal.queue, snapshots, new ModelSink()))
                .isInstanceOf(JournalReader.JournalGapException.class)
                .hasMessageContaining("no longer holds excerpt");
        }
    }

    @Test
    void shouldRemoveAnUnfinishedSnapshotWhenStarting() throws Exception
    {
        final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        final Path temp = Files.writeString(snapshots.resolve("snapshot-0000000000000001.tmp"), "half written");
        try (TestJournal journal = new TestJournal(dir.resolve("journal")))
        {
            Recovery.recover(journal.queue, snapshots, new ModelSink());
        }
        assertThat(temp).doesNotExist();
    }
}
