package io.mote.persistence;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalRecordTest
{
    @TempDir
    Path dir;

    private static JournalReader.Result replay(final SingleChronicleQueue queue, final long after, final RowSink sink)
    {
        return new JournalReader().replay(queue, after, Long.MAX_VALUE, sink, LoggerFactory.getLogger("test"));
    }

    @Test
    void shouldReadBackEveryChangeWithKindAndQosWhenAppended()
    {
        final List<Change> changes = List.of(Change.set("a/b", "one", 0), Change.set("a/c", "two", 1), Change.delete("a/b"), Change.set("x", "\u00e9t\u00e9", 2));
        try (TestJournal journal = new TestJournal(dir))
        {
            journal.append(changes.subList(0, 2));
            journal.append(changes.subList(2, 4));
            final ModelSink sink = new ModelSink();
            final JournalReader.Result result = replay(journal.queue, -1, sink);
            assertThat(sink.changes).containsExactlyElementsOf(changes);
            assertThat(result.excerpts()).isEqualTo(2);
            assertThat(result.rows()).isEqualTo(4);
            assertThat(result.corrupt()).isFalse();
            assertThat(result.lastIndex()).isEqualTo(journal.journal.lastAppendedIndex());
        }
    }

    @Test
    void shouldWriteOneExcerptWhenSeveralEventsShareARingBatch()
    {
        try (TestJournal journal = new TestJournal(dir))
        {
            journal.journal.append(Change.event(List.of(Change.set("b/1", "x", 0))), 0);
            journal.journal.append(Change.event(List.of(Change.set("b/2", "y", 1), Change.delete("b/1"))), 1);
            journal.journal.append(Change.event(List.of(Change.set("b/3", "z", 2))), 2);
            final ModelSink before = new ModelSink();
            assertThat(replay(journal.queue, -1, before).excerpts()).as("nothing readable before endOfBatch").isZero();
            journal.journal.endOfBatch(2);
            final ModelSink sink = new ModelSink();
            final JournalReader.Result result = replay(journal.queue, -1, sink);
            assertThat(result.excerpts()).isEqualTo(1);
            assertThat(sink.changes).containsExactly(Change.set("b/1", "x", 0), Change.set("b/2", "y", 1), Change.delete("b/1"), Change.set("b/3", "z", 2));
            assertThat(journal.journal.lastAppendedIndex()).isEqualTo(result.lastIndex());
        }
    }

    @Test
    void shouldEncodeTheDocumentedLayoutWhenARecordIsWritten()
    {
        final byte[] header = new byte[JournalRecordDescriptor.HEADER_LENGTH];
        JournalRecordDescriptor.encodeHeader(header, 0, JournalRecordDescriptor.KIND_SET, 1, 3, 0x01020304);
        assertThat(header).containsExactly(1, 1, 1, 0, 3, 0, 0, 0, 4, 3, 2, 1);
        assertThat(JournalRecordDescriptor.recordLength(3, 5)).isEqualTo(12 + 3 + 5 + 4);
    }

    @Test
    void shouldReplayAfterTheQueueIsReopenedWhenTheBrokerRestarts()
    {
        final long first;
        try (TestJournal journal = new TestJournal(dir))
        {
            journal.append(List.of(Change.set("t/1", "a", 1)));
            first = journal.journal.lastAppendedIndex();
            journal.roll();
            journal.append(List.of(Change.set("t/2", "b", 0), Change.set("t/1", "c", 2)));
        }
        try (TestJournal reopened = new TestJournal(dir))
        {
            final ModelSink all = new ModelSink();
            replay(reopened.queue, -1, all);
            assertThat(all.changes).containsExactly(Change.set("t/1", "a", 1), Change.set("t/2", "b", 0), Change.set("t/1", "c", 2));
            final ModelSink after = new ModelSink();
            replay(reopened.queue, first, after);
            assertThat(after.changes).containsExactly(Change.set("t/2", "b", 0), Change.set("t/1", "c", 2));
            assertThat(reopened.cycleFiles()).hasSize(2);
        }
    }

    @Test
    void shouldSplitAnEventIntoSeveralExcerptsWhenItIsLargerThanOneExcerpt()
    {
        final List<Change> big = new ArrayList<>();
        final String payload = "p".repeat(1000);
        for (int i = 0; i < 100; i++)
        {
            big.add(Change.set("big/" + i, payload + i, i % 3));
        }
        try (TestJournal journal = new TestJournal(dir, new net.openhft.chronicle.core.time.SetTimeProvider(), 1L << 16, FsyncMode.NEVER))
        {
            journal.append(big);
            final ModelSink sink = new ModelSink();
            final JournalReader.Result result = replay(journal.queue, -1, sink);
            assertThat(sink.changes).containsExactlyElementsOf(big);
            assertThat(result.excerpts()).isGreaterThan(1);
        }
    }

    @Test
    void shouldRefuseARowWhenItCannotFitInOneExcerpt()
    {
        try (TestJournal journal = new TestJournal(dir, new net.openhft.chronicle.core.time.SetTimeProvider(), 1L << 16, FsyncMode.NEVER))
        {
            assertThatThrownBy(() -> journal.append(List.of(Change.set("huge", "h".repeat(20_000), 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("excerpt limit");
            journal.append(List.of(Change.set("small", "s", 0)));
            final ModelSink sink = new ModelSink();
            replay(journal.queue, -1, sink);
            assertThat(sink.changes).containsExactly(Change.set("small", "s", 0));
        }
    }

    @Test
    void shouldStopAtTheRecordWhenAByteOfItIsFlippedOnDisk() throws Exception
    {
        long corruptIndex;
        try (TestJournal journal = new TestJournal(dir))
        {
            journal.append(List.of(Change.set("keep/1", "AAAA-first", 0)));
            journal.append(List.of(Change.set("keep/2", "AAAA-second", 0), Change.set("bad/1", "BBBB-third", 1), Change.set("lost/1", "CCCC-fourth", 0)));
            corruptIndex = journal.journal.lastAppendedIndex();
            journal.append(List.of(Change.set("lost/2", "DDDD-fifth", 0)));
        }
        QueueFiles.flipByteOf(dir, "BBBB-third");
        try (TestJournal reopened = new TestJournal(dir))
        {
            final ModelSink sink = new ModelSink();
            final JournalReader.Result result = replay(reopened.queue, -1, sink);
            assertThat(sink.changes).containsExactly(Change.set("keep/1", "AAAA-first", 0), Change.set("keep/2", "AAAA-second", 0));
            assertThat(result.corruptIndex()).isEqualTo(corruptIndex);
            assertThat(result.problem()).contains("checksum");
            assertThat(result.rows()).isEqualTo(2);
        }
    }

    @Test
    void shouldKeepDataReadableWhenFsyncModeIsBatchOrInterval()
    {
        for (final FsyncMode mode : List.of(FsyncMode.BATCH, FsyncMode.interval(5)))
        {
            final Path sub = dir.resolve(mode.kind().name());
            try (TestJournal journal = new TestJournal(sub, new net.openhft.chronicle.core.time.SetTimeProvider(1_700_000_000_000_000_000L), 1L << 20, mode))
            {
                journal.append(List.of(Change.set("d/1", "v1", 1)));
                journal.roll();
                journal.append(List.of(Change.set("d/2", "v2", 1)));
                final ModelSink sink = new ModelSink();
                replay(journal.queue, -1, sink);
                assertThat(sink.rows).containsEntry("d/1", "1:v1").containsEntry("d/2", "1:v2");
            }
        }
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
