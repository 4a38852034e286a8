package io.mote.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class CompactorTest
{
    @TempDir
    Path dir;

    private Path journalDir;
    private Path snapshotDir;

    private void dirs() throws Exception
    {
        journalDir = Files.createDirectories(dir.resolve("journal"));
        snapshotDir = Files.createDirectories(dir.resolve("snapshots"));
    }

    /** Three cycles of overwrites and deletes; returns the model of what is retained. */
    private static TreeMap<String, String> churn(final TestJournal journal, final int round)
    {
        final TreeMap<String, String> model = new TreeMap<>();
        for (int cycle = 0; cycle < 3; cycle++)
        {
            for (int i = 0; i < 50; i++)
            {
                final List<Change> event = List.of(Change.set("t/" + (i % 10), "r" + round + "c" + cycle + "i" + i, i % 3), Change.delete("t/" + ((i + 5) % 10)));
                journal.append(event);
            }
            journal.roll();
        }
        return model;
    }

    private static TreeMap<String, String> replayAll(final TestJournal journal)
    {
        final ModelSink sink = new ModelSink();
        new JournalReader().replay(journal.queue, -1, Long.MAX_VALUE, sink, org.slf4j.LoggerFactory.getLogger("test"));
        return sink.rows;
    }

    @Test
    void shouldKeepContentEqualAndDeleteOldCyclesAndSnapshotsWhenCompacting() throws Exception
    {
        dirs();
        try (TestJournal journal = new TestJournal(journalDir))
        {
            churn(journal, 1);
            final TreeMap<String, String> expected = replayAll(journal);
            final Compactor compactor = new Compactor(journal.queue, snapshotDir, new Compactor.Config(1L << 30, Duration.ofHours(1), 1), journal.journal::appendedBytes);

            final Compactor.Result first = compactor.compactOnce();
            assertThat(first.journalIndex()).isEqualTo(journal.queue.lastIndex());
            final ModelSink fromSnapshot = new ModelSink();
            new SnapshotReader().load(first.snapshot(), fromSnapshot);
            assertThat(fromSnapshot.rows).isEqualTo(expected);
            assertThat(first.deletedCycleFiles()).hasSize(2);
            assertThat(journal.cycleFiles()).hasSize(1);

            churn(journal, 2);
            final Compactor.Result second = compactor.compactOnce();
            assertThat(second.deletedSnapshots()).containsExactly(first.snapshot());
            assertThat(Snapshots.newestFirst(snapshotDir)).containsExactly(second.snapshot());
            assertThat(journal.cycleFiles()).hasSize(1);

            final ModelSink recovered = new ModelSink();
            Recovery.recover(journal.queue, snapshotDir, recovered);
            final ModelSink fromSecond = new ModelSink();
            new SnapshotReader().load(second.snapshot(), fromSecond);
            assertThat(recovered.rows).isEqualTo(fromSecond.rows).isNotEmpty();
            assertThat(compactor.compactOnce()).as("nothing new to compact").isNull();
        }
    }

    @Test
    void shouldKeepTheJournalOfTheOldestKeptSnapshotWhenKeepingTwo() throws Exception
    {
        dirs();
        try (TestJournal journal = new TestJournal(journalDir))
        {
            final Compactor compactor = new Compactor(journal.queue, snapshotDir, new Compactor.Config(1L << 30, Duration.ofHours(1), 2), journal.journal::appendedBytes);
            churn(journal, 1);
            final Compactor.Result first = compactor.compactOnce();
            churn(journal, 2);
            final Compactor.Result second = compactor.compactOnce();
            assertThat(Snapshots.newestFirst(snapshotDir)).containsExactly(second.snapshot(), first.snapshot());

            // The newest is damaged: recovery falls back to the older one and its journal tail.
            Files.write(second.snapshot(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.WRITE);
            final ModelSink recovered = new ModelSink();
            final Recovery.Result result = Recovery.recover(journal.queue, snapshotDir, recovered);
            assertThat(result.snapshot()).isEqualTo(first.snapshot());
            final ModelSink newest = new ModelSink();
            new SnapshotReader().load(first.snapshot(), newest);
            new JournalReader().replay(journal.queue, first.journalIndex(), Long.MAX_VALUE, newest, org.slf4j.LoggerFactory.getLogger("test"));
            assertThat(recovered.rows).isEqualTo(newest.rows);
        }
    }

    @Test
    void shouldCompactInTheBackgroundWhenTheJournalGrowsPastTheSizeTrigger() throws Exception
    {
        dirs();
        try (TestJournal journal = new TestJournal(journalDir);
             Compactor compactor = new Compactor(journal.queue, snapshotDir, new Compactor.Config(1, Duration.ofHours(1), 1), journal.journal::appendedBytes))
        {
            compactor.start();
            journal.append(List.of(Change.set("bg/1", "v", 1)));
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Snapshots.newestFirst(snapshotDir).isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(Snapshots.newestFirst(snapshotDir)).hasSize(1);
        }
    }
}
