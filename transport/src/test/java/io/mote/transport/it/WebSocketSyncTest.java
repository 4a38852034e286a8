package io.mote.transport.it;

import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnectReturnCode;
import io.mote.transport.codec.Will;
import io.mote.transport.server.BrokerFixture;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.mote.transport.it.Packets.publishQos1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket listener as the Mote app uses it: a browser client parses exactly one MQTT packet
 * per binary message, so every packet the broker sends, the sync snapshot above all, must be one
 * whole binary message; inbound, packets may be fragmented across frames.
 */
class WebSocketSyncTest
{
    private BrokerFixture broker;
    private RawMqttClient device;

    @BeforeEach
    void startWithRetainedLights() throws Exception
    {
        broker = BrokerFixture.start();
        device = RawMqttClient.connected(broker.port(), Dialect.MOTE, "device");
        device.publish("light/bedroom/is_on", "1", 1, true);
        device.publish("light/livingroom/is_on", "0", 1, true);
        device.publish("light/bedroom/color", "red", 1, true);
    }

    @AfterEach
    void stop()
    {
        device.close();
        broker.close();
    }

    @Test
    void shouldSendTheSyncSnapshotAsOneBinaryMessageHoldingOnePublishWhenSubscribingOverWebSocket() throws Exception
    {
        try (RawMqttClient app = appOverWebSocket())
        {
            assertThat(app.subscribe(1, "/light/+/is_on")).containsExactly(1);
            final RawMqttClient.Received snapshot = app.take();
            assertThat(snapshot.topic()).isEqualTo("light/+/is_on");
            assertThat(snapshot.retain()).isTrue();
            assertThat(Json.parse(snapshot.payload())).isEqualTo(Map.of("bedroom", "1", "livingroom", "0"));

            final RawMqttClient.Frame frame = frameHolding(app, snapshot.payload());
            assertThat(frame.continuation()).isFalse();
            assertThat(frame.finalFragment()).isTrue();
            assertThat(packetLengths(frame.content())).as("MQTT packets in the snapshot's message").hasSize(1);
            assertThat(frame.content()[0] & 0xF1).as("PUBLISH with retain").isEqualTo(0x31);
        }
    }

    @Test
    void shouldSendTheLiveUpdateAfterTheSnapshotAsItsOwnMessageWhenSubscribedOverWebSocket() throws Exception
    {
        try (RawMqttClient app = appOverWebSocket())
        {
            app.subscribe(1, "/light/+/is_on");
            app.take();
            device.publish("light/livingroom/is_on", "1", 1, true);
            final RawMqttClient.Received update = app.take();
            assertThat(update.topic()).isEqualTo("light/+/is_on");
            assertThat(update.retain()).isFalse();
            assertThat(Json.parse(update.payload())).isEqualTo(Map.of("livingroom", "1"));
            assertThat(app.ping()).isTrue();
            // Every message the broker sent (CONNACK, SUBACK, snapshot, update, PINGRESP): whole, one packet each.
            for (final RawMqttClient.Frame frame : app.frames())
            {
                assertThat(frame.continuation()).isFalse();
                assertThat(frame.finalFragment()).isTrue();
                assertThat(packetLengths(frame.content())).hasSize(1);
            }
            assertThat(app.frames()).hasSize(5);
        }
    }

