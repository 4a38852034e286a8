package io.mote.transport.server;

import io.mote.engine.pipeline.EngineProducer;
import io.mote.engine.pipeline.InvalidPublishException;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.FilterKind;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.MalformedPacket;
import io.mote.transport.codec.MqttPacket;
import io.mote.transport.codec.PingRespPacket;
import io.mote.transport.codec.PubAckPacket;
import io.mote.transport.codec.PubCompPacket;
import io.mote.transport.codec.PubRecPacket;
import io.mote.transport.codec.PubRelPacket;
import io.mote.transport.codec.PublishPacket;
import io.mote.transport.codec.SubAckPacket;
import io.mote.transport.codec.SubscribePacket;
import io.mote.transport.codec.TopicFilter;
import io.mote.transport.codec.UnsubAckPacket;
import io.mote.transport.codec.UnsubscribePacket;
import io.mote.transport.codec.Will;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: turns decoded packets into engine commands and session state changes.
 * Codec is elsewhere; this class only handles. Owner: the channel's event loop.
 *
 * <p>Every command of one socket read goes to the loop's producer and is flushed into one ring
 * slot at {@link #channelReadComplete}, before the acknowledgements written during the read are
 * flushed to the socket, so a SUBACK can never overtake its subscription into the engine.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private final SessionRegistry sessions;
    private final LoopFeeder feeder;
    private final ConnectAcceptor connects;
    private Session session;
    /** This connection's side of QoS 1/2 flow control, from CONNECT on. */
    private PublisherHold hold;
    private Dialect dialect;
    private Will will;
    private boolean disconnectedCleanly;
    private String closeReason = "connection lost";
    /** This read recorded a (un)subscription in the session log: force it before its acks are flushed. */
    private boolean logged;

    MqttConnection(final SessionRegistry sessions, final LoopFeeder feeder)
    {
        this.sessions = sessions;
        this.feeder = feeder;
        this.connects = new ConnectAcceptor(sessions, feeder);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (session == null)
            {
                onFirstPacket(ctx, msg);
            }
            else if (msg instanceof PublishPacket)
            {
                onPublish(ctx, (PublishPacket)msg);
            }
            else if (msg instanceof MqttPacket)
            {
                onControl(ctx, (MqttPacket)msg);
            }
            else if (msg instanceof MalformedPacket)
            {
                refuse(ctx, "malformed " + ((MalformedPacket)msg).type() + ": " + ((MalformedPacket)msg).reason());
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        feeder.flush(ctx.channel());
        if (hold != null)
        {
            hold.afterRead();
        }
        if (logged)
        {
            logged = false;
            sessions.syncLog();
        }
        if (session != null && session.durable() != 0 && sessions.logFailure() != null)
        {
            // The SUBACK, UNSUBACK or PUBCOMP written during this read promise state the failed
            // session log did not record: closing discards them unsent, and the client keeps
            // (and after a restart finds) the state from before the failure.
            closeReason = sessions.logFailure();
            ctx.close();
            return;
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (session != null && ctx.channel().isWritable())
        {
            session.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof IdleStateEvent)
        {
            if (hold != null && hold.pausedReading())
            {
                return; // its silence is ours: we stopped reading it while a congested subscriber holds it
            }
            closeReason = "keep-alive expired";
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        closeReason = "network error: " + cause.getMessage();
        ctx.close();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (session == null)
        {
            return;
        }
        if (hold != null)
        {
            hold.close();
        }
        final EngineProducer producer = feeder.producer();
        if (!disconnectedCleanly && will != null)
        {
            publishWill(producer);
        }
        if (session.detach(ctx.channel()) && !session.persistent())
        {
            producer.sessionEnded(session.id());
            sessions.close(session);
        }
        feeder.flush(ctx.channel());
        final long dropped = session.droppedMessages();
        LOG.info("client {} disconnected: {}{}", session.clientId(), disconnectedCleanly ? "DISCONNECT" : closeReason,
            dropped > 0 ? " (" + dropped + " messages dropped for this slow client)" : "");
    }

    private void onFirstPacket(final ChannelHandlerContext ctx, final Object msg)
    {
        final ConnectAcceptor.Accepted accepted = connects.onFirstPacket(ctx, msg);
        if (accepted != null)
        {
            session = accepted.session();
            hold = accepted.hold();
            dialect = accepted.dialect();
            will = accepted.will();
        }
    }

    private void onPublish(final ChannelHandlerContext ctx, final PublishPacket publish)
    {
        final int qos = publish.qos();
        final int packetId = publish.packetId();
        if (qos == 2 && !session.beginIncomingQos2(packetId))
        {
            if (session.incomingQos2Accepted(packetId))
            {
                ctx.write(new PubRecPacket(packetId));
            }
            return;
        }
        final int topicLength = publish.topicLength();
        final int payloadLength = publish.payloadLength();
        final byte[] bytes = feeder.scratch(topicLength + payloadLength);
        publish.getTopic(bytes, 0);
        publish.getPayload(bytes, topicLength);
        try
        {
            feeder.producer().publish(session.id(), dialect, bytes, 0, topicLength, bytes, topicLength, payloadLength,
                qos, publish.retainFlag(), packetId);
            feeder.flushIfFull(ctx.channel());
        }
        catch (final InvalidPublishException ex)
        {
            if (qos == 2)
            {
                session.releaseIncomingQos2(packetId);
            }
            refuse(ctx, "publish to '" + publish.topicText() + "' refused: " + ex.getMessage());
        }
    }

    private void onControl(final ChannelHandlerContext ctx, final MqttPacket packet)
    {
        if (packet instanceof SubscribePacket)
        {
            onSubscribe(ctx, (SubscribePacket)packet);
        }
        else if (packet instanceof UnsubscribePacket)
        {
            final UnsubscribePacket unsubscribe = (UnsubscribePacket)packet;
            for (final TopicFilter filter : unsubscribe.filters())
            {
                final byte[] bytes = filter.bytes();
                if (feeder.producer().unsubscribe(session.id(), dialect, bytes, 0, bytes.length).isValid())
                {
                    recordUnsubscribe(bytes);
                }
            }
            ctx.write(new UnsubAckPacket(unsubscribe.packetId()));
        }
        else if (packet instanceof PubAckPacket)
        {
            session.acknowledged(((PubAckPacket)packet).packetId());
            session.wake();
        }
        else if (packet instanceof PubRecPacket)
        {
            final ByteBuf pubrel = session.received(((PubRecPacket)packet).packetId());
            if (pubrel != null)
            {
                ctx.write(pubrel);
            }
        }
        else if (packet instanceof PubCompPacket)
        {
            session.acknowledged(((PubCompPacket)packet).packetId());
            session.wake();
        }
        else if (packet instanceof PubRelPacket)
        {
            final int packetId = ((PubRelPacket)packet).packetId();
            session.releaseIncomingQos2(packetId);
            ctx.write(new PubCompPacket(packetId));
        }
        else if (packet instanceof io.mote.transport.codec.PingReqPacket)
        {
            // What is already queued for the client goes out before the PINGRESP, so a PINGREQ is a
            // fence: a client that saw PUBACK for a message routed to it, then pings, has the
            // message before the answer (otherwise the queued drain and this read race).
            session.drain();
            ctx.write(PingRespPacket.INSTANCE);
        }
        else if (packet instanceof io.mote.transport.codec.DisconnectPacket)
        {
            disconnectedCleanly = true;
            ctx.close();
        }
        else if (packet instanceof ConnectPacket)
        {
            refuse(ctx, "second CONNECT on one connection (MQTT-3.1.0-2)");
        }
        else
        {
            refuse(ctx, "a client may not send " + packet.type());
        }
    }

    private void onSubscribe(final ChannelHandlerContext ctx, final SubscribePacket subscribe)
    {
        final int[] codes = new int[subscribe.subscriptions().size()];
        // A refused SUBSCRIBE must change nothing (PROTOCOL.md §6): check every filter before subscribing any.
        for (final io.mote.transport.codec.Subscription subscription : subscribe.subscriptions())
        {
            if (!subscription.filter().kind().isValid())
            {
                refuse(ctx, "subscription to '" + subscription.filter().text() + "' refused: " + subscription.filter().kind().problem());
                return;
            }
        }
        for (int i = 0; i < codes.length; i++)
        {
            final TopicFilter filter = subscribe.subscriptions().get(i).filter();
            final int qos = Math.min(2, subscribe.subscriptions().get(i).requestedQos());
            final byte[] bytes = filter.bytes();
            final FilterKind kind = feeder.producer().subscribe(session.id(), dialect, bytes, 0, bytes.length, qos);
            if (!kind.isValid())
            {
                refuse(ctx, "subscription to '" + filter.text() + "' refused: " + kind.problem());
                return;
            }
            codes[i] = qos;
            if (session.durable() != 0)
            {
                sessions.log().subscribed(session.durable(), bytes, 0, bytes.length, qos);
                logged = true;
            }
        }
        ctx.write(new SubAckPacket(subscribe.packetId(), codes));
    }

    private void recordUnsubscribe(final byte[] filter)
    {
        if (session.durable() != 0)
        {
            sessions.log().unsubscribed(session.durable(), filter, 0, filter.length);
            logged = true;
        }
    }

    private void publishWill(final EngineProducer producer)
    {
        final byte[] topic = will.topic();
        final byte[] payload = will.payload();
        try
        {
            producer.publish(session.id(), dialect, topic, 0, topic.length, payload, 0, payload.length, will.qos(), will.retain(), 0);
        }
        catch (final InvalidPublishException ex)
        {
            LOG.info("client {} will not published: {}", session.clientId(), ex.getMessage());
        }
    }

    /** Bad input (PROTOCOL.md §6): one log line, close this connection only; the will is published. */
    private void refuse(final ChannelHandlerContext ctx, final String reason)
    {
        closeReason = reason;
        if (ctx.channel().isActive())
        {
            LOG.info("client {} sent bad input, closing: {}", session == null ? ctx.channel().remoteAddress() : session.clientId(), reason);
        }
        ctx.close();
    }
}
