package io.mote.persistence;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the row changes and wherever the snapshot falls, a restart recovers exactly the rows a
 * TreeMap gets by applying the same changes in order. jqwik prints the seed of a failing run.
 */
class RecoveryPropertyTest
{
    @Provide
    Arbitrary<List<List<Change>>> events()
    {
        final Arbitrary<Change> change = Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.strings().withCharRange('a', 'z').withChars('\u00e9', '/').ofMinLength(0).ofMaxLength(6),
                Arbitraries.integers().between(0, 2))
            .as((topic, payload, qos) -> payload.isEmpty() ? Change.delete("p/" + topic) : Change.set("p/" + topic, payload, qos));
        return change.list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(30);
    }

    @Property(tries = 40)
    void shouldRecoverTheModelWhenSnapshotAtAnyPointAndJournalTailAreReplayed(
        @ForAll("events") final List<List<Change>> events,
        @ForAll @IntRange(min = 0, max = 30) final int snapshotAfter,
        @ForAll @IntRange(min = 1, max = 8) final int rollEvery) throws IOException
    {
        final Path dir = Files.createTempDirectory("mote-recovery-property");
        try
        {
            final Path journalDir = Files.createDirectories(dir.resolve("journal"));
            final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
            final TreeMap<String, String> model = new TreeMap<>();
            try (TestJournal journal = new TestJournal(journalDir))
            {
                final Compactor compactor = new Compactor(journal.queue, snapshots, new Compactor.Config(1, Duration.ofHours(1), 1), journal.journal::appendedBytes);
                for (int i = 0; i < events.size(); i++)
                {
                    if (i == snapshotAfter)
                    {
                        compactor.compactOnce();
                    }
                    if (i % rollEvery == rollEvery - 1)
                    {
                        journal.roll();
                    }
                    journal.append(events.get(i));
                    events.get(i).forEach(change -> change.applyTo(model));
                }
            }
            try (TestJournal restarted = new TestJournal(journalDir))
            {
                final ModelSink recovered = new ModelSink();
                final Recovery.Result result = Recovery.recover(restarted.queue, snapshots, recovered);
                assertThat(recovered.rows).isEqualTo(model);
                assertThat(result.journal().corrupt()).isFalse();
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