    @Test
    void shouldAcceptAPublishFragmentedIntoABinaryAndAContinuationFrame() throws Exception
    {
        try (RawMqttClient app = appOverWebSocket())
        {
            final byte[] publish = publishQos1("light/kitchen/is_on", "1", true);
            final int cut = publish.length / 2;
            app.sendFrame(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(Arrays.copyOfRange(publish, 0, cut))));
            app.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(Arrays.copyOfRange(publish, cut, publish.length))));
            assertThat(app.ping()).as("connection open after the fragmented PUBLISH").isTrue();
            assertThat(Snapshots.retainedRows(broker)).containsEntry("light/kitchen/is_on", "1");
        }
    }

    @Test
    void shouldAcceptAPacketSplitAcrossTwoBinaryMessages() throws Exception
    {
        try (RawMqttClient app = appOverWebSocket())
        {
            final byte[] publish = publishQos1("light/hall/is_on", "0", true);
            app.sendRaw(Arrays.copyOfRange(publish, 0, 3));
            app.sendRaw(Arrays.copyOfRange(publish, 3, publish.length));
            assertThat(app.ping()).isTrue();
            assertThat(Snapshots.retainedRows(broker)).containsEntry("light/hall/is_on", "0");
        }
    }

    @Test
    void shouldSendASnapshotLargerThanAnHttpChunkAsOneBinaryMessage() throws Exception
    {
        final StringBuilder tree = new StringBuilder("{");
        for (int i = 0; i < 2_000; i++)
        {
            tree.append(i == 0 ? "" : ",").append("\"sensor").append(i).append("\": \"").append("v".repeat(100)).append('"');
        }
        device.publish("probe/+/", tree.append('}').toString(), 1, true);
        try (RawMqttClient app = appOverWebSocket())
        {
            app.subscribe(0, "/probe/+");
            final RawMqttClient.Received snapshot = app.take();
            assertThat(snapshot.payload().length).isGreaterThan(200_000);
            assertThat((Map<?, ?>)Json.parse(snapshot.payload())).hasSize(2_000);
            final RawMqttClient.Frame frame = frameHolding(app, snapshot.payload());
            assertThat(frame.finalFragment()).isTrue();
            assertThat(packetLengths(frame.content())).hasSize(1);
        }
    }

    @Test
    void shouldCloseTheConnectionAndPublishTheWillWhenATextFrameArrives() throws Exception
    {
        assertThat(device.subscribe(1, "will/app")).containsExactly(1);
        try (RawMqttClient app = RawMqttClient.webSocket(broker.wsPort(), Dialect.MOTE))
        {
            app.connect("app", true, 0, new Will(Packets.utf8("will/app"), Packets.utf8("gone"), 1, false));
            app.sendFrame(new TextWebSocketFrame("{\"not\": \"mqtt\"}"));
            assertThat(app.awaitClosed(RawMqttClient.TIMEOUT)).isTrue();
        }
        final RawMqttClient.Received will = device.take();
        assertThat(will.topic()).isEqualTo("will/app");
        assertThat(will.payloadText()).isEqualTo("gone");
    }

    private RawMqttClient appOverWebSocket() throws Exception
    {
        final RawMqttClient app = RawMqttClient.webSocket(broker.wsPort(), Dialect.MOTE);
        assertThat(app.connect("app", true, 0, null).returnCode()).isEqualTo(ConnectReturnCode.ACCEPTED);
        return app;
    }

    /** The one inbound frame whose bytes end with this payload (the PUBLISH carrying it). */
    private static RawMqttClient.Frame frameHolding(final RawMqttClient client, final byte[] payload)
    {
        final List<RawMqttClient.Frame> holding = client.frames().stream()
            .filter(f -> f.content().length >= payload.length
                && Arrays.equals(f.content(), f.content().length - payload.length, f.content().length, payload, 0, payload.length))
            .toList();
        assertThat(holding).as("frames ending with the payload").hasSize(1);
        return holding.get(0);
    }

    /** Splits bytes into whole MQTT packets by their fixed headers; fails on a partial packet. */
    private static List<Integer> packetLengths(final byte[] bytes)
    {
        final List<Integer> lengths = new ArrayList<>();
        int at = 0;
        while (at < bytes.length)
        {
            int remaining = 0;
            int shift = 0;
            int i = at + 1;
            while (true)
            {
                assertThat(i).as("remaining length inside the message").isLessThan(bytes.length);
                final int digit = bytes[i++] & 0xFF;
                remaining |= (digit & 0x7F) << shift;
                shift += 7;
                if ((digit & 0x80) == 0)
                {
                    break;
                }
            }
            final int length = i - at + remaining;
            assertThat(at + length).as("packet ends inside the message").isLessThanOrEqualTo(bytes.length);
            lengths.add(length);
            at += length;
        }
        return lengths;
    }
}
