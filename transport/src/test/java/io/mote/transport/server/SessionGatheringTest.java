package io.mote.transport.server;

import io.mote.engine.topic.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QoS 0 write coalescing: the messages one run of engine events routes to a client travel as one
 * buffer, in order, within the client's queue bound.
 */
class SessionGatheringTest
{
    private final List<ByteBuf> written = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void release()
    {
        written.forEach(ByteBuf::release);
        if (channel != null)
        {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void shouldWriteQos0MessagesOfOneRunAsOneBuffer()
    {
        final SessionRegistry registry = registryWithBounds(100, 200);
        final Session session = attached(registry, "sub");

        for (int i = 0; i < 5; i++)
        {
            deliver(registry, session, "t/" + i, 0);
        }
        registry.flush();
        drain(session);

        assertThat(written).hasSize(1);
        assertThat(FrameBits.countFrames(written.get(0))).isEqualTo(5);
        assertThat(topics(written.get(0))).containsExactly("t/0", "t/1", "t/2", "t/3", "t/4");
    }

    @Test
    void shouldDropQos0BeyondQueueBoundWithoutQueueingIt()
    {
        final SessionRegistry registry = registryWithBounds(3, 10);
        final Session session = attached(registry, "sub");

        for (int i = 0; i < 5; i++)
        {
            deliver(registry, session, "t/" + i, 0);
        }
        registry.flush();
        drain(session);

        assertThat(topics(written.get(0))).containsExactly("t/0", "t/1", "t/2");
        assertThat(session.droppedMessages()).isEqualTo(2);
    }

    @Test
    void shouldFreeQueueBoundOnceGatheredMessagesAreWritten()
    {
        final SessionRegistry registry = registryWithBounds(3, 10);
        final Session session = attached(registry, "sub");
        for (int i = 0; i < 3; i++)
        {
            deliver(registry, session, "a/" + i, 0);
        }
        registry.flush();
        drain(session);

        for (int i = 0; i < 3; i++)
        {
            deliver(registry, session, "b/" + i, 0);
        }
        registry.flush();
        drain(session);

        assertThat(written).hasSize(2);
        assertThat(topics(written.get(1))).containsExactly("b/0", "b/1", "b/2");
        assertThat(session.droppedMessages()).isZero();
    }

    @Test
    void shouldKeepRoutedOrderWhenQos1FollowsGatheredQos0()
    {
        final SessionRegistry registry = registryWithBounds(100, 200);
        final Session session = attached(registry, "sub");

        deliver(registry, session, "q0/a", 0);
        deliver(registry, session, "q1/b", 1);
        deliver(registry, session, "q0/c", 0);
        registry.flush();
        drain(session);

        final List<String> all = new ArrayList<>();
        written.forEach(buffer -> all.addAll(topics(buffer)));
        assertThat(all).containsExactly("q0/a", "q1/b", "q0/c");
    }

    @Test
    void shouldDropQos0ForOfflinePersistentSession()
    {
        final SessionRegistry registry = registryWithBounds(100, 200);
        final Session session = registry.open("away", Dialect.MQTT, false).session();

        deliver(registry, session, "t/0", 0);
        registry.flush();

        assertThat(session.droppedMessages()).isEqualTo(1);
    }

    @Test
    void shouldCountEveryFrameOfAGatheredBuffer()
    {
        final ByteBuf frames = io.netty.buffer.Unpooled.buffer();
        io.mote.transport.codec.MqttEncoder.encodePublish(frames, 0, false, false, 0, bytes("x"), 0, 1, new byte[200], 0, 200);
        io.mote.transport.codec.MqttEncoder.encodePublish(frames, 0, false, false, 0, bytes("y"), 0, 1, new byte[3], 0, 3);
        frames.writeBytes(FrameBits.ack(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, FrameBits.PUBACK_FIRST_BYTE, 7));

        assertThat(FrameBits.countFrames(frames)).isEqualTo(3);
        frames.release();
    }

    private SessionRegistry registryWithBounds(final int queued, final int pending)
    {
        return new SessionRegistry(TransportConfig.defaults().withQueueBounds(queued, pending));
    }

    private Session attached(final SessionRegistry registry, final String clientId)
    {
        final Session session = registry.open(clientId, Dialect.MQTT, true).session();
        channel = new EmbeddedChannel();
        session.attach(channel, null);
        return session;
    }

    private static void deliver(final SessionRegistry registry, final Session session, final String topic, final int qos)
    {
        final byte[] t = bytes(topic);
        final byte[] payload = bytes("v");
        registry.deliver(session.id(), t, 0, t.length, payload, 0, payload.length, qos, false, 0);
    }

    private void drain(final Session session)
    {
        channel.runPendingTasks();
        session.drain();
        for (Object out; (out = channel.readOutbound()) != null; )
        {
            written.add((ByteBuf)out);
        }
    }

    /** The topics of the PUBLISH frames in a written buffer, in order. */
    private static List<String> topics(final ByteBuf buffer)
    {
        final List<String> topics = new ArrayList<>();
        int at = buffer.readerIndex();
        while (at < buffer.writerIndex())
        {
            final int first = buffer.getUnsignedByte(at);
            int remaining = 0;
            int shift = 0;
            int b;
            int p = at + 1;
            do
            {
                b = buffer.getUnsignedByte(p++);
                remaining |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            if (first >>> 4 == FrameBits.PUBLISH)
            {
                final int length = buffer.getUnsignedShort(p);
                topics.add(buffer.toString(p + 2, length, StandardCharsets.UTF_8));
            }
            at = p + remaining;
        }
        return topics;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
