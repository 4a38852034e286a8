package io.mote.persistence;

import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session log whose queue fails underneath it (here: closed, so Chronicle refuses the write, as
 * it would on an I/O error) reports the failure, appends nothing more and never throws into the
 * event loops or the engine's threads; what was appended before the failure is recovered.
 */
class SessionLogFailureTest
{
    @TempDir
    Path dir;

    private final JournalConfig config = JournalConfig.defaults().withBlockSize(1 << 16).withFsync(FsyncMode.BATCH);

    @Test
    void shouldReportTheFailureAndAppendNothingMoreWhenTheQueueFailsUnderneath()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            queue(store, n, 1, "before");
            store.log().sync();
            assertThat(store.log().failure()).isNull();

            store.log().liveSegment().close();
            queue(store, n, 2, "lost");
            store.log().sync();

            assertThat(store.log().failure()).startsWith("session log failed appending a QUEUED record for session " + n);
            final long appended = store.log().appendedRecords();
            queue(store, n, 3, "after");
            store.log().completed(n, 1);
            assertThat(store.log().appendedRecords()).as("nothing appended once failed").isEqualTo(appended);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.replayStoppedAtCorruption()).isFalse();
            assertThat(store.recovered().get(0).messages()).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("before");
            assertThat(store.log().failure()).as("a new start records again").isNull();
        }
    }

    @Test
    void shouldLeaveTheLogAsItWasWhenACompactionIsAskedForAfterAFailure() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            queue(store, n, 1, "before");
            store.log().liveSegment().close();
            queue(store, n, 2, "lost");
            final String pointer = Files.readString(dir.resolve(SessionStore.CURRENT));
            store.compactNow();
            assertThat(Files.readString(dir.resolve(SessionStore.CURRENT))).isEqualTo(pointer);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).messages()).hasSize(1);
        }
    }

    private static void queue(final SessionStore store, final long number, final long seq, final String payload)
    {
        final byte[] topic = "t".getBytes(StandardCharsets.UTF_8);
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        store.log().queued(number, seq, 1, false, topic, 0, topic.length, bytes, 0, bytes.length);
    }
}
