package io.mote.broker.sessions;

import io.mote.broker.BrokerConfig;
import io.mote.broker.MoteBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.mote.broker.sessions.RawSession.PUBACK;
import static io.mote.broker.sessions.RawSession.PUBCOMP;
import static io.mote.broker.sessions.RawSession.PUBLISH;
import static io.mote.broker.sessions.RawSession.PUBREC;
import static io.mote.broker.sessions.RawSession.PUBREL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persistent sessions (clean session 0) across an orderly broker restart on the same data
 * directory (the path SIGTERM takes): subscriptions, queued and unacknowledged messages and inbound
 * QoS 2 ids come back; nothing is delivered twice that the client already settled.
 */
class PersistentSessionRestartTest
{
    @TempDir
    Path dataDir;

    @Test
    void shouldReportTheSessionPresentAndDeliverEveryQueuedMessageWhenReconnectingAfterARestart() throws Exception
    {
        try (MoteBroker broker = start())
        {
            final RawSession subscriber = connect(broker, "sub", false);
            subscriber.subscribe(1, "s/#", 1);
            subscriber.disconnect();
            final RawSession publisher = connect(broker, "pub", true);
            for (int i = 1; i <= 5; i++)
            {
                publisher.publish("s/" + i, "v" + i, 1, false, false, i);
                assertThat(publisher.next().type()).isEqualTo(PUBACK);
            }
            publisher.disconnect();
        }

        try (MoteBroker broker = start())
        {
            final boolean[] present = new boolean[1];
            final RawSession subscriber = RawSession.connect(broker.port(), "sub", false, present);
            assertThat(present[0]).as("session present").isTrue();
            final List<RawSession.Packet> delivered = subscriber.drainToPing();
            assertThat(delivered).extracting(p -> p.topic() + "=" + p.payload() + " q" + p.qos())
                .containsExactly("s/1=v1 q1", "s/2=v2 q1", "s/3=v3 q1", "s/4=v4 q1", "s/5=v5 q1");
            for (final RawSession.Packet p : delivered)
            {
                subscriber.ack(PUBACK, p.packetId());
            }
            subscriber.disconnect();
        }
    }

    @Test
    void shouldRouteNewMessagesThroughARestoredSubscriptionWithoutRedeliveringRetainedRows() throws Exception
    {
        try (MoteBroker broker = start())
        {
            final RawSession publisher = connect(broker, "pub", true);
            publisher.publish("s/retained", "kept", 1, true, false, 1);
            assertThat(publisher.next().type()).isEqualTo(PUBACK);
            publisher.disconnect();
            final RawSession subscriber = connect(broker, "sub", false);
            subscriber.subscribe(1, "s/#", 1);
            final RawSession.Packet retained = subscriber.next();
            assertThat(retained.topic()).isEqualTo("s/retained");
            subscriber.ack(PUBACK, retained.packetId());
            assertThat(subscriber.drainToPing()).isEmpty();
            subscriber.disconnect();
        }

        try (MoteBroker broker = start())
        {
            final boolean[] present = new boolean[1];
            final RawSession subscriber = RawSession.connect(broker.port(), "sub", false, present);
            assertThat(present[0]).isTrue();
            assertThat(subscriber.drainToPing()).as("nothing owed, retained rows not sent again").isEmpty();
            final RawSession publisher = connect(broker, "pub", true);
            publisher.publish("s/new", "after restart", 1, false, false, 1);
            assertThat(publisher.next().type()).isEqualTo(PUBACK);
            final RawSession.Packet routed = subscriber.next();
            assertThat(routed.topic() + "=" + routed.payload()).isEqualTo("s/new=after restart");
            subscriber.ack(PUBACK, routed.packetId());
            assertThat(subscriber.drainToPing()).isEmpty();
        }
    }

    @Test
    void shouldResendAnUnacknowledgedMessageWithItsPacketIdAndDupWhenReconnectingAfterARestart() throws Exception
    {
        final int packetId;
        try (MoteBroker broker = start())
        {
            final RawSession subscriber = connect(broker, "sub", false);
            subscriber.subscribe(1, "s/#", 1);
            final RawSession publisher = connect(broker, "pub", true);
            publisher.publish("s/x", "unacked", 1, false, false, 1);
            final RawSession.Packet first = subscriber.next();
            assertThat(first.dup()).isFalse();
            packetId = first.packetId();
            subscriber.close(); // no PUBACK
        }

        try (MoteBroker broker = start())
        {
            final RawSession subscriber = RawSession.connect(broker.port(), "sub", false, new boolean[1]);
            final RawSession.Packet again = subscriber.next();
            assertThat(again.type()).isEqualTo(PUBLISH);
            assertThat(again.dup()).isTrue();
            assertThat(again.packetId()).isEqualTo(packetId);
            assertThat(again.payload()).isEqualTo("unacked");
            subscriber.ack(PUBACK, packetId);
            assertThat(subscriber.drainToPing()).isEmpty();
        }
    }

