package io.mote.persistence;

import io.mote.engine.Authorizer;
import io.mote.engine.Engine;
import io.mote.engine.EngineConfig;
import io.mote.engine.Outbound;
import io.mote.engine.pipeline.EngineProducer;
import io.mote.engine.pipeline.InvalidPublishException;
import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole path: MQTT retained publishes through a real engine, a restart, a new subscriber. */
class EnginePersistenceTest
{
    private static final long PUBLISHER = 1;
    private static final long SUBSCRIBER = 2;

    @TempDir
    Path dir;

    /** Keeps what is delivered, topic to "qos:payload", and counts acknowledgements. */
    private static final class Received implements Outbound
    {
        final Map<String, String> retained = new TreeMap<>();
        int accepted;

        @Override
        public synchronized void deliver(final long subscriberId, final byte[] topic, final int topicOffset, final int topicLength,
            final byte[] payload, final int payloadOffset, final int payloadLength, final int qos, final boolean retain,
        final long publisherId)
        {
            if (retain)
            {
                retained.put(new String(topic, topicOffset, topicLength, StandardCharsets.UTF_8), qos + ":" + new String(payload, payloadOffset, payloadLength, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public synchronized void publishAccepted(final long clientId, final int packetId, final int qos)
        {
            accepted++;
        }

        @Override
        public void publishRejected(final long clientId, final int packetId, final String reason)
        {
        }
    }

    private static void publish(final EngineProducer producer, final String topic, final String payload, final int qos, final int packetId) throws InvalidPublishException
    {
        final byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        final byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        producer.publish(PUBLISHER, Dialect.MQTT, t, 0, t.length, p, 0, p.length, qos, true, packetId);
    }

    @Test
    void shouldDeliverRetainedRowsAfterARestartWhenTheyWereJournaled() throws InvalidPublishException
    {
        final JournalConfig journal = JournalConfig.defaults().withFsync(FsyncMode.BATCH);
        final Compactor.Config compaction = Compactor.Config.defaults();
        try (Persistence persistence = Persistence.open(dir, journal, compaction))
        {
            final Received out = new Received();
            final Engine engine = new Engine(EngineConfig.defaults().withRingSize(64), out, persistence.journal(), Authorizer.ALLOW_ALL);
            persistence.recover(engine::restoreRetained);
            engine.start();
            final EngineProducer producer = engine.newProducer();
            publish(producer, "home/kitchen/temp", "21.5", 1, 1);
            publish(producer, "home/hall/temp", "19.0", 2, 2);
            publish(producer, "home/attic/temp", "12.0", 0, 0);
            publish(producer, "home/hall/temp", "", 1, 3);
            producer.flush();
            assertThat(engine.awaitProcessed(Duration.ofSeconds(30))).isTrue();
            assertThat(out.accepted).isEqualTo(3);
            engine.close();
        }
        try (Persistence persistence = Persistence.open(dir, journal, compaction))
        {
            final Received out = new Received();
            final Engine engine = new Engine(EngineConfig.defaults().withRingSize(64), out, persistence.journal(), Authorizer.ALLOW_ALL);
            final Recovery.Result result = persistence.recover(engine::restoreRetained);
            engine.start();
            final EngineProducer producer = engine.newProducer();
            final byte[] filter = "home/#".getBytes(StandardCharsets.UTF_8);
            producer.subscribe(SUBSCRIBER, Dialect.MQTT, filter, 0, filter.length, 2);
            producer.flush();
            assertThat(engine.awaitProcessed(Duration.ofSeconds(30))).isTrue();
            engine.close();
            assertThat(result.journal().rows()).isEqualTo(4);
            assertThat(out.retained).containsExactlyEntriesOf(new TreeMap<>(Map.of("home/attic/temp", "0:12.0", "home/kitchen/temp", "1:21.5")));
        }
    }
}
