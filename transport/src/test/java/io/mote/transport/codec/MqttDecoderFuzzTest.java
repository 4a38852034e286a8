package io.mote.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mote.engine.topic.Dialect;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes never make the decoder throw into the pipeline, and end as packets optionally
 * followed by exactly one {@link DecodeFailure}. Plain {@code mvn test} replays the seeds under
 * {@code MqttDecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>Input layout: byte 0 picks the start (0: raw, 1: after an MQTT CONNECT, 2: after a mote
 * CONNECT); byte 1 picks the read size (1..16 bytes); the rest is the wire.
 */
class MqttDecoderFuzzTest
{
    private static final int MAX_PACKET_SIZE = 4096;

    @FuzzTest(maxDuration = "5m")
    void shouldNeverThrowWhenDecodingArbitraryBytes(final byte[] input)
    {
        if (input.length < 2)
        {
            return;
        }
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forServer(MAX_PACKET_SIZE, false));
        final List<Object> decoded = new ArrayList<>();
        final int mode = (input[0] & 0xFF) % 3;
        if (mode > 0)
        {
            final Dialect dialect = mode == 1 ? Dialect.MQTT : Dialect.MOTE;
            decoded.addAll(CodecFixtures.feed(channel, CodecFixtures.bytes(CodecFixtures.connect(dialect))));
        }
        final int readSize = (input[1] & 0x0F) + 1;
        for (int from = 2; from < input.length; from += readSize)
        {
            channel.writeInbound(Unpooled.wrappedBuffer(input, from, Math.min(readSize, input.length - from)));
            decoded.addAll(CodecFixtures.drain(channel));
        }
        channel.finishAndReleaseAll();

        try
        {
            for (int i = 0; i < decoded.size(); i++)
            {
                final Object message = decoded.get(i);
                if (message instanceof DecodeFailure failure)
                {
                    assertThat(i).as("a failure is the last message").isEqualTo(decoded.size() - 1);
                    assertThat(failure.reason()).doesNotContain("decoder fault");
                }
                else
                {
                    assertThat(message).isInstanceOf(MqttPacket.class);
                }
            }
        }
        finally
        {
            CodecFixtures.releaseAll(decoded);
        }
    }
}
