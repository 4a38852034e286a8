package io.mote.transport.it;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The conformance vectors again, every case client on the WebSocket listener (subprotocol
 * {@code mqtt}, binary frames), which is how the Mote app connects; seeding, barrier and the final
 * snapshot stay on TCP. See {@link ConformanceOverTcpTest} for how a step is run.
 */
class ConformanceOverWebSocketTest
{
    @TestFactory
    Stream<DynamicTest> shouldBehaveAsEveryConformanceVectorSaysOverWebSocket()
    {
        return ConformanceOverTcpTest.vectors().stream()
            .map(vector -> DynamicTest.dynamicTest((String)vector.get("name"), () -> ConformanceOverTcpTest.run(vector, true)));
    }
}
