package io.mote.broker.sessions;

import io.mote.broker.BrokerConfig;
import io.mote.broker.BrokerInternals;
import io.mote.broker.MoteBroker;
import io.mote.persistence.SessionLogBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.mote.broker.sessions.RawSession.PUBACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A session log that fails while the broker runs (its queue closed underneath, so Chronicle refuses
 * the append as after an I/O error) stops every acknowledgement that would claim durability, as a
 * failed journal does: publishers are disconnected instead of PUBACKed, persistent sessions are
 * refused and disconnected, and after a restart the sessions are as they were before the failure.
 */
class SessionLogFailureTest
{
    private static final int SERVER_UNAVAILABLE = 3;

    @TempDir
    Path dataDir;

    @Test
    void shouldDisconnectThePublisherInsteadOfSendingPubackWhenTheSessionLogFailed() throws Exception
    {
        try (MoteBroker broker = start())
        {
            connect(broker, "sub", false).subscribe(1, "s/#", 1);
            final RawSession publisher = connect(broker, "pub", true);
            publisher.publish("s/1", "recorded", 1, false, false, 1);
            assertThat(publisher.next().type()).isEqualTo(PUBACK);

            SessionLogBreaker.closeQueueUnderneath(BrokerInternals.persistence(broker).sessions());
            publisher.publish("s/2", "not recorded", 1, false, false, 2);

            assertThatThrownBy(publisher::next).as("closed without PUBACK").isInstanceOf(IOException.class);
            assertThat(RawSession.connectReturnCode(broker.port(), "pub", true)).as("a clean session still connects").isZero();
        }
        try (MoteBroker broker = start())
        {
            final boolean[] present = new boolean[1];
            final RawSession subscriber = RawSession.connect(broker.port(), "sub", false, present);
            assertThat(present[0]).isTrue();
            assertThat(subscriber.drainToPing()).extracting(RawSession.Packet::payload).containsExactly("recorded");
        }
    }

    @Test
    void shouldRefuseAndDisconnectPersistentSessionsWhenTheSessionLogFailed() throws Exception
    {
        try (MoteBroker broker = start())
        {
            final RawSession online = connect(broker, "online", false);
            online.subscribe(1, "kept/#", 1);
            SessionLogBreaker.closeQueueUnderneath(BrokerInternals.persistence(broker).sessions());

            online.sendSubscribe(2, "lost/#", 1);

            assertThatThrownBy(online::next).as("closed without SUBACK").isInstanceOf(IOException.class);
            assertThat(RawSession.connectReturnCode(broker.port(), "online", false)).isEqualTo(SERVER_UNAVAILABLE);
            assertThat(RawSession.connectReturnCode(broker.port(), "new", false)).isEqualTo(SERVER_UNAVAILABLE);
        }
        try (MoteBroker broker = start())
        {
            final boolean[] present = new boolean[1];
            final RawSession online = RawSession.connect(broker.port(), "online", false, present);
            assertThat(present[0]).isTrue();
            final RawSession publisher = connect(broker, "pub", true);
            publisher.publish("lost/1", "not subscribed", 1, false, false, 1);
            publisher.publish("kept/1", "subscribed", 1, false, false, 2);
            assertThat(publisher.next().type()).isEqualTo(PUBACK);
            assertThat(publisher.next().type()).isEqualTo(PUBACK);
            assertThat(online.drainToPing()).extracting(RawSession.Packet::payload).containsExactly("subscribed");
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
