package io.mote.persistence;

import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/** The session record layout, byte by byte, as {@link SessionLogReader} checks it. */
class SessionRecordTest
{
    @Test
    void shouldReadBackEveryFieldOfAQueuedRecordWhenEncodedPerTheDescriptor()
    {
        final byte[] record = record(SessionRecordDescriptor.KIND_QUEUED, 2, SessionRecordDescriptor.FLAG_RETAIN, 0x1_0000_0001L, 0x7FFF_0000_0001L, 0, "a/b", "payload");
        assertThat(record).hasSize(32 + 3 + 7 + 4);
        assertThat(SessionRecordDescriptor.getLongLE(record, SessionRecordDescriptor.SESSION_OFFSET)).isEqualTo(0x1_0000_0001L);
        assertThat(SessionRecordDescriptor.getLongLE(record, SessionRecordDescriptor.SEQ_OFFSET)).isEqualTo(0x7FFF_0000_0001L);

        final SessionFold fold = new SessionFold();
        final SessionLogReader reader = new SessionLogReader();
        final byte[] opened = record(SessionRecordDescriptor.KIND_OPENED, Dialect.MQTT.ordinal(), 0, 0x1_0000_0001L, 0, 0, "client", "");
        assertThat(reader.applyRecord(opened, opened.length, fold)).isNull();
        assertThat(reader.applyRecord(record, record.length, fold)).isNull();

        assertThat(fold.sessions()).singleElement().satisfies(s ->
        {
            assertThat(s.clientId()).isEqualTo("client");
            assertThat(s.messages()).singleElement().satisfies(m ->
            {
                assertThat(m.qos()).isEqualTo(2);
                assertThat(m.retain()).isTrue();
                assertThat(new String(m.topic(), StandardCharsets.UTF_8)).isEqualTo("a/b");
                assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("payload");
            });
        });
    }

    @Test
    void shouldRefuseARecordWhenAnyByteIsFlipped()
    {
        final byte[] record = record(SessionRecordDescriptor.KIND_SUBSCRIBED, 1, 0, 5, 0, 0, "x/#", "");
        for (int i = 0; i < record.length; i++)
        {
            final byte[] damaged = record.clone();
            damaged[i] ^= 0x10;
            assertThat(new SessionLogReader().applyRecord(damaged, damaged.length, new SessionFold())).as("byte %d flipped", i).isNotNull();
        }
    }

    @Test
    void shouldRefuseARecordWhenItsVersionIsUnknown()
    {
        final byte[] record = record(SessionRecordDescriptor.KIND_ENDED, 0, 0, 5, 0, 0, "", "");
        record[SessionRecordDescriptor.VERSION_OFFSET] = 2;
        assertThat(new SessionLogReader().applyRecord(record, record.length, new SessionFold())).contains("version 2");
    }

    private static byte[] record(final int kind, final int qos, final int flags, final long session, final long seq, final int packetId,
        final String text, final String payload)
    {
        final byte[] t = text.getBytes(StandardCharsets.UTF_8);
        final byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        final byte[] record = new byte[(int)SessionRecordDescriptor.recordLength(t.length, p.length)];
        SessionRecordDescriptor.encodeHeader(record, kind, qos, flags, session, seq, packetId, t.length, p.length);
        System.arraycopy(t, 0, record, SessionRecordDescriptor.HEADER_LENGTH, t.length);
        System.arraycopy(p, 0, record, SessionRecordDescriptor.HEADER_LENGTH + t.length, p.length);
        final CRC32C crc = new CRC32C();
        crc.update(record, 0, record.length - 4);
        JournalRecordDescriptor.putIntLE(record, record.length - 4, (int)crc.getValue());
        return record;
    }
}
