package com.plantbridge.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.plantbridge.reading.MeterReading;

/**
 * The items of one append as one H2 value. A row per reading made the outbox's index work the
 * sender's bottleneck (measured: 0.2x the plain client's throughput); a row per append costs one
 * insert per OPC UA notification. Every item starts with a kind byte: a meter reading, or an asset
 * status change (asset id and ONLINE/OFFLINE instead of meter id and value).
 */
final class ChunkCodec {

    static final byte FORMAT = 1;
    static final byte READING = 1;
    static final byte ASSET_STATUS = 2;
    private static final byte INTEGER = 0;
    private static final byte DECIMAL = 1;

    private ChunkCodec() {
    }

    static byte[] encode(List<OutboxReading> items) {
        byte[][] tags = new byte[items.size()][];
        int size = 1 + 4;
        for (int i = 0; i < items.size(); i++) {
            tags[i] = items.get(i).reading().tagPath().getBytes(StandardCharsets.UTF_8);
            if (tags[i].length > 0xFFFF) {
                throw new IllegalArgumentException("tag path longer than 65535 bytes: " + items.get(i).reading().tagPath().substring(0, 100) + "...");
            }
            size += (items.get(i).reading().isAssetStatus() ? 1 + 8 + 8 + 1 + 8 : 1 + 8 + 8 + 1 + 8 + 8) + 2 + tags[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT);
        out.putInt(items.size());
        for (int i = 0; i < items.size(); i++) {
            OutboxReading item = items.get(i);
            MeterReading reading = item.reading();
            if (reading.isAssetStatus()) {
                out.put(ASSET_STATUS);
                out.putLong(item.seq());
                out.putLong(reading.assetId());
                out.put((byte) reading.value().longValue());
            } else {
                out.put(READING);
                out.putLong(item.seq());
                out.putLong(reading.meterId());
                putValue(out, reading.value());
            }
            out.putLong(reading.readingDate().toEpochMilli());
            out.putShort((short) tags[i].length);
            out.put(tags[i]);
        }
        return out.array();
    }

    private static void putValue(ByteBuffer out, Number value) {
        if (isInteger(value)) {
            out.put(INTEGER);
            out.putLong(value.longValue());
        } else {
            out.put(DECIMAL);
            out.putDouble(value.doubleValue());
        }
    }

    /** {@code tags} shares one String per tag path among the readings read back at start. */
    static List<OutboxReading> decode(byte[] data, String connector, long term, long capturedAt, Map<String, String> tags) {
        ByteBuffer in = ByteBuffer.wrap(data);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("outbox chunk format " + format + " is not known to this version");
        }
        int count = in.getInt();
        List<OutboxReading> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte kind = in.get();
            if (kind != READING && kind != ASSET_STATUS) {
                throw new IllegalStateException("outbox item kind " + kind + " is not known to this version");
            }
            long seq = in.getLong();
            long id = in.getLong();
            Number value;
            if (kind == ASSET_STATUS) {
                value = (long) in.get();
            } else {
                value = in.get() == INTEGER ? (Number) in.getLong() : (Number) in.getDouble();
            }
            Instant date = Instant.ofEpochMilli(in.getLong());
            byte[] tag = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(tag);
            String path = tags.computeIfAbsent(new String(tag, StandardCharsets.UTF_8), t -> t);
            MeterReading item = kind == ASSET_STATUS ? new MeterReading(connector, path, 0, value, date, id)
                    : new MeterReading(connector, path, id, value, date);
            items.add(new OutboxReading(seq, item, term, capturedAt));
        }
        return items;
    }

    static boolean isInteger(Number value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }
}
