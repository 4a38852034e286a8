package io.mote.transport.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;

/**
 * MQTT over WebSocket: inbound binary and continuation frames become one byte stream for the MQTT
 * decoder (so packets may span frames and fragmented frames join naturally); outbound, each
 * encoded packet becomes exactly one binary message, because browser clients (the Mote app among
 * them) parse one packet per message. Stateless, so one instance serves every channel.
 */
@ChannelHandler.Sharable
final class WebSocketFrames extends MessageToMessageCodec<WebSocketFrame, ByteBuf>
{
    static final WebSocketFrames INSTANCE = new WebSocketFrames();

    @Override
    protected void encode(final ChannelHandlerContext ctx, final ByteBuf packet, final List<Object> out)
    {
        out.add(new BinaryWebSocketFrame(packet.retain()));
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final WebSocketFrame frame, final List<Object> out)
    {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame)
        {
            out.add(frame.content().retain());
        }
        else
        {
            ctx.close();
        }
    }
}
