package com.plantbridge.reading;

import java.time.Instant;

import com.plantbridge.settings.AssetStatusSettings;

/**
 * One item for MaintainX, with the tag it came from for logs and status: a meter reading, or, when
 * {@code assetId} is set, an asset status change (value 1 ONLINE, 0 OFFLINE, {@code readingDate}
 * the moment it took effect). Both travel the same route, outbox and sender, so an asset status
 * has the readings' guarantees (durable, once, in order, within the rate limit).
 *
 * @param meterId 0 for a reading whose meter is not known yet (being found or created by name); it
 *                waits in the outbox until it is
 * @param assetId 0 for a meter reading
 */
public record MeterReading(String connector, String tagPath, long meterId, Number value, Instant readingDate, long assetId) {

    /** A meter reading. */
    public MeterReading(String connector, String tagPath, long meterId, Number value, Instant readingDate) {
        this(connector, tagPath, meterId, value, readingDate, 0);
    }

    /** An asset status change, effective at {@code startedAt}. */
    public static MeterReading assetStatus(String connector, String tagPath, long assetId, AssetStatusSettings.Status status, Instant startedAt) {
        return new MeterReading(connector, tagPath, 0, status == AssetStatusSettings.Status.ONLINE ? 1L : 0L, startedAt, assetId);
    }

    public boolean isAssetStatus() {
        return assetId > 0;
    }

    /** A reading of a tag whose meter is still being found or created. */
    public boolean awaitsMeter() {
        return !isAssetStatus() && meterId == 0;
    }

    /** ONLINE or OFFLINE, for an asset status change. */
    public AssetStatusSettings.Status status() {
        return value.longValue() == 1 ? AssetStatusSettings.Status.ONLINE : AssetStatusSettings.Status.OFFLINE;
    }

    /**
     * What MaintainX holds for this item's target is looked up by this key, in one map with the
     * meters': the meter id, or minus the asset id for an asset status (both kinds of id are positive).
     */
    public long referenceKey() {
        return isAssetStatus() ? assetKey(assetId) : meterId;
    }

    /** The reference key of an asset's status (see {@link #referenceKey()}). */
    public static long assetKey(long assetId) {
        return -assetId;
    }

    /** The same reading for another connector (a route may send it there); this one when it already is. */
    public MeterReading forConnector(String name) {
        return name.equals(connector) ? this : new MeterReading(name, tagPath, meterId, value, readingDate, assetId);
    }

    /** This reading for its meter, found or created since it was captured. */
    public MeterReading withMeter(long meter) {
        return new MeterReading(connector, tagPath, meter, value, readingDate, assetId);
    }

    /** Milliseconds, UTC, always three fraction digits, as MaintainX shows them. */
    public String readingDateText() {
        return ReadingDates.format(readingDate);
    }
}
