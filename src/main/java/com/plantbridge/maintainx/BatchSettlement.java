package com.plantbridge.maintainx;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;

/**
 * Decides whether a batch whose POST outcome is unknown (the node died, or stopped with no
 * answer) is at MaintainX, which has no idempotency key and lets a client ask only for each
 * meter's last reading ({@code GET /meters?expand=last_reading}).
 *
 * <p>The rule: the batch is at MaintainX only if, for one of its meters, MaintainX's last reading
 * is one of the batch's own readings of that meter: same meter, same reading date to the
 * millisecond, same value. An asset status change (posted alone) is there when the asset's current
 * status in MaintainX is that status with that start. A later reading of a meter is no evidence: the other node of the pair
 * may have posted it after a failover while this batch was refused. A request is stored whole or
 * not at all, so one meter's evidence speaks for the whole batch.
 *
 * <p>What the last reading cannot tell, and what this rule then does:
 * <ul>
 * <li>The batch was stored, and later readings of <em>every</em> one of its meters arrived since
 *     (the other node took over and posted them): nothing of the batch is visible any more, so it
 *     is sent again and its readings are at MaintainX twice.</li>
 * <li>The batch was not stored, but the other node posted a reading identical to one of the
 *     batch's (same meter, date and value, e.g. a device timestamp both gateways saw) and nothing
 *     after it: the batch counts as delivered; that reading is at MaintainX once, but the batch's
 *     readings of its other meters are missing.</li>
 * <li>MaintainX orders "last" by arrival; if a late, older reading of a meter arrives after the
 *     batch, that meter gives no evidence and the batch's other meters decide.</li>
 * </ul>
 */
public final class BatchSettlement {

    private BatchSettlement() {
    }

    /** @param last by {@link MeterReading#referenceKey()}: meters' last readings and assets' current statuses */
    public static boolean isAtMaintainx(List<MeterReading> batch, Map<Long, LastReading> last) {
        for (MeterReading reading : batch) {
            LastReading held = last.get(reading.referenceKey());
            if (held != null && isSame(held, reading)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSame(LastReading held, MeterReading reading) {
        return held.readingDate().equals(reading.readingDate().truncatedTo(ChronoUnit.MILLIS))
                && held.value() == reading.value().doubleValue();
    }
}
