package io.mote.transport.codec;

/**
 * A CONNECT that MQTT answers with a refusing CONNACK before closing: an unknown protocol name or
 * level ({@link ConnectReturnCode#UNACCEPTABLE_PROTOCOL_VERSION}) or an empty client id without
 * clean session ({@link ConnectReturnCode#IDENTIFIER_REJECTED}).
 *
 * @param returnCode the code to send in CONNACK, with session present 0
 * @param reason     why, for the one log line
 */
public record ConnectRejected(ConnectReturnCode returnCode, String reason) implements DecodeFailure
{
}