    @Test
    void shouldSendPubrelNotThePublishAgainWhenTheClientHadSentPubrecBeforeARestart() throws Exception
    {
        final int packetId;
        try (MoteBroker broker = start())
        {
            final RawSession subscriber = connect(broker, "sub", false);
            subscriber.subscribe(1, "s/#", 2);
            final RawSession publisher = connect(broker, "pub", true);
            publisher.publish("s/x", "exactly once", 2, false, false, 1);
            final RawSession.Packet delivered = subscriber.next();
            packetId = delivered.packetId();
            subscriber.ack(PUBREC, packetId);
            assertThat(subscriber.next().type()).isEqualTo(PUBREL);
            subscriber.close(); // no PUBCOMP
        }

        try (MoteBroker broker = start())
        {
            final RawSession subscriber = RawSession.connect(broker.port(), "sub", false, new boolean[1]);
            final RawSession.Packet owed = subscriber.next();
            assertThat(owed.type()).isEqualTo(PUBREL);
            assertThat(owed.packetId()).isEqualTo(packetId);
            subscriber.ack(PUBCOMP, packetId);
            assertThat(subscriber.drainToPing()).isEmpty();
        }
    }

    @Test
    void shouldNotDeliverAnInboundQos2PublishTwiceWhenItIsResentAfterARestart() throws Exception
    {
        try (MoteBroker broker = start())
        {
            final RawSession subscriber = connect(broker, "sub", false);
            subscriber.subscribe(1, "q2/#", 2);
            subscriber.disconnect();
            final RawSession publisher = connect(broker, "pub", false);
            publisher.publish("q2/once", "payload", 2, false, false, 7);
            final RawSession.Packet pubrec = publisher.next();
            assertThat(pubrec.type()).isEqualTo(PUBREC);
            assertThat(pubrec.packetId()).isEqualTo(7);
            publisher.close(); // PUBREL never sent
        }

        try (MoteBroker broker = start())
        {
            final boolean[] present = new boolean[1];
            final RawSession publisher = RawSession.connect(broker.port(), "pub", false, present);
            assertThat(present[0]).isTrue();
            publisher.publish("q2/once", "payload", 2, false, true, 7);
            final RawSession.Packet pubrec = publisher.next();
            assertThat(pubrec.type()).isEqualTo(PUBREC);
            assertThat(pubrec.packetId()).isEqualTo(7);
            publisher.ack(PUBREL, 7);
            final RawSession.Packet pubcomp = publisher.next();
            assertThat(pubcomp.type()).isEqualTo(PUBCOMP);
            assertThat(pubcomp.packetId()).isEqualTo(7);

            final RawSession subscriber = RawSession.connect(broker.port(), "sub", false, new boolean[1]);
            final List<RawSession.Packet> delivered = subscriber.drainToPing();
            assertThat(delivered).extracting(p -> p.topic() + "=" + p.payload()).containsExactly("q2/once=payload");
        }
    }

    @Test
    void shouldReportNoSessionWhenAPersistentSessionWasReplacedByACleanOneBeforeTheRestart() throws Exception
    {
        try (MoteBroker broker = start())
        {
            connect(broker, "c", false).subscribe(1, "s/#", 1);
            connect(broker, "c", true).disconnect();
        }

        try (MoteBroker broker = start())
        {
            final boolean[] present = new boolean[1];
            RawSession.connect(broker.port(), "c", false, present).disconnect();
            assertThat(present[0]).isFalse();
        }
    }

    private static RawSession connect(final MoteBroker broker, final String clientId, final boolean clean) throws Exception
    {
        return RawSession.connect(broker.port(), clientId, clean, new boolean[1]);
    }

    private MoteBroker start() throws Exception
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse(new String[] {"--port", "0", "--ws-port", "-1", "--data-dir", dataDir.toString()});
        assertThat(parsed.message()).isEmpty();
        return MoteBroker.start(parsed.config());
    }
}
