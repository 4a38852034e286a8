package io.mote.transport.server;

import io.mote.engine.pipeline.EngineProducer;
import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnAckPacket;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.ConnectRejected;
import io.mote.transport.codec.ConnectReturnCode;
import io.mote.transport.codec.MalformedPacket;
import io.mote.transport.codec.Will;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A connection's first packet: a CONNECT is accepted (its session found or made, the session it
 * replaces ended, a connection it takes over from closed, this one attached, keep-alive armed,
 * CONNACK written and what the client had not acknowledged sent again) or refused with a CONNACK
 * code; anything else closes the connection. Owner: the channel's event loop; one per connection.
 */
final class ConnectAcceptor
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectAcceptor.class);

    private final SessionRegistry sessions;
    private final LoopFeeder feeder;

    ConnectAcceptor(final SessionRegistry sessions, final LoopFeeder feeder)
    {
        this.sessions = sessions;
        this.feeder = feeder;
    }

    /** @return the attached session and what goes with it, or null when the connection was refused and is closing */
    Accepted onFirstPacket(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof ConnectPacket)
        {
            return onConnect(ctx, (ConnectPacket)msg);
        }
        if (msg instanceof ConnectRejected)
        {
            final ConnectRejected rejected = (ConnectRejected)msg;
            LOG.info("connection from {} refused ({}): {}", ctx.channel().remoteAddress(), rejected.returnCode(), rejected.reason());
            ctx.writeAndFlush(new ConnAckPacket(false, rejected.returnCode())).addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        final String what = msg instanceof MalformedPacket ? ((MalformedPacket)msg).reason() : "first packet is not CONNECT";
        LOG.info("connection from {} closed: {}", ctx.channel().remoteAddress(), what);
        ctx.close();
        return null;
    }

    private Accepted onConnect(final ChannelHandlerContext ctx, final ConnectPacket connect)
    {
        final Dialect dialect = connect.dialect();
        final String clientId = connect.clientId().isEmpty() ? "auto-" + UUID.randomUUID() : connect.clientId();
        final String logFailure = sessions.logFailure();
        if (!connect.cleanSession() && logFailure != null)
        {
            // A persistent session could be neither recorded nor resumed as recorded.
            LOG.info("client {} from {} refused a persistent session: {}", clientId, ctx.channel().remoteAddress(), logFailure);
            ctx.writeAndFlush(new ConnAckPacket(false, ConnectReturnCode.SERVER_UNAVAILABLE)).addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        final SessionRegistry.Resumption resumption = sessions.open(clientId, dialect, connect.cleanSession());
        final EngineProducer producer = feeder.producer();
        if (resumption.replaced() != null)
        {
            final Channel previous = resumption.replaced().channel();
            producer.sessionEnded(resumption.replaced().id());
            if (previous != null)
            {
                previous.close();
            }
            sessions.close(resumption.replaced());
        }
        final Session session = resumption.session();
        final Channel previous = session.channel();
        if (previous != null && previous != ctx.channel())
        {
            LOG.info("client {} taken over by a new connection from {}", clientId, ctx.channel().remoteAddress());
            previous.close();
        }
        final PublisherHold hold = new PublisherHold(ctx.channel(), session);
        session.attach(ctx.channel(), hold);
        if (connect.keepAliveSeconds() > 0)
        {
            final long timeoutMillis = connect.keepAliveSeconds() * 1500L;
            ctx.pipeline().addBefore(ctx.name(), "keep-alive", new IdleStateHandler(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
        }
        ctx.write(new ConnAckPacket(resumption.present(), ConnectReturnCode.ACCEPTED));
        LOG.info("client {} connected from {} ({} dialect, {} session{})", clientId, ctx.channel().remoteAddress(),
            dialect == Dialect.MOTE ? "mote" : "mqtt", connect.cleanSession() ? "clean" : "persistent",
            resumption.present() ? ", resumed" : "");
        if (resumption.present())
        {
            ctx.flush();
            session.resend();
        }
        session.wake();
        return new Accepted(session, hold, dialect, connect.will());
    }

    /**
     * What an accepted CONNECT gives its connection: the attached session, the connection's side of
     * QoS 1/2 flow control, the client's dialect and its will (null when none).
     */
    record Accepted(Session session, PublisherHold hold, Dialect dialect, Will will)
    {
    }
}
