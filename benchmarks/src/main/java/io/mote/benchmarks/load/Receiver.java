package io.mote.benchmarks.load;

import io.mote.transport.codec.PublishPacket;
import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

/**
 * The receiving side of one subscriber: counts messages and rows, records latency from the stamps
 * that {@link PublishFrames} put in every payload, and, for the snapshot scenario, notices when all
 * expected retained rows have arrived.
 *
 * <p>Two histograms: {@code corrected} measures from the intended send time, so at a fixed rate a
 * stalled broker (or generator) is charged for every message that should have been sent during the
 * stall, which is the coordinated-omission correction; {@code raw} measures from the actual send.
 * At full speed the two are the same, since intended is then actual.
 *
 * <p>Owner: the subscriber's event loop. The counters are read by the main thread, through the
 * volatile write that follows every update; the histograms are copied on the loop.
 */
final class Receiver
{
    private static final long MAX_MICROS = 3_600_000_000L;

    /** Where the send stamps are: none (a mote subscriber of plain publishes gets them inside JSON strings), binary, or tree rows t0/t1. */
    enum Stamps
    {
        NONE, BINARY, JSON
    }

    private final Stamps stamps;
    private final int rowsPerMessage;
    private final long expectedRetainedRows;
    private final Runnable onExpectedRows;
    final Histogram corrected = new Histogram(MAX_MICROS, 3);
    final Histogram raw = new Histogram(MAX_MICROS, 3);
    private volatile long messages;
    private volatile long retainedRowsSeen;
    private long retainedRows;
    private volatile long expectedRowsAtNanos;

    /**
     * @param stamps               where the payloads carry their send stamps; JSON also means a snapshot counts JSON leaves
     * @param rowsPerMessage       rows one live message stands for (the batch size for a mote subscriber of tree publishes)
     * @param expectedRetainedRows retained rows after which {@code onExpectedRows} runs once; 0 for none
     */
    Receiver(final Stamps stamps, final int rowsPerMessage, final long expectedRetainedRows, final Runnable onExpectedRows)
    {
        this.stamps = stamps;
        this.rowsPerMessage = rowsPerMessage;
        this.expectedRetainedRows = expectedRetainedRows;
        this.onExpectedRows = onExpectedRows;
    }

    void onPublish(final PublishPacket publish)
    {
        final ByteBuf payload = publish.payload();
        if (publish.retainFlag() && expectedRetainedRows > 0)
        {
            countRetained(payload);
            return;
        }
        final long now = System.nanoTime();
        if (stamps == Stamps.JSON)
        {
            final int intended = PublishFrames.stampOffset(payload, false);
            final int actual = PublishFrames.stampOffset(payload, true);
            if (intended >= 0 && actual >= 0)
            {
                record(now, PublishFrames.parseDigits(payload, intended), PublishFrames.parseDigits(payload, actual));
            }
        }
        else if (stamps == Stamps.BINARY && payload.readableBytes() >= 16)
        {
            record(now, payload.getLong(payload.readerIndex()), payload.getLong(payload.readerIndex() + 8));
        }
        messages = messages + 1;
    }

    private void record(final long now, final long intendedNanos, final long actualNanos)
    {
        corrected.recordValue(Math.max(0, Math.min((now - intendedNanos) / 1_000, MAX_MICROS)));
        raw.recordValue(Math.max(0, Math.min((now - actualNanos) / 1_000, MAX_MICROS)));
    }

    /** A mote snapshot is one JSON message whose leaves are the rows ("key":"value"); a plain one is a message per row. */
    private void countRetained(final ByteBuf payload)
    {
        if (stamps == Stamps.JSON)
        {
            final int end = payload.writerIndex() - 2;
            long leaves = 0;
            for (int i = payload.readerIndex(); i < end; i++)
            {
                if (payload.getByte(i) == '"' && payload.getByte(i + 1) == ':' && payload.getByte(i + 2) == '"')
                {
                    leaves++;
                }
            }
            retainedRows += leaves;
        }
        else
        {
            retainedRows++;
        }
        retainedRowsSeen = retainedRows;
        if (retainedRows >= expectedRetainedRows && expectedRowsAtNanos == 0)
        {
            expectedRowsAtNanos = System.nanoTime();
            onExpectedRows.run();
        }
    }

    long messages()
    {
        return messages;
    }

    /** Derived from one read of the message count, so that msg/s and rows/s of a run agree. */
    long rows()
    {
        return expectedRetainedRows > 0 ? retainedRowsSeen : messages * rowsPerMessage;
    }

    long expectedRowsAtNanos()
    {
        return expectedRowsAtNanos;
    }

    void reset()
    {
        corrected.reset();
        raw.reset();
    }
}
