package io.mote.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes the golden snapshot files under {@code src/test/resources/golden} once; their output is
 * committed and read back by {@link SnapshotGoldenFilesTest}, so a change to the format that
 * breaks old files shows up as a failing test rather than as a broker that cannot start.
 * Run from the module directory: {@code java -cp ... io.mote.persistence.GoldenSnapshotFiles}.
 */
public final class GoldenSnapshotFiles
{
    static final long JOURNAL_INDEX = 0x0000_1234_0000_0007L;
    /** The rows of the valid file, topic to "qos:payload", written in this (sorted) order. */
    static final Map<String, String> ROWS = rows();

    private GoldenSnapshotFiles()
    {
    }

    private static Map<String, String> rows()
    {
        final Map<String, String> rows = new TreeMap<>();
        rows.put("a/b", "2:x");
        rows.put("sensors/1/hum", "0:40");
        rows.put("sensors/1/temp", "1:21.5");
        rows.put("tree/\u00fcber", "1:{\"v\":[1,2,3]}");
        return rows;
    }

    /** The rows as a source, in a fixed order so the file is the same on every run. */
    static RowSource source()
    {
        return sink ->
        {
            for (final Map.Entry<String, String> row : ROWS.entrySet())
            {
                final byte[] topic = row.getKey().getBytes(StandardCharsets.UTF_8);
                final byte[] payload = row.getValue().substring(2).getBytes(StandardCharsets.UTF_8);
                sink.accept(topic, 0, topic.length, payload, 0, payload.length, row.getValue().charAt(0) - '0');
            }
        };
    }

    public static void main(final String[] args) throws IOException
    {
        final Path dir = Paths.get(args.length > 0 ? args[0] : "src/test/resources/golden");
        Files.createDirectories(dir);
        final Path valid = new SnapshotWriter().write(dir, JOURNAL_INDEX, ROWS.size(), source());
        final byte[] bytes = Files.readAllBytes(valid);
        Files.move(valid, dir.resolve("valid.snap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Files.write(dir.resolve("truncated.snap"), Arrays.copyOf(bytes, bytes.length - 9));

        final byte[] flipped = bytes.clone();
        final int firstPayload = SnapshotDescriptor.HEADER_LENGTH + SnapshotDescriptor.ROW_HEADER_LENGTH + "a/b".length();
        flipped[firstPayload] ^= 0x20;
        Files.write(dir.resolve("flipped-byte.snap"), flipped);

        final byte[] wrongVersion = bytes.clone();
        final ByteBuffer view = ByteBuffer.wrap(wrongVersion).order(ByteOrder.LITTLE_ENDIAN);
        view.putInt(SnapshotDescriptor.VERSION_OFFSET, 99);
        final CRC32C crc = new CRC32C();
        crc.update(wrongVersion, 0, wrongVersion.length - SnapshotDescriptor.TRAILER_LENGTH);
        view.putInt(wrongVersion.length - SnapshotDescriptor.TRAILER_LENGTH, (int)crc.getValue());
        Files.write(dir.resolve("wrong-version.snap"), wrongVersion);

        final byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        Files.write(dir.resolve("bad-magic.snap"), badMagic);
    }
}
